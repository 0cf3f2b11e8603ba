/* helpers.c — fixture and temporary-file shortcuts for the indexer tests. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *read_fixture(const char *name, size_t *len)
{
    const char *dir = getenv("FIXTURES");
    const char *source = getenv("SOURCE_DIR");
    char path[1024];
    if (dir)
        snprintf(path, sizeof path, "%s/indexer/%s", dir, name);
    else if (source)
        snprintf(path, sizeof path, "%s/fixtures/indexer/%s", source, name);
    else
        cr_assert_fail("set FIXTURES (ctest does) to find fixtures/indexer/%s", name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "fixture %s: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)size + 1);
    cr_assert_eq(fread(data, 1, (size_t)size, f), (size_t)size);
    data[size] = '\0';
    fclose(f);
    *len = (size_t)size;
    return data;
}

char *make_temp(void)
{
    char pattern[] = "/tmp/kensaku-indexer-XXXXXX";
    cr_assert_not_null(mkdtemp(pattern));
    return strdup(pattern);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    chmod(path, 0700); /* tests make unreadable folders */
    return remove(path);
}

void remove_temp(char *dir)
{
    if (!dir)
        return;
    /* Unreadable folders first get their permissions back (depth-first
     * removal cannot enter them otherwise). */
    char command[1100];
    snprintf(command, sizeof command, "chmod -R u+rwx '%s' 2>/dev/null", dir);
    if (system(command) != 0) {
        /* best effort */
    }
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

const char *in_dir(const char *dir, const char *name)
{
    static char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

void write_file(const char *dir, const char *name, const char *data, size_t len)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    for (char *p = path + strlen(dir) + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(path, 0755);
        *p = '/';
    }
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}
