/* test_prepare.c — a file's text into passage documents: the terms, values
 * and data DESIGN.md asks of every passage, spelling words, and chunking of
 * large texts. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "indexer/prepare.h"
#include "schema/schema.h"

/* Every chunk prepare_text hands over, in order. */
typedef struct collected {
    prepared_chunk *chunks[4096];
    size_t n;
} collected;

static int collect(void *context, prepared_chunk *chunk)
{
    collected *c = context;
    cr_assert_lt(c->n, 4096);
    c->chunks[c->n++] = chunk;
    return 0;
}

static void free_collected(collected *c)
{
    for (size_t i = 0; i < c->n; i++)
        prepared_chunk_free(c->chunks[i]);
}

static char *dir;
static shim_writable_db *db;
static preparer *prep;

static void setup(void)
{
    dir = make_temp();
    cr_assert_eq(shim_writable_open(in_dir(dir, "db"), NULL, &db, NULL), SHIM_OK);
    text_config config;
    text_config_default(&config);
    char *message = NULL;
    prep = preparer_new(&config, &message);
    cr_assert_not_null(prep, "%s", message ? message : "");
}

static void teardown(void)
{
    preparer_free(prep);
    shim_writable_close(db);
    remove_temp(dir);
}

TestSuite(prepare, .init = setup, .fini = teardown);

/* Prepare TEXT as the file PATH and add every document to the database. */
static uint32_t prepare_and_add(const char *path, const char *text, size_t *chunks)
{
    collected c = {0};
    uint32_t passages = 0;
    char reason[200] = "";
    prepare_status status = prepare_text(prep, path, strlen(path), 1700000000123456789,
                                         text, strlen(text), collect, &c, &passages, reason,
                                         sizeof reason);
    cr_assert_eq(status, PREPARE_OK, "%s", reason);
    size_t docs = 0;
    for (size_t i = 0; i < c.n; i++) {
        for (size_t d = 0; d < c.chunks[i]->n_docs; d++)
            cr_assert_eq(shim_writable_add_document(db, c.chunks[i]->docs[d], NULL), SHIM_OK);
        docs += c.chunks[i]->n_docs;
    }
    cr_assert_eq(docs, passages);
    if (chunks)
        *chunks = c.n;
    free_collected(&c);
    return passages;
}

static uint32_t term_freq(const char *term)
{
    uint32_t freq = 0;
    cr_assert_eq(shim_db_term_freq(shim_writable_reader(db), term, &freq, NULL), SHIM_OK);
    return freq;
}

Test(prepare, every_passage_carries_the_file_terms_values_and_record) {
    const char *text = "Lanterns glow over the harbour at dusk.\n\n"
                       "Ferrymen count their passengers every evening.\n";
    uint32_t passages = prepare_and_add("/srv/docs/Harbour.TXT", text, NULL);
    cr_assert_geq(passages, 1);
    cr_assert_eq(term_freq("XF/srv/docs/Harbour.TXT"), passages);
    cr_assert_eq(term_freq("XP/srv"), passages);
    cr_assert_eq(term_freq("XP/srv/docs"), passages);
    cr_assert_eq(term_freq("XP/"), 0, "the root folder gets no term");
    cr_assert_eq(term_freq("Etxt"), passages, "extensions are lower case");
    cr_assert_eq(term_freq("lanterns"), 1);
    cr_assert_eq(term_freq("Zlantern"), 1);

    char unique[SCHEMA_TERM_MAX];
    schema_unique_term("XF/srv/docs/Harbour.TXT", 1, unique);
    uint32_t docid = 0;
    shim_db *reader = shim_writable_reader(db);
    cr_assert_eq(shim_db_find_by_term(reader, unique, &docid), SHIM_OK);

    char *data = NULL, *value = NULL;
    size_t len = 0;
    cr_assert_eq(shim_db_document_data(reader, docid, &data, &len), SHIM_OK);
    schema_passage_record record;
    cr_assert(schema_record_decode(data, len, &record));
    cr_assert_eq(record.passage, 1);
    cr_assert_eq(record.line, 1);
    cr_assert_eq(record.path_len, strlen("/srv/docs/Harbour.TXT"));
    cr_assert_eq(memcmp(record.text, text + record.start, record.text_len), 0,
                 "the record's text is the passage's slice of the file's text");
    free(data);

    char key[SCHEMA_FILE_KEY_BYTES];
    schema_file_key("/srv/docs/Harbour.TXT", strlen("/srv/docs/Harbour.TXT"), key);
    cr_assert_eq(shim_db_document_value(reader, docid, SCHEMA_SLOT_FILE_KEY, &value, &len),
                 SHIM_OK);
    cr_assert_eq(len, SCHEMA_FILE_KEY_BYTES);
    cr_assert_eq(memcmp(value, key, len), 0);
    free(value);
    cr_assert_eq(shim_db_document_value(reader, docid, SCHEMA_SLOT_MTIME, &value, &len), SHIM_OK);
    cr_assert_float_eq(shim_sortable_unserialise(value, len), 1700000000.0, 0.5);
    free(value);
    cr_assert_eq(shim_db_document_value(reader, docid, SCHEMA_SLOT_PASSAGE, &value, &len),
                 SHIM_OK);
    cr_assert_float_eq(shim_sortable_unserialise(value, len), 1.0, 1e-9);
    free(value);
}

