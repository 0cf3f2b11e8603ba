/* test_open.c — opening databases for reading and writing, and the statuses
 * of every way that can fail. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shim_fixture.h"

TestSuite(open, .init = fixture_setup, .fini = fixture_teardown);

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

/* Open PATH for reading, expecting failure with STATUS and a message. */
static void expect_open_failure(const char *path, shim_status expected) {
    shim_db *db = (shim_db *)1;
    char *message = NULL;
    shim_status status = shim_db_open(path, &db, &message);
    cr_assert_eq(status, expected, "%s: got %s (%s)", path, shim_status_string(status),
                 message ? message : "");
    cr_assert_null(db);
    cr_assert_not_null(message);
    cr_assert_gt(strlen(message), 0);
    free(message);
}

Test(open, missing_path_is_not_found_with_a_message) {
    expect_open_failure(fixture_path("nothing-here"), SHIM_NOT_FOUND);
}

Test(open, directory_without_a_database_is_not_found) {
    cr_assert_eq(mkdir(fixture_path("garbage"), 0700), 0);
    write_file(fixture_path("garbage/notes.txt"), "just some notes\n");
    expect_open_failure(fixture_path("garbage"), SHIM_NOT_FOUND);
}

Test(open, directory_with_damaged_glass_files_is_corrupt) {
    cr_assert_eq(mkdir(fixture_path("damaged"), 0700), 0);
    write_file(fixture_path("damaged/iamglass"), "this is not a glass version file");
    write_file(fixture_path("damaged/postlist.glass"), "garbage");
    expect_open_failure(fixture_path("damaged"), SHIM_CORRUPT);
}

Test(open, stub_file_with_a_bad_line_is_corrupt) {
    write_file(fixture_path("bad.stub"), "this line means nothing to xapian\n");
    expect_open_failure(fixture_path("bad.stub"), SHIM_CORRUPT);
}

Test(open, empty_or_null_path_is_an_invalid_argument) {
    expect_open_failure("", SHIM_INVALID_ARGUMENT);
    shim_db *db = NULL;
    cr_assert_eq(shim_db_open(NULL, &db, NULL), SHIM_INVALID_ARGUMENT);
    cr_assert_null(db);
    shim_writable_db *w = NULL;
    cr_assert_eq(shim_writable_open("", NULL, &w, NULL), SHIM_INVALID_ARGUMENT);
    cr_assert_null(w);
}

Test(open, open_existing_for_writing_fails_when_there_is_no_database) {
    shim_writable_options options = {SHIM_OPEN_EXISTING, 0};
    shim_writable_db *db = (shim_writable_db *)1;
    char *message = NULL;
    cr_assert_eq(shim_writable_open(fixture_path("none"), &options, &db, &message),
                 SHIM_NOT_FOUND);
    cr_assert_null(db);
    cr_assert_not_null(message);
    free(message);
    struct stat st;
    cr_assert_neq(stat(fixture_path("none"), &st), 0, "nothing may be created");
}

Test(open, create_or_open_creates_an_empty_database_readers_can_open) {
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    shim_db *db = open_reader("db");
    uint32_t count = 99;
    cr_assert_eq(shim_db_doc_count(db, &count), SHIM_OK);
    cr_assert_eq(count, 0);
    shim_db_free(db);
}

Test(open, second_writer_is_locked_out_at_once_then_succeeds_after_close) {
    shim_writable_db *first = open_writer("db");
    shim_writable_db *second = (shim_writable_db *)1;
    char *message = NULL;
    cr_assert_eq(shim_writable_open(fixture_path("db"), NULL, &second, &message), SHIM_LOCKED);
    cr_assert_null(second);
    cr_assert_not_null(message);
    cr_assert_not_null(strstr(message, "lock"), "%s", message);
    free(message);
    add_text(first, "Q1", "kept", NULL);
    cr_assert_eq(shim_writable_close(first), SHIM_OK);

    shim_writable_options options = {SHIM_OPEN_EXISTING, 0};
    cr_assert_eq(shim_writable_open(fixture_path("db"), &options, &second, NULL), SHIM_OK);
    shim_db *reader = shim_writable_reader(second);
    uint32_t count = 0;
    cr_assert_eq(shim_db_doc_count(reader, &count), SHIM_OK);
    cr_assert_eq(count, 1);
    cr_assert_eq(shim_writable_close(second), SHIM_OK);
}

