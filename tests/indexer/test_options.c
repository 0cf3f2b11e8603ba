/* test_options.c — the command line and the plan it makes with the roots. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "indexer/options.h"
#include "indexer/targets.h"

static options_result parse(index_options *o, char *const *args)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = "kensaku-index";
    for (size_t i = 0; args[i]; i++)
        argv[argc++] = args[i];
    argv[argc] = NULL;
    FILE *null = fopen("/dev/null", "w");
    options_result r = options_parse(argc, argv, o, null, null);
    fclose(null);
    return r;
}

Test(options, every_option_of_the_contract) {
    index_options o;
    char *args[] = {"--db", "/tmp/x.db", "--rebuild", "--no-delete", "--forget", "/old",
                    "--lang", "french", "--exclude", "*.log", "--exclude", "tmp",
                    "--max-size", "2M", "--jobs", "3", "--no-merge", "--lock-timeout", "1.5",
                    "--retry-failed", "--json", "--quiet", "--verbose", "/r/a", "b", NULL};
    cr_assert_eq(parse(&o, args), OPTIONS_RUN);
    cr_assert_str_eq(o.db_path, "/tmp/x.db");
    cr_assert(o.rebuild && o.no_delete && o.no_merge && o.retry_failed && o.json && o.quiet &&
              o.verbose);
    cr_assert_eq(o.n_forget, 1);
    cr_assert_str_eq(o.forget[0], "/old");
    cr_assert_str_eq(o.lang, "french");
    cr_assert_eq(o.n_excludes, 2);
    cr_assert_eq(o.max_size, 2u << 20);
    cr_assert_eq(o.jobs, 3);
    cr_assert_float_eq(o.lock_timeout, 1.5, 1e-9);
    cr_assert_eq(o.n_paths, 2);
    cr_assert_str_eq(o.paths[0], "/r/a");
    char *cwd = getcwd(NULL, 0);
    char expected[4096];
    snprintf(expected, sizeof expected, "%s/b", strcmp(cwd, "/") ? cwd : "");
    cr_assert_str_eq(o.paths[1], expected, "relative paths are made absolute");
    free(cwd);
    options_free(&o);
}

Test(options, database_from_environment) {
    index_options o;
    char *args[] = {NULL};
    setenv("KENSAKU_DB", "/env/db", 1);
    cr_assert_eq(parse(&o, args), OPTIONS_RUN);
    cr_assert_str_eq(o.db_path, "/env/db");
    options_free(&o);
    unsetenv("KENSAKU_DB");
    setenv("XDG_DATA_HOME", "/xdg", 1);
    cr_assert_eq(parse(&o, args), OPTIONS_RUN);
    cr_assert_str_eq(o.db_path, "/xdg/kensaku/db");
    options_free(&o);
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/someone", 1);
    cr_assert_eq(parse(&o, args), OPTIONS_RUN);
    cr_assert_str_eq(o.db_path, "/home/someone/.local/share/kensaku/db");
    options_free(&o);
}

Test(options, usage_errors) {
    char *const *const cases[] = {
        (char *[]){"--jobs", "0", NULL},        (char *[]){"--jobs", "many", NULL},
        (char *[]){"--max-size", "-1", NULL},   (char *[]){"--max-size", "12Q", NULL},
        (char *[]){"--lock-timeout", "-2", NULL}, (char *[]){"--bogus", NULL},
        (char *[]){"--db", NULL},               (char *[]){"-x", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        index_options o;
        cr_assert_eq(parse(&o, cases[i]), OPTIONS_USAGE, "case %zu", i);
        options_free(&o);
    }
}

Test(options, help_and_version_exit_zero) {
    index_options o;
    cr_assert_eq(parse(&o, (char *[]){"--help", NULL}), OPTIONS_EXIT_OK);
    options_free(&o);
    cr_assert_eq(parse(&o, (char *[]){"--version", NULL}), OPTIONS_EXIT_OK);
    options_free(&o);
}

Test(options, everything_after_double_dash_is_a_path) {
    index_options o;
    cr_assert_eq(parse(&o, (char *[]){"--db", "/d", "--", "--json", NULL}), OPTIONS_RUN);
    cr_assert_not(o.json);
    cr_assert_eq(o.n_paths, 1);
    options_free(&o);
}

/* ------------------------------------------------------------ the plan */

