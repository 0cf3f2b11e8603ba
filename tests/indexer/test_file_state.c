/* test_file_state.c — per-file records: encoding, keys, and loading them
 * back from a database's metadata. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "indexer/file_state.h"
#include "indexer/file_table.h"

static void assert_same(const file_record *a, const file_record *b)
{
    cr_assert_eq(a->kind, b->kind);
    cr_assert(file_signature_equal(&a->signature, &b->signature));
    cr_assert_eq(a->passages, b->passages);
    cr_assert_eq(a->limit, b->limit);
    cr_assert_eq(a->path_len, b->path_len);
    cr_assert_eq(memcmp(a->path, b->path, a->path_len), 0);
    cr_assert_str_eq(a->reason, b->reason);
}

static void round_trip(const file_record *in)
{
    size_t len = 0;
    char *value = file_record_encode(in, &len);
    cr_assert_not_null(value);
    file_record out;
    cr_assert(file_record_decode(value, len, &out), "%s", value);
    assert_same(in, &out);
    file_record_free(&out);
    free(value);
}

Test(file_state, records_round_trip) {
    char path[] = "/home/me/notes.txt";
    file_record indexed = {FILE_INDEXED, {1234, 1700000000123456789, 1700000001000000001, 42},
                           7, 0, path, strlen(path), ""};
    round_trip(&indexed);
    char odd[] = "/tmp/new\nline\xff.bin";
    file_record skipped = {FILE_SKIPPED, {0, -5, 0, UINT64_MAX}, 0, 1u << 20, odd, strlen(odd),
                           "decompresses past the size limit"};
    round_trip(&skipped);
    file_record failed = {FILE_FAILED, {UINT64_MAX, INT64_MAX, INT64_MIN + 1, 1}, 0, 0, path,
                          strlen(path), "PDF: PDF document is damaged\nsecond line"};
    round_trip(&failed);
}

Test(file_state, garbage_is_refused) {
    static const char *const bad[] = {
        "", "S1 ", "S2 i 1 1 1 1 1 0 2\n/a\n", "S1 x 1 1 1 1 1 0 2\n/a\n",
        "S1 i 1 1 1 1 1 0 9\n/a\n", "S1 i 1 1 1 1 1 0 2\n/ab", "S1 i -1 1 1 1 1 0 2\n/a\n",
        "S1 i 1 1 1 1 4294967296 0 2\n/a\n", "S1 i 1 1 1 1 1 0 0\n\n",
        "S1 i 1 1 1 1 1 2\n/a\n", /* the limit missing */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        file_record r;
        cr_assert_not(file_record_decode(bad[i], strlen(bad[i]), &r), "case %zu", i);
    }
}

Test(file_state, signature_compares_every_field) {
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_size = 10;
    st.st_mtim.tv_sec = 100;
    st.st_mtim.tv_nsec = 5;
    st.st_ctim.tv_sec = 200;
    st.st_ino = 9;
    file_signature a = file_signature_of(&st);
    cr_assert_eq(a.mtime_ns, 100000000005);
    file_signature b = a;
    cr_assert(file_signature_equal(&a, &b));
    b.mtime_ns++;
    cr_assert_not(file_signature_equal(&a, &b), "a nanosecond counts");
    b = a;
    b.ctime_ns++;
    cr_assert_not(file_signature_equal(&a, &b));
    b = a;
    b.inode++;
    cr_assert_not(file_signature_equal(&a, &b));
    b = a;
    b.size++;
    cr_assert_not(file_signature_equal(&a, &b));
}

Test(file_state, keys_fit_xapian_even_for_long_paths) {
    char key[SCHEMA_TERM_MAX];
    size_t len = file_state_key(SCHEMA_META_FILE_PREFIX, "/a/b.txt", 8, key);
    cr_assert_str_eq(key, "kensaku.file:XF/a/b.txt");
    cr_assert_eq(len, strlen(key));
    char longest[400];
    memset(longest, 'p', sizeof longest);
    longest[0] = '/';
    len = file_state_key(SCHEMA_META_FAILED_PREFIX, longest, sizeof longest, key);
    cr_assert_leq(len, SHIM_MAX_TERM_BYTES);
    cr_assert_eq(strncmp(key, "kensaku.failed:#", 16), 0);
    char again[SCHEMA_TERM_MAX];
    file_state_key(SCHEMA_META_FAILED_PREFIX, longest, sizeof longest, again);
    cr_assert_str_eq(key, again);
    longest[399] = 'q';
    file_state_key(SCHEMA_META_FAILED_PREFIX, longest, sizeof longest, again);
    cr_assert_str_neq(key, again);
}

/* Records written to a database come back in a table keyed by path. */
Test(file_state, table_loads_every_record_by_path) {
    char *dir = make_temp();
    shim_writable_db *w = NULL;
    cr_assert_eq(shim_writable_open(in_dir(dir, "db"), NULL, &w, NULL), SHIM_OK);
    char p1[] = "/r/one.txt", p2[] = "/r/two.bin", p3[] = "/r/three.pdf";
    file_record records[] = {
        {FILE_INDEXED, {1, 2, 3, 4}, 5, 0, p1, strlen(p1), ""},
        {FILE_SKIPPED, {6, 7, 8, 9}, 0, 0, p2, strlen(p2), "binary"},
        {FILE_FAILED, {10, 11, 12, 13}, 0, 0, p3, strlen(p3), "PDF: damaged"},
    };
    for (size_t i = 0; i < 3; i++) {
        const char *prefix = records[i].kind == FILE_FAILED ? SCHEMA_META_FAILED_PREFIX
                                                            : SCHEMA_META_FILE_PREFIX;
        char key[SCHEMA_TERM_MAX];
        file_state_key(prefix, records[i].path, records[i].path_len, key);
        size_t len = 0;
        char *value = file_record_encode(&records[i], &len);
        cr_assert_eq(shim_writable_set_metadata(w, key, value, len), SHIM_OK);
        free(value);
    }
    cr_assert_eq(shim_writable_set_metadata(w, "kensaku.file:XF/junk", "not a record", 12),
                 SHIM_OK);
    file_table *table = file_table_new();
    shim_db *db = shim_writable_reader(w);
    cr_assert_eq(file_table_load(table, db, 3, SCHEMA_META_FILE_PREFIX), SHIM_OK);
    cr_assert_eq(file_table_load(table, db, 3, SCHEMA_META_FAILED_PREFIX), SHIM_OK);
    cr_assert_eq(file_table_size(table), 3, "the undecodable record is ignored");
    file_entry *e = file_table_find(table, "/r/two.bin");
    cr_assert_not_null(e);
    cr_assert_eq(e->kind, FILE_SKIPPED);
    cr_assert_eq(e->shard, 3);
    cr_assert_str_eq(e->reason, "binary");
    e = file_table_find(table, "/r/one.txt");
    cr_assert_eq(e->passages, 5);
    cr_assert_null(e->reason);
    cr_assert_eq(file_table_find(table, "/r/three.pdf")->kind, FILE_FAILED);
    cr_assert_null(file_table_find(table, "/r/four"));
    file_table_free(table);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    remove_temp(dir);
}
