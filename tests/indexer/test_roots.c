/* test_roots.c — remembered roots: adding, covering, forgetting, JSON. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/roots.h"

static const char *const no_globs[] = {NULL};

Test(roots, json_round_trip_keeps_paths_globs_and_sizes) {
    root_list roots = {0};
    const char *globs[] = {"*.log", "bad\xffglob"};
    cr_assert(roots_add(&roots, "/home/me/notes", globs, 2, 1048576));
    cr_assert(roots_add(&roots, "/srv/odd\xfe\nname", no_globs, 0, 0));
    char *json = roots_encode(&roots);
    cr_assert_not_null(json);
    root_list back;
    cr_assert(roots_decode(json, strlen(json), &back), "%s", json);
    cr_assert_eq(back.n, 2);
    cr_assert_str_eq(back.items[0].path, "/home/me/notes");
    cr_assert_eq(back.items[0].n_excludes, 2);
    cr_assert_str_eq(back.items[0].excludes[1], "bad\xffglob");
    cr_assert_eq(back.items[0].max_size, 1048576);
    cr_assert_str_eq(back.items[1].path, "/srv/odd\xfe\nname");
    cr_assert_eq(back.items[1].max_size, 0);
    free(json);
    roots_free(&back);
    roots_free(&roots);
}

Test(roots, decode_refuses_what_it_did_not_write) {
    static const char *const bad[] = {"", "{}", "[1]", "[{\"path\":\"relative\"}]",
                                      "[{\"path\":\"/a\",\"exclude\":\"*.x\"}]",
                                      "[{\"path\":\"/a\",\"max_size\":-1}]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        root_list roots;
        cr_assert_not(roots_decode(bad[i], strlen(bad[i]), &roots), "case %zu", i);
    }
}

Test(roots, a_path_inside_a_root_is_covered_not_added) {
    root_list roots = {0};
    cr_assert(roots_add(&roots, "/a", no_globs, 0, 0));
    cr_assert(roots_add(&roots, "/a/b/c", no_globs, 0, 0));
    cr_assert_eq(roots.n, 1);
    cr_assert_str_eq(roots_covering(&roots, "/a/b/c")->path, "/a");
    cr_assert_null(roots_covering(&roots, "/ab"));
    roots_free(&roots);
}

Test(roots, a_new_root_absorbs_the_roots_below_it) {
    root_list roots = {0};
    cr_assert(roots_add(&roots, "/a/x", no_globs, 0, 0));
    cr_assert(roots_add(&roots, "/a/y", no_globs, 0, 0));
    cr_assert(roots_add(&roots, "/b", no_globs, 0, 0));
    cr_assert(roots_add(&roots, "/a", no_globs, 0, 0));
    cr_assert_eq(roots.n, 2);
    cr_assert_str_eq(roots.items[0].path, "/a");
    cr_assert_str_eq(roots.items[1].path, "/b");
    roots_free(&roots);
}

Test(roots, adding_an_equal_root_replaces_its_options) {
    root_list roots = {0};
    const char *first[] = {"*.tmp"};
    cr_assert(roots_add(&roots, "/a", first, 1, 10));
    cr_assert(roots_add(&roots, "/a", no_globs, 0, 0));
    cr_assert_eq(roots.n, 1);
    cr_assert_eq(roots.items[0].n_excludes, 0);
    cr_assert_eq(roots.items[0].max_size, 0);
    roots_free(&roots);
}

Test(roots, forget_drops_exactly_the_named_root) {
    root_list roots = {0};
    cr_assert(roots_add(&roots, "/a", no_globs, 0, 0));
    cr_assert(roots_add(&roots, "/b", no_globs, 0, 0));
    cr_assert_not(roots_forget(&roots, "/a/sub"));
    cr_assert(roots_forget(&roots, "/a"));
    cr_assert_eq(roots.n, 1);
    cr_assert_str_eq(roots.items[0].path, "/b");
    roots_free(&roots);
}