static char *dir;

static void setup(void)
{
    dir = make_temp();
    write_file(dir, "notes/a.txt", "a", 1);
    write_file(dir, "notes/sub/b.txt", "b", 1);
    write_file(dir, "papers/c.txt", "c", 1);
}

static void teardown(void)
{
    remove_temp(dir);
}

TestSuite(plan, .init = setup, .fini = teardown);

static void plan_args(char *const *args, root_list *roots, targets *plan, bool expect_ok)
{
    index_options o;
    cr_assert_eq(parse(&o, args), OPTIONS_RUN);
    char *message = NULL;
    bool ok = targets_plan(&o, roots, plan, &message);
    cr_assert_eq(ok, expect_ok, "%s", message ? message : "");
    free(message);
    options_free(&o);
}

Test(plan, paths_are_walked_and_remembered_with_their_options) {
    root_list roots = {0};
    targets plan;
    char notes[1100];
    snprintf(notes, sizeof notes, "%s/notes", dir);
    plan_args((char *[]){"--db", "/d", "--exclude", "*.log", notes, NULL}, &roots, &plan, true);
    cr_assert_eq(plan.walk.n, 1);
    cr_assert_eq(plan.walk.items[0].n_excludes, 1);
    cr_assert_eq(roots.n, 1);
    cr_assert_str_eq(roots.items[0].excludes[0], "*.log");
    targets_free(&plan);

    /* A bare run walks the remembered root with its remembered options. */
    plan_args((char *[]){"--db", "/d", NULL}, &roots, &plan, true);
    cr_assert_eq(plan.walk.n, 1);
    cr_assert_str_eq(plan.walk.items[0].excludes[0], "*.log");
    targets_free(&plan);

    /* A path inside it is walked with the root's options, not remembered. */
    char sub[1100];
    snprintf(sub, sizeof sub, "%s/notes/sub", dir);
    plan_args((char *[]){"--db", "/d", sub, NULL}, &roots, &plan, true);
    cr_assert_eq(plan.walk.n, 1);
    cr_assert_str_eq(plan.walk.items[0].path, sub);
    cr_assert_eq(plan.walk.items[0].n_excludes, 1);
    cr_assert_eq(roots.n, 1);
    targets_free(&plan);
    roots_free(&roots);
}

Test(plan, nested_paths_are_walked_once) {
    root_list roots = {0};
    targets plan;
    char notes[1100], sub[1100];
    snprintf(notes, sizeof notes, "%s/notes", dir);
    snprintf(sub, sizeof sub, "%s/notes/sub", dir);
    plan_args((char *[]){"--db", "/d", sub, notes, NULL}, &roots, &plan, true);
    cr_assert_eq(plan.walk.n, 1);
    cr_assert_str_eq(plan.walk.items[0].path, notes);
    targets_free(&plan);
    roots_free(&roots);
}

Test(plan, missing_path_nothing_to_do_and_unknown_forget_are_refused) {
    root_list roots = {0};
    targets plan;
    char gone[1100];
    snprintf(gone, sizeof gone, "%s/gone", dir);
    plan_args((char *[]){"--db", "/d", gone, NULL}, &roots, &plan, false);
    targets_free(&plan);
    plan_args((char *[]){"--db", "/d", NULL}, &roots, &plan, false);
    targets_free(&plan);
    plan_args((char *[]){"--db", "/d", "--forget", "/nowhere", NULL}, &roots, &plan, false);
    targets_free(&plan);
    roots_free(&roots);
}

Test(plan, forget_drops_the_root_and_walks_nothing_else) {
    root_list roots = {0};
    targets plan;
    char notes[1100], papers[1100];
    snprintf(notes, sizeof notes, "%s/notes", dir);
    snprintf(papers, sizeof papers, "%s/papers", dir);
    plan_args((char *[]){"--db", "/d", notes, papers, NULL}, &roots, &plan, true);
    targets_free(&plan);
    plan_args((char *[]){"--db", "/d", "--forget", notes, NULL}, &roots, &plan, true);
    cr_assert_eq(plan.walk.n, 0);
    cr_assert_eq(plan.n_forgotten, 1);
    cr_assert_eq(roots.n, 1);
    cr_assert_str_eq(roots.items[0].path, papers);
    targets_free(&plan);
    roots_free(&roots);
}
