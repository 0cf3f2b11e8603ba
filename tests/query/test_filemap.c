/* test_filemap.c — passages to files through the runs each shard stores:
 * after files are added, changed, renamed and deleted by kensaku-index (two
 * shards), every passage maps to the file key its value holds; without
 * stored runs (a database from before them) the values are read instead,
 * and the next indexing run stores them again. */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "query/filemap.h"
#include "schema/file_runs.h"
#include "schema/schema.h"
#include "shim/shim.h"

static char root[] = "/tmp/kensaku-filemap-XXXXXX";
static char docs[128], db_path[128];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void setup(void)
{
    cr_assert_not_null(mkdtemp(root));
    snprintf(docs, sizeof docs, "%s/docs", root);
    snprintf(db_path, sizeof db_path, "%s/db", root);
    cr_assert_eq(mkdir(docs, 0755), 0);
}

static void teardown(void)
{
    nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(filemap, .init = setup, .fini = teardown, .timeout = 120);

/* File N with PARAGRAPHS paragraphs of its own words (several passages). */
static void write_file(const char *name, int n, int paragraphs)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", docs, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    for (int p = 0; p < paragraphs; p++) {
        for (int w = 0; w < 70; w++)
            fprintf(f, "file%d paragraph%d word%d lighthouse keeper%s", n, p, w,
                    w % 12 == 11 ? ".\n" : " ");
        fputs("\n\n", f);
    }
    fclose(f);
}

/* COUNT files named LETTER00.txt, LETTER01.txt, ..., file N with
 * LEAST + N % SPREAD paragraphs. */
static void write_files(char letter, int count, int least, int spread)
{
    for (int n = 0; n < count; n++) {
        char name[32];
        snprintf(name, sizeof name, "%c%02d.txt", letter, n);
        write_file(name, n, least + n % spread);
    }
}

static void index_docs(void)
{
    const char *indexer = getenv("KENSAKU_INDEX");
    cr_assert_not_null(indexer, "set KENSAKU_INDEX");
    char command[1024];
    snprintf(command, sizeof command, "'%s' --db '%s' --jobs 2 --no-merge --quiet '%s'", indexer, db_path,
             docs);
    cr_assert_eq(system(command), 0, "%s", command);
}

/* Every document's key by the file map equals its value; RUNS: whether the
 * map had stored runs to go by. */
static void expect_map_matches_values(bool runs)
{
    shim_db *db = NULL;
    char *message = NULL;
    cr_assert_eq(shim_db_open(db_path, &db, &message), SHIM_OK, "%s", message ? message : "");
    cr_expect_eq(shim_db_shard_count(db), 2, "kensaku-index --jobs 2 --no-merge keeps two shards");
    uint32_t doc_count = 0, last = 0;
    cr_assert_eq(shim_db_doc_count(db, &doc_count), SHIM_OK);
    cr_assert_eq(shim_db_last_docid(db, &last), SHIM_OK);
    cr_assert_gt(doc_count, 20);

    /* Enough look-ups announced for the runs to be read. */
    filemap map = {0};
    cr_assert_eq(filemap_prepare(&map, db, doc_count, last, 100000), SHIM_OK);
    cr_expect_eq(map.runs != NULL, runs);
    cr_expect(filemap_ready(&map));
    uint32_t *ids = calloc(last, sizeof *ids);
    uint64_t *keys = calloc(last, sizeof *keys);
    for (uint32_t i = 0; i < last; i++)
        ids[i] = i + 1;
    cr_assert_eq(filemap_keys(&map, db, doc_count, last, ids, last, keys), SHIM_OK);
    uint32_t mapped = 0;
    for (uint32_t id = 1; id <= last; id++) {
        char *value = NULL;
        size_t len = 0;
        cr_assert_eq(shim_db_document_value(db, id, SCHEMA_SLOT_FILE_KEY, &value, &len) ==
                         SHIM_OK || len == 0, true);
        uint64_t want = len == SCHEMA_FILE_KEY_BYTES ? schema_file_key_number(value) : 0;
        free(value);
        cr_expect_eq(keys[id - 1], want, "document %u", id);
        if (runs)
            cr_expect_eq(filemap_lookup(&map, id), want, "document %u", id);
        mapped += want != 0;
    }
    cr_expect_eq(mapped, doc_count, "every passage has a file");

    /* Batch mode's table, built from the runs or the values, agrees too. */
    filemap table = {.prefer_table = true};
    cr_assert_eq(filemap_prepare(&table, db, doc_count, last, 0), SHIM_OK);
    cr_assert_not_null(table.table);
    for (uint32_t id = 1; id <= last; id++)
        cr_expect_eq(filemap_lookup(&table, id), keys[id - 1], "document %u", id);

    filemap_reset(&map);
    filemap_reset(&table);
    free(ids);
    free(keys);
    shim_db_free(db);
}

/* Drop the stored runs of shard 0, as a database written without them. */
static void forget_runs_of_first_shard(void)
{
    char shard[256];
    snprintf(shard, sizeof shard, "%s/gen1-shard0", db_path);
    shim_writable_options options = {.mode = SHIM_OPEN_EXISTING};
    shim_writable_db *w = NULL;
    cr_assert_eq(shim_writable_open(shard, &options, &w, NULL), SHIM_OK, "%s", shard);
    cr_assert_eq(shim_writable_set_metadata(w, SCHEMA_META_FILE_RUNS, "", 0), SHIM_OK);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

Test(filemap, runs_follow_files_added_changed_renamed_and_deleted) {
    write_files('f', 24, 1, 5);
    index_docs();
    expect_map_matches_values(true);

    /* Longer, shorter, renamed, deleted, new. */
    write_file("f01.txt", 101, 7);
    write_file("f02.txt", 102, 1);
    char from[256], to[256];
    snprintf(from, sizeof from, "%s/f03.txt", docs);
    snprintf(to, sizeof to, "%s/renamed.txt", docs);
    cr_assert_eq(rename(from, to), 0);
    snprintf(from, sizeof from, "%s/f04.txt", docs);
    cr_assert_eq(unlink(from), 0);
    write_file("new.txt", 200, 3);
    sleep(1); /* a new mtime second for the files rewritten in place */
    write_file("f05.txt", 105, 2);
    index_docs();
    expect_map_matches_values(true);
}

Test(filemap, without_stored_runs_values_are_read_and_the_next_run_stores_them) {
    write_files('g', 16, 2, 3);
    index_docs();
    forget_runs_of_first_shard();
    expect_map_matches_values(false);

    write_file("g00.txt", 300, 4);
    write_file("g15.txt", 315, 1);
    index_docs();
    expect_map_matches_values(true);
}
