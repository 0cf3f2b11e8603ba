/* test_walk.c — the walker: order, hidden files, excludes, symbolic links,
 * loops, the database folder, odd entries. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "indexer/walk.h"

/* What a walk saw, as text: files relative to the temp folder, problems as
 * "!kind:path". */
typedef struct seen {
    const char *base;
    char text[8192];
    int stop_after;   /* stop after this many files (0: never) */
    int files;
} seen;

static void append(seen *s, const char *prefix, const char *path)
{
    size_t base = strlen(s->base);
    const char *shown = strncmp(path, s->base, base) == 0 ? path + base + 1 : path;
    size_t used = strlen(s->text);
    snprintf(s->text + used, sizeof s->text - used, "%s%s%s", used ? " " : "", prefix, shown);
}

static int on_file(void *context, const char *path, size_t len, const struct stat *st)
{
    seen *s = context;
    cr_assert_eq(strlen(path), len);
    cr_assert(S_ISREG(st->st_mode));
    append(s, "", path);
    s->files++;
    return s->stop_after && s->files >= s->stop_after ? 7 : 0;
}

static void on_problem(void *context, const char *path, size_t len, walk_problem problem,
                       int error)
{
    (void)len;
    (void)error;
    static const char *const names[] = {"!missing:", "!unreadable:", "!loop:", "!dangling:",
                                        "!special:"};
    append(context, names[problem], path);
}

static char *dir;

static void setup(void)
{
    dir = make_temp();
}

static void teardown(void)
{
    remove_temp(dir);
}

TestSuite(walk, .init = setup, .fini = teardown);

static int walk_from(const char *root, const walk_filter *filter, seen *s)
{
    s->base = dir;
    walk_callbacks callbacks = {on_file, on_problem, s};
    walk_filter none = {0};
    return walk_root(root, filter ? filter : &none, &callbacks);
}

Test(walk, visits_sorted_depth_first) {
    write_file(dir, "b.txt", "b", 1);
    write_file(dir, "a/z.txt", "z", 1);
    write_file(dir, "a/b.txt", "b", 1);
    write_file(dir, "a.txt", "a", 1);
    write_file(dir, "c/d/e.txt", "e", 1);
    seen s = {0};
    cr_assert_eq(walk_from(dir, NULL, &s), 0);
    cr_assert_str_eq(s.text, "a/b.txt a/z.txt a.txt b.txt c/d/e.txt");
}

Test(walk, hidden_entries_are_skipped_below_the_root_only) {
    write_file(dir, ".config/app/settings.txt", "x", 1);
    write_file(dir, ".config/app/.git/HEAD", "x", 1);
    write_file(dir, ".config/app/.hidden.txt", "x", 1);
    write_file(dir, ".config/app/sub/.svn/entries", "x", 1);
    write_file(dir, ".config/app/sub/kept.txt", "x", 1);
    seen s = {0};
    cr_assert_eq(walk_from(in_dir(dir, ".config/app"), NULL, &s), 0);
    cr_assert_str_eq(s.text, ".config/app/settings.txt .config/app/sub/kept.txt");
}

Test(walk, excludes_match_names_relative_paths_and_absolute_paths) {
    write_file(dir, "keep.txt", "x", 1);
    write_file(dir, "debug.log", "x", 1);
    write_file(dir, "node_modules/pkg/index.js", "x", 1);
    write_file(dir, "build/out/result.txt", "x", 1);
    write_file(dir, "src/build/kept.txt", "x", 1);
    write_file(dir, "docs/private/secret.txt", "x", 1);
    char absolute[1200];
    snprintf(absolute, sizeof absolute, "%s/docs/priv*", dir);
    const char *globs[] = {"*.log", "node_modules", "build/*", absolute};
    /* The relative glob matches "build/out", not "src/build/kept.txt". */
    walk_filter filter = {.excludes = globs, .n_excludes = 4};
    seen s = {0};
    cr_assert_eq(walk_from(dir, &filter, &s), 0);
    cr_assert_str_eq(s.text, "keep.txt src/build/kept.txt");
}

Test(walk, exclude_glob_star_does_not_cross_slashes) {
    const char *globs[] = {"a/*"};
    walk_filter filter = {.excludes = globs, .n_excludes = 1};
    cr_assert(walk_excluded(&filter, "/r/a/x", "a/x", "x"));
    cr_assert_not(walk_excluded(&filter, "/r/b/a/x", "b/a/x", "x"));
    const char *names[] = {"*.tmp"};
    walk_filter by_name = {.excludes = names, .n_excludes = 1};
    cr_assert(walk_excluded(&by_name, "/r/deep/dir/f.tmp", "deep/dir/f.tmp", "f.tmp"));
}

