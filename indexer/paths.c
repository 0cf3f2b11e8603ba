/* paths.c — lexical path normalisation; see paths.h. */
#include "indexer/paths.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *path_cwd(void)
{
    size_t size = 256;
    for (;;) {
        char *buffer = malloc(size);
        if (!buffer)
            return NULL;
        if (getcwd(buffer, size))
            return buffer;
        free(buffer);
        if (errno != ERANGE)
            return NULL;
        size *= 2;
    }
}

/* Append component NAME[0..len) to OUT (holding *out_len bytes, starting
 * with '/'), handling "." and "..". */
static void push_component(char *out, size_t *out_len, const char *name, size_t len)
{
    if (len == 0 || (len == 1 && name[0] == '.'))
        return;
    if (len == 2 && name[0] == '.' && name[1] == '.') {
        size_t parent = path_parent_len(out, *out_len);
        *out_len = parent ? parent : 1;
        return;
    }
    if (*out_len > 1)
        out[(*out_len)++] = '/';
    memcpy(out + *out_len, name, len);
    *out_len += len;
}

/* Normalise the components of TEXT into OUT, which already holds *out_len
 * bytes of a normalised absolute path. */
static void push_components(char *out, size_t *out_len, const char *text)
{
    const char *p = text;
    while (*p) {
        while (*p == '/')
            p++;
        const char *start = p;
        while (*p && *p != '/')
            p++;
        push_component(out, out_len, start, (size_t)(p - start));
    }
}

char *path_absolute(const char *arg, const char *cwd)
{
    bool relative = arg[0] != '/';
    size_t room = strlen(arg) + (relative && cwd ? strlen(cwd) : 0) + 3;
    char *out = malloc(room);
    if (!out)
        return NULL;
    out[0] = '/';
    size_t len = 1;
    if (relative && cwd)
        push_components(out, &len, cwd);
    push_components(out, &len, arg);
    out[len] = '\0';
    return out;
}

bool path_is_within(const char *path, size_t path_len, const char *root, size_t root_len)
{
    if (root_len == 1 && root[0] == '/')
        return path_len >= 1 && path[0] == '/';
    if (path_len < root_len || memcmp(path, root, root_len) != 0)
        return false;
    return path_len == root_len || path[root_len] == '/';
}

const char *path_extension(const char *path, size_t path_len, size_t *len)
{
    size_t name_start = path_len;
    while (name_start > 0 && path[name_start - 1] != '/')
        name_start--;
    for (size_t i = path_len; i > name_start + 1; i--) {
        if (path[i - 1] != '.')
            continue;
        if (i == path_len)
            return NULL; /* "name." has no extension */
        *len = path_len - i;
        return path + i;
    }
    return NULL;
}

size_t path_parent_len(const char *path, size_t len)
{
    if (len <= 1)
        return 0;
    size_t i = len;
    while (i > 0 && path[i - 1] != '/')
        i--;
    /* I is just past the last slash: the parent is everything before it,
     * except that the parent of "/a" is "/". */
    return i <= 1 ? 1 : i - 1;
}
