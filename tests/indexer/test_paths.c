/* test_paths.c — paths stored as given: absolute, lexically normalised. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/paths.h"

typedef struct absolute_case {
    const char *arg, *cwd, *expected;
} absolute_case;

Test(paths, absolute_joins_and_normalises_lexically) {
    static const absolute_case cases[] = {
        {"notes", "/home/me", "/home/me/notes"},
        {"./notes/", "/home/me", "/home/me/notes"},
        {"../you/x", "/home/me", "/home/you/x"},
        {"a/./b//c/../d", "/r", "/r/a/b/d"},
        {"/abs/../abs2/./f", "/ignored", "/abs2/f"},
        {"..", "/", "/"},
        {"../../..", "/a", "/"},
        {".", "/home/me", "/home/me"},
        {"/", "/x", "/"},
        {"//double//slash//", "/x", "/double/slash"},
        {"link/..", "/r", "/r"}, /* lexical: the link is not resolved */
        {".hidden/x", "/r", "/r/.hidden/x"},
        {"name\xff\n", "/r", "/r/name\xff\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = path_absolute(cases[i].arg, cases[i].cwd);
        cr_assert_str_eq(got, cases[i].expected, "case %zu (%s in %s)", i, cases[i].arg,
                         cases[i].cwd);
        free(got);
    }
}

Test(paths, within_compares_whole_components) {
    cr_assert(path_is_within("/a/b", 4, "/a/b", 4));
    cr_assert(path_is_within("/a/b/c", 6, "/a/b", 4));
    cr_assert_not(path_is_within("/a/bc", 5, "/a/b", 4));
    cr_assert_not(path_is_within("/a", 2, "/a/b", 4));
    cr_assert(path_is_within("/anything", 9, "/", 1));
}

Test(paths, extension_is_after_the_last_dot_of_the_name) {
    static const struct {
        const char *path, *ext;
    } cases[] = {
        {"/a/notes.txt", "txt"}, {"/a/archive.tar.gz", "gz"}, {"/a/README", NULL},
        {"/a/.bashrc", NULL},    {"/a.d/file", NULL},         {"/a/name.", NULL},
        {"/a/.x.md", "md"},      {"/a/UPPER.HTML", "HTML"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = 0;
        const char *ext = path_extension(cases[i].path, strlen(cases[i].path), &len);
        if (!cases[i].ext) {
            cr_assert_null(ext, "%s has no extension", cases[i].path);
        } else {
            cr_assert_not_null(ext, "%s", cases[i].path);
            cr_assert_eq(len, strlen(cases[i].ext));
            cr_assert_eq(memcmp(ext, cases[i].ext, len), 0);
        }
    }
}

Test(paths, parent_length) {
    cr_assert_eq(path_parent_len("/a/b", 4), 2);
    cr_assert_eq(path_parent_len("/a", 2), 1);
    cr_assert_eq(path_parent_len("/", 1), 0);
}