Test(prepare, passages_are_numbered_from_one_in_order) {
    /* Many paragraphs of many words: several passages. */
    char *text = malloc(200000);
    size_t n = 0;
    for (int p = 0; p < 60; p++) {
        for (int w = 0; w < 80; w++)
            n += (size_t)sprintf(text + n, "word%c%c ", 'a' + p % 26, 'a' + w % 26);
        n += (size_t)sprintf(text + n, "\n\n");
    }
    uint32_t passages = prepare_and_add("/r/long.txt", text, NULL);
    cr_assert_gt(passages, 3);
    shim_db *reader = shim_writable_reader(db);
    uint64_t last_end = 0;
    for (uint32_t i = 1; i <= passages; i++) {
        char unique[SCHEMA_TERM_MAX];
        schema_unique_term("XF/r/long.txt", i, unique);
        uint32_t docid = 0;
        cr_assert_eq(shim_db_find_by_term(reader, unique, &docid), SHIM_OK, "passage %u", i);
        char *data = NULL;
        size_t len = 0;
        cr_assert_eq(shim_db_document_data(reader, docid, &data, &len), SHIM_OK);
        schema_passage_record record;
        cr_assert(schema_record_decode(data, len, &record));
        cr_assert_eq(record.passage, i);
        cr_assert_geq(record.start, last_end, "passages do not overlap");
        last_end = record.end;
        free(data);
    }
    free(text);
}

Test(prepare, a_large_text_comes_in_several_chunks) {
    size_t size = 3u << 20;
    char *text = malloc(size + 1);
    size_t n = 0;
    while (n + 16 < size) {
        n += (size_t)sprintf(text + n, "tide%zu ", n % 997);
        if (n % 500 < 8)
            n += (size_t)sprintf(text + n, "\n\n");
    }
    text[n] = '\0';
    size_t chunks = 0;
    prepare_and_add("/r/big.txt", text, &chunks);
    cr_assert_gt(chunks, 1, "documents of a large file travel in several chunks");
    free(text);
}

Test(prepare, spelling_words_count_passages_not_occurrences) {
    collected c = {0};
    uint32_t passages = 0;
    char reason[200];
    const char *text = "lighthouse lighthouse lighthouse x86 ab 1234";
    cr_assert_eq(prepare_text(prep, "/r/s.txt", 8, 0, text, strlen(text), collect, &c,
                              &passages, reason, sizeof reason),
                 PREPARE_OK);
    cr_assert_eq(passages, 1);
    cr_assert_eq(spelling_counts_size(c.chunks[0]->words), 1, "only 'lighthouse' qualifies");
    cr_assert_eq(spelling_counts_apply(c.chunks[0]->words, db), SHIM_OK);
    char *suggestion = NULL;
    cr_assert_eq(shim_db_spelling_suggestion(shim_writable_reader(db), "lighthuose", 2,
                                             &suggestion),
                 SHIM_OK);
    cr_assert_str_eq(suggestion, "lighthouse");
    free(suggestion);
    free_collected(&c);
}

Test(prepare, text_without_words_gives_no_passage) {
    collected c = {0};
    uint32_t passages = 9;
    char reason[200];
    const char *text = "  \n\n ... --- !!! \n\n\t";
    cr_assert_eq(prepare_text(prep, "/r/blank.txt", 12, 0, text, strlen(text), collect, &c,
                              &passages, reason, sizeof reason),
                 PREPARE_OK);
    cr_assert_eq(passages, 0);
    cr_assert_eq(c.n, 0);
}