Test(open, overwrite_waits_for_nobody_and_starts_from_empty) {
    shim_writable_db *w = open_writer("db");
    add_text(w, "Q1", "old words", NULL);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);

    shim_writable_db *holder = open_writer("db");
    shim_writable_options overwrite = {SHIM_CREATE_OR_OVERWRITE, 0};
    shim_writable_db *w2 = NULL;
    cr_assert_eq(shim_writable_open(fixture_path("db"), &overwrite, &w2, NULL), SHIM_LOCKED,
                 "overwrite must take the lock first");
    cr_assert_eq(shim_writable_close(holder), SHIM_OK);

    cr_assert_eq(shim_writable_open(fixture_path("db"), &overwrite, &w2, NULL), SHIM_OK);
    cr_assert_eq(shim_writable_close(w2), SHIM_OK);
    shim_db *db = open_reader("db");
    uint32_t count = 99;
    cr_assert_eq(shim_db_doc_count(db, &count), SHIM_OK);
    cr_assert_eq(count, 0);
    shim_db_free(db);
}

Test(open, flush_threshold_option_leaves_the_environment_as_it_was) {
    cr_assert_eq(setenv("XAPIAN_FLUSH_THRESHOLD", "777", 1), 0);
    shim_writable_options options = {SHIM_CREATE_OR_OPEN, 5};
    shim_writable_db *w = NULL;
    cr_assert_eq(shim_writable_open(fixture_path("db"), &options, &w, NULL), SHIM_OK);
    cr_assert_str_eq(getenv("XAPIAN_FLUSH_THRESHOLD"), "777");
    cr_assert_eq(shim_writable_close(w), SHIM_OK);

    cr_assert_eq(unsetenv("XAPIAN_FLUSH_THRESHOLD"), 0);
    cr_assert_eq(shim_writable_open(fixture_path("db"), &options, &w, NULL), SHIM_OK);
    cr_assert_null(getenv("XAPIAN_FLUSH_THRESHOLD"));
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

/* With a threshold of 3, Xapian commits by itself after the third document:
 * a reader sees them although the writer never committed. */
Test(open, flush_threshold_option_makes_xapian_commit_on_its_own) {
    shim_writable_options options = {SHIM_CREATE_OR_OPEN, 3};
    shim_writable_db *w = NULL;
    cr_assert_eq(shim_writable_open(fixture_path("db"), &options, &w, NULL), SHIM_OK);
    add_text(w, NULL, "one", NULL);
    add_text(w, NULL, "two", NULL);
    add_text(w, NULL, "three", NULL);
    add_text(w, NULL, "four", NULL);
    shim_db *db = open_reader("db");
    uint32_t count = 0;
    cr_assert_eq(shim_db_doc_count(db, &count), SHIM_OK);
    cr_assert_eq(count, 3);
    shim_db_free(db);
    shim_writable_abandon(w);
}

Test(open, unknown_open_mode_is_an_invalid_argument) {
    shim_writable_options options = {(shim_open_mode)42, 0};
    shim_writable_db *w = NULL;
    char *message = NULL;
    cr_assert_eq(shim_writable_open(fixture_path("db"), &options, &w, &message),
                 SHIM_INVALID_ARGUMENT);
    cr_assert_null(w);
    free(message);
}

/* Glass keeps its format version in "iamglass" right after the 14-byte magic
 * string; a later version number is what a newer Xapian would write. */
Test(open, database_of_a_newer_format_version_is_a_version_error) {
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    FILE *f = fopen(fixture_path("db/iamglass"), "r+b");
    cr_assert_not_null(f);
    cr_assert_eq(fseek(f, 15, SEEK_SET), 0);
    int byte = fgetc(f);
    cr_assert_neq(byte, EOF);
    cr_assert_eq(fseek(f, 15, SEEK_SET), 0);
    cr_assert_neq(fputc(byte + 1, f), EOF);
    cr_assert_eq(fclose(f), 0);
    expect_open_failure(fixture_path("db"), SHIM_VERSION);
}

Test(open, creating_under_a_missing_parent_directory_is_an_io_error) {
    shim_writable_db *w = (shim_writable_db *)1;
    char *message = NULL;
    shim_status status = shim_writable_open(fixture_path("no/such/parent/db"), NULL, &w, &message);
    cr_assert_eq(status, SHIM_IO, "got %s: %s", shim_status_string(status), message ? message : "");
    cr_assert_null(w);
    cr_assert_not_null(message);
    free(message);
}