Test(walk, symbolic_links_are_followed_under_their_own_path) {
    char *outside = make_temp();
    write_file(outside, "far.txt", "x", 1);
    write_file(dir, "root/near.txt", "x", 1);
    cr_assert_eq(symlink(outside, in_dir(dir, "root/linked")), 0);
    cr_assert_eq(symlink("near.txt", in_dir(dir, "root/alias.txt")), 0);
    seen s = {0};
    cr_assert_eq(walk_from(in_dir(dir, "root"), NULL, &s), 0);
    cr_assert_str_eq(s.text, "root/alias.txt root/linked/far.txt root/near.txt");
    remove_temp(outside);
}

Test(walk, symlink_loops_are_reported_not_followed) {
    write_file(dir, "root/sub/file.txt", "x", 1);
    cr_assert_eq(symlink("..", in_dir(dir, "root/sub/up")), 0);
    cr_assert_eq(symlink("self", in_dir(dir, "root/self")), 0);
    seen s = {0};
    cr_assert_eq(walk_from(in_dir(dir, "root"), NULL, &s), 0);
    cr_assert_str_eq(s.text, "!loop:root/self root/sub/file.txt !loop:root/sub/up");
}

Test(walk, dangling_links_and_fifos_are_reported) {
    write_file(dir, "root/ok.txt", "x", 1);
    cr_assert_eq(symlink("nowhere", in_dir(dir, "root/broken")), 0);
    cr_assert_eq(mkfifo(in_dir(dir, "root/pipe"), 0600), 0);
    seen s = {0};
    cr_assert_eq(walk_from(in_dir(dir, "root"), NULL, &s), 0);
    cr_assert_str_eq(s.text, "!dangling:root/broken root/ok.txt !special:root/pipe");
}

Test(walk, the_database_folder_is_never_entered) {
    write_file(dir, "root/db/postlist.glass", "x", 1);
    write_file(dir, "root/doc.txt", "x", 1);
    struct stat st;
    cr_assert_eq(stat(in_dir(dir, "root/db"), &st), 0);
    walk_filter filter = {.skip_dir = true, .skip_dev = st.st_dev, .skip_ino = st.st_ino};
    seen s = {0};
    cr_assert_eq(walk_from(in_dir(dir, "root"), &filter, &s), 0);
    cr_assert_str_eq(s.text, "root/doc.txt");
}

Test(walk, a_file_root_is_its_only_file) {
    write_file(dir, "single.txt", "x", 1);
    seen s = {0};
    cr_assert_eq(walk_from(in_dir(dir, "single.txt"), NULL, &s), 0);
    cr_assert_str_eq(s.text, "single.txt");
}

Test(walk, a_missing_root_is_reported) {
    seen s = {0};
    cr_assert_eq(walk_from(in_dir(dir, "gone"), NULL, &s), -1);
    cr_assert_str_eq(s.text, "!missing:gone");
}

Test(walk, a_callback_can_stop_the_walk) {
    write_file(dir, "1.txt", "x", 1);
    write_file(dir, "2.txt", "x", 1);
    write_file(dir, "3.txt", "x", 1);
    seen s = {.stop_after = 2};
    cr_assert_eq(walk_from(dir, NULL, &s), 7);
    cr_assert_str_eq(s.text, "1.txt 2.txt");
}

Test(walk, unreadable_folders_are_reported) {
    if (geteuid() == 0)
        cr_skip_test("running as root: permissions do not stop root from reading a folder");
    write_file(dir, "root/locked/inside.txt", "x", 1);
    write_file(dir, "root/open.txt", "x", 1);
    chmod(in_dir(dir, "root/locked"), 0);
    seen s = {0};
    cr_assert_eq(walk_from(in_dir(dir, "root"), NULL, &s), 0);
    cr_assert_str_eq(s.text, "!unreadable:root/locked root/open.txt");
}

Test(walk, names_with_newlines_and_invalid_utf8_are_walked) {
    write_file(dir, "odd\nname.txt", "x", 1);
    write_file(dir, "bad\xff\xfe.txt", "x", 1);
    seen s = {0};
    cr_assert_eq(walk_from(dir, NULL, &s), 0);
    cr_assert_str_eq(s.text, "bad\xff\xfe.txt odd\nname.txt");
}
