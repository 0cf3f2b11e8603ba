/* shim_fixture.c — temporary directories and small database builders for the
 * shim tests (see shim_fixture.h). */
#include "shim_fixture.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *fixture_dir;

void fixture_setup(void) {
    char template[] = "/tmp/kensaku-shim-XXXXXX";
    char *made = mkdtemp(template);
    cr_assert_not_null(made, "mkdtemp failed");
    fixture_dir = strdup(made);
    cr_assert_not_null(fixture_dir);
}

void fixture_teardown(void) {
    if (!fixture_dir) return;
    remove_tree(fixture_dir);
    free(fixture_dir);
    fixture_dir = NULL;
}

const char *fixture_path(const char *name) {
    static char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", fixture_dir, name);
    cr_assert(n > 0 && (size_t)n < sizeof path);
    return path;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int remove_tree(const char *path) {
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

shim_writable_db *open_writer(const char *name) {
    shim_writable_db *db = NULL;
    char *message = NULL;
    shim_status status = shim_writable_open(fixture_path(name), NULL, &db, &message);
    cr_assert_eq(status, SHIM_OK, "open %s for writing: %s", name, message ? message : "");
    free(message);
    return db;
}

shim_db *open_reader(const char *name) {
    shim_db *db = NULL;
    char *message = NULL;
    shim_status status = shim_db_open(fixture_path(name), &db, &message);
    cr_assert_eq(status, SHIM_OK, "open %s for reading: %s", name, message ? message : "");
    free(message);
    return db;
}

shim_doc *make_doc(const char *unique, const char *text, const char *data) {
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    uint32_t position = 1;
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, " ");
        if (len) cr_assert_eq(shim_doc_add_posting(doc, p, len, position++, 1), SHIM_OK);
        p += len;
        p += strspn(p, " ");
    }
    if (unique) cr_assert_eq(shim_doc_add_boolean_term(doc, unique, strlen(unique)), SHIM_OK);
    if (data) cr_assert_eq(shim_doc_set_data(doc, data, strlen(data)), SHIM_OK);
    return doc;
}

uint32_t add_text(shim_writable_db *db, const char *unique, const char *text, const char *data) {
    shim_doc *doc = make_doc(unique, text, data);
    uint32_t docid = 0;
    shim_status status = unique ? shim_writable_replace_document(db, unique, doc, &docid)
                                : shim_writable_add_document(db, doc, &docid);
    shim_doc_free(doc);
    cr_assert_eq(status, SHIM_OK, "add: %s", shim_writable_last_error(db));
    return docid;
}

static int compare_docids(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

uint32_t hit_set(shim_db *db, const shim_query *query, const shim_search_options *options,
                 char *out, size_t out_size) {
    shim_search_options defaults;
    if (!options) {
        shim_search_options_init(&defaults);
        defaults.limit = 100;
        options = &defaults;
    }
    shim_search *search = NULL;
    shim_status status = shim_search_run(db, query, options, &search);
    cr_assert_eq(status, SHIM_OK, "search: %s", shim_db_last_error(db));
    uint32_t n = shim_search_size(search);
    uint32_t ids[128];
    cr_assert(n <= 128);
    for (uint32_t i = 0; i < n; i++)
        cr_assert_eq(shim_search_hit(search, i, &ids[i], NULL), SHIM_OK);
    shim_search_free(search);
    qsort(ids, n, sizeof ids[0], compare_docids);
    size_t used = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < n; i++) {
        int w = snprintf(out + used, out_size - used, i ? ",%u" : "%u", ids[i]);
        cr_assert(w > 0 && (size_t)w < out_size - used);
        used += (size_t)w;
    }
    return n;
}

shim_query *term_query(const char *term) {
    shim_query *query = NULL;
    cr_assert_eq(shim_query_term(term, strlen(term), 1, 0, &query), SHIM_OK);
    return query;
}

shim_query *combine_terms(shim_query_op op, uint32_t window, const char *first,
                          const char *second, const char *third) {
    shim_query *parts[3] = {term_query(first), term_query(second), third ? term_query(third) : NULL};
    size_t n = third ? 3 : 2;
    shim_query *query = NULL;
    shim_status status = shim_query_combine(op, parts, n, window, &query);
    for (size_t i = 0; i < n; i++) shim_query_free(parts[i]);
    cr_assert_eq(status, SHIM_OK);
    return query;
}

double hit_weight(shim_db *db, const shim_query *query, const shim_search_options *options,
                  uint32_t docid) {
    shim_search_options defaults;
    if (!options) {
        shim_search_options_init(&defaults);
        defaults.limit = 100;
        options = &defaults;
    }
    shim_search *search = NULL;
    cr_assert_eq(shim_search_run(db, query, options, &search), SHIM_OK);
    double found = -1;
    for (uint32_t i = 0; i < shim_search_size(search); i++) {
        uint32_t id;
        double weight;
        cr_assert_eq(shim_search_hit(search, i, &id, &weight), SHIM_OK);
        if (id == docid) found = weight;
    }
    shim_search_free(search);
    return found;
}

typedef struct weighed_hit {
    uint32_t docid;
    double weight;
} weighed_hit;

static int compare_weighed_hits(const void *a, const void *b) {
    uint32_t x = ((const weighed_hit *)a)->docid, y = ((const weighed_hit *)b)->docid;
    return (x > y) - (x < y);
}

/* QUERY's hits on DB, by docid, into HITS (room for 128). */
static uint32_t weighed_hits(shim_db *db, const shim_query *query,
                             const shim_search_options *options, weighed_hit *hits) {
    shim_search *search = NULL;
    cr_assert_eq(shim_search_run(db, query, options, &search), SHIM_OK, "search: %s",
                 shim_db_last_error(db));
    uint32_t n = shim_search_size(search);
    cr_assert(n <= 128);
    for (uint32_t i = 0; i < n; i++)
        cr_assert_eq(shim_search_hit(search, i, &hits[i].docid, &hits[i].weight), SHIM_OK);
    shim_search_free(search);
    qsort(hits, n, sizeof *hits, compare_weighed_hits);
    return n;
}

uint32_t expect_same_weights_from_lengths(shim_db *db, const shim_query *query,
                                          const shim_bm25_params *bm25) {
    shim_search_options options;
    shim_search_options_init(&options);
    options.limit = 128;
    if (bm25)
        options.bm25 = *bm25;
    weighed_hit usual[128], from_lengths[128];
    uint32_t n = weighed_hits(db, query, &options, usual);
    options.lengths_in_memory = true;
    cr_assert_eq(weighed_hits(db, query, &options, from_lengths), n);
    for (uint32_t i = 0; i < n; i++) {
        cr_expect_eq(from_lengths[i].docid, usual[i].docid);
        cr_expect_float_eq(from_lengths[i].weight, usual[i].weight, 1e-12 * (1 + usual[i].weight),
                           "document %u: %.17g from lengths, %.17g usually", usual[i].docid,
                           from_lengths[i].weight, usual[i].weight);
    }
    return n;
}

sortable sortable_of(double number) {
    sortable s;
    s.len = shim_sortable_serialise(number, s.bytes);
    return s;
}

void build_corpus(const char *name) {
    static const struct {
        const char *text, *key, *type;
        double number;
    } docs[] = {
        {"the quick brown fox jumps over the lazy dog", "a", "XTa", 10},
        {"a quick red fox", "a", "XTa", 20},
        {"the lazy brown dog sleeps", "b", "XTb", 30},
        {"brown bread and quick coffee", "c", "XTb", 40},
        {"foxes and dogs are animals", "c", "XTb", 50},
    };
    shim_writable_db *db = open_writer(name);
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        char unique[8], data[8];
        snprintf(unique, sizeof unique, "Q%zu", i + 1);
        snprintf(data, sizeof data, "doc%zu", i + 1);
        shim_doc *doc = make_doc(unique, docs[i].text, data);
        sortable number = sortable_of(docs[i].number);
        cr_assert_eq(shim_doc_set_value(doc, 0, docs[i].key, 1), SHIM_OK);
        cr_assert_eq(shim_doc_set_value(doc, 1, number.bytes, number.len), SHIM_OK);
        cr_assert_eq(shim_doc_add_boolean_term(doc, docs[i].type, strlen(docs[i].type)), SHIM_OK);
        uint32_t docid = 0;
        cr_assert_eq(shim_writable_add_document(db, doc, &docid), SHIM_OK);
        cr_assert_eq(docid, i + 1);
        shim_doc_free(doc);
    }
    cr_assert_eq(shim_writable_close(db), SHIM_OK);
}
