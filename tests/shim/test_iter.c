/* test_iter.c — term lists, postlists, value streams and metadata keys. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim_fixture.h"

TestSuite(iter, .init = fixture_setup, .fini = fixture_teardown);

/* All terms of ITER joined by spaces into OUT. */
static void collect_terms(shim_term_iter *iter, char *out, size_t out_size) {
    const char *term;
    size_t len, used = 0;
    out[0] = '\0';
    while (shim_term_iter_next(iter, &term, &len) == SHIM_OK) {
        cr_assert_eq(strlen(term), len);
        int w = snprintf(out + used, out_size - used, used ? " %s" : "%s", term);
        cr_assert(w > 0 && (size_t)w < out_size - used);
        used += (size_t)w;
    }
}

Test(iter, terms_by_prefix_come_in_byte_order_with_document_frequency) {
    build_corpus("db");
    shim_db *db = open_reader("db");
    shim_term_iter *iter = NULL;
    cr_assert_eq(shim_db_terms(db, "fo", &iter), SHIM_OK);
    const char *term;
    size_t len;
    uint32_t freq = 0;
    cr_assert_eq(shim_term_iter_freq(iter, &freq), SHIM_INVALID_OPERATION, "before the first");
    cr_assert_eq(shim_term_iter_next(iter, &term, &len), SHIM_OK);
    cr_assert_str_eq(term, "fox");
    cr_assert_eq(shim_term_iter_freq(iter, &freq), SHIM_OK);
    cr_assert_eq(freq, 2);
    cr_assert_eq(shim_term_iter_next(iter, &term, &len), SHIM_OK);
    cr_assert_str_eq(term, "foxes");
    cr_assert_eq(shim_term_iter_freq(iter, &freq), SHIM_OK);
    cr_assert_eq(freq, 1);
    cr_assert_eq(shim_term_iter_next(iter, &term, &len), SHIM_END);
    cr_assert_eq(shim_term_iter_next(iter, &term, &len), SHIM_END, "END stays END");
    shim_term_iter_free(iter);

    cr_assert_eq(shim_db_terms(db, "XT", &iter), SHIM_OK);
    char all[256];
    collect_terms(iter, all, sizeof all);
    cr_assert_str_eq(all, "XTa XTb");
    shim_term_iter_free(iter);

    cr_assert_eq(shim_db_terms(db, "nothing-starts-so", &iter), SHIM_OK);
    cr_assert_eq(shim_term_iter_next(iter, &term, &len), SHIM_END);
    shim_term_iter_free(iter);
    shim_db_free(db);
}

Test(iter, every_term_is_listed_with_an_empty_prefix) {
    build_corpus("db");
    shim_db *db = open_reader("db");
    shim_term_iter *iter = NULL;
    cr_assert_eq(shim_db_terms(db, NULL, &iter), SHIM_OK);
    const char *term;
    size_t len;
    char previous[64] = "";
    uint32_t n = 0;
    while (shim_term_iter_next(iter, &term, &len) == SHIM_OK) {
        cr_assert_lt(strcmp(previous, term), 0, "%s then %s", previous, term);
        snprintf(previous, sizeof previous, "%s", term);
        n++;
    }
    shim_term_iter_free(iter);
    /* 18 distinct words, Q1..Q5, XTa, XTb */
    cr_assert_eq(n, 25);
    shim_db_free(db);
}

Test(iter, document_terms_give_each_terms_wdf) {
    shim_writable_db *w = open_writer("db");
    shim_doc *doc = make_doc(NULL, "b a b c b", NULL);
    cr_assert_eq(shim_doc_add_term(doc, "Zb", 2, 5), SHIM_OK);
    cr_assert_eq(shim_writable_add_document(w, doc, NULL), SHIM_OK);
    shim_doc_free(doc);
    shim_db *db = shim_writable_reader(w);
    shim_term_iter *iter = NULL;
    cr_assert_eq(shim_db_document_terms(db, 1, &iter), SHIM_OK);
    static const struct {
        const char *term;
        uint32_t wdf;
    } expected[] = {{"Zb", 5}, {"a", 1}, {"b", 3}, {"c", 1}};
    for (size_t i = 0; i < 4; i++) {
        const char *term;
        size_t len;
        uint32_t wdf = 0;
        cr_assert_eq(shim_term_iter_next(iter, &term, &len), SHIM_OK);
        cr_assert_str_eq(term, expected[i].term);
        cr_assert_eq(shim_term_iter_freq(iter, &wdf), SHIM_OK);
        cr_assert_eq(wdf, expected[i].wdf, "%s", term);
    }
    const char *term;
    cr_assert_eq(shim_term_iter_next(iter, &term, NULL), SHIM_END);
    shim_term_iter_free(iter);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

Test(iter, postlist_walks_documents_in_order_with_their_wdf) {
    build_corpus("db");
    shim_db *db = open_reader("db");
    shim_postlist *list = NULL;
    cr_assert_eq(shim_db_postlist(db, "the", &list), SHIM_OK);
    uint32_t docid = 0, wdf = 0;
    cr_assert_eq(shim_postlist_next(list, &docid, &wdf), SHIM_OK);
    cr_assert_eq(docid, 1);
    cr_assert_eq(wdf, 2);
    cr_assert_eq(shim_postlist_next(list, &docid, &wdf), SHIM_OK);
    cr_assert_eq(docid, 3);
    cr_assert_eq(wdf, 1);
    cr_assert_eq(shim_postlist_next(list, &docid, &wdf), SHIM_END);
    cr_assert_eq(shim_postlist_next(list, &docid, &wdf), SHIM_END);
    shim_postlist_free(list);
    shim_db_free(db);
}

Test(iter, postlist_skip_to_lands_on_the_first_document_at_or_after) {
    build_corpus("db");
    shim_db *db = open_reader("db");
    shim_postlist *list = NULL;
    cr_assert_eq(shim_db_postlist(db, "quick", &list), SHIM_OK); /* 1 2 4 */
    uint32_t docid = 0;
    cr_assert_eq(shim_postlist_skip_to(list, 3, &docid, NULL), SHIM_OK);
    cr_assert_eq(docid, 4);
    cr_assert_eq(shim_postlist_skip_to(list, 2, &docid, NULL), SHIM_OK);
    cr_assert_eq(docid, 4, "never moves backwards");
    cr_assert_eq(shim_postlist_next(list, &docid, NULL), SHIM_END);
    shim_postlist_free(list);

    cr_assert_eq(shim_db_postlist(db, "quick", &list), SHIM_OK);
    cr_assert_eq(shim_postlist_skip_to(list, 2, &docid, NULL), SHIM_OK);
    cr_assert_eq(docid, 2);
    cr_assert_eq(shim_postlist_next(list, &docid, NULL), SHIM_OK);
    cr_assert_eq(docid, 4);
    cr_assert_eq(shim_postlist_skip_to(list, 5, &docid, NULL), SHIM_END);
    shim_postlist_free(list);
    shim_db_free(db);
}

Test(iter, postlist_read_takes_documents_in_runs_and_mixes_with_next) {
    build_corpus("db");
    shim_db *db = open_reader("db");
    shim_postlist *list = NULL;
    cr_assert_eq(shim_db_postlist(db, "brown", &list), SHIM_OK); /* 1 3 4 */
    uint32_t ids[4] = {0}, docid = 0;
    size_t n = 9;
    cr_assert_eq(shim_postlist_read(list, ids, 0, &n), SHIM_OK);
    cr_assert_eq(n, 0, "nothing asked, nothing read");
    cr_assert_eq(shim_postlist_read(list, ids, 1, &n), SHIM_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(ids[0], 1);
    cr_assert_eq(shim_postlist_next(list, &docid, NULL), SHIM_OK);
    cr_assert_eq(docid, 3, "next() goes on after what was read");
    cr_assert_eq(shim_postlist_read(list, ids, 4, &n), SHIM_OK);
    cr_assert_eq(n, 1, "fewer than asked: the end");
    cr_assert_eq(ids[0], 4);
    cr_assert_eq(shim_postlist_read(list, ids, 4, &n), SHIM_END);
    cr_assert_eq(n, 0);
    cr_assert_eq(shim_postlist_next(list, &docid, NULL), SHIM_END);
    shim_postlist_free(list);

    cr_assert_eq(shim_db_postlist(db, "absent", &list), SHIM_OK);
    cr_assert_eq(shim_postlist_read(list, ids, 4, &n), SHIM_END);
    cr_assert_eq(n, 0);
    cr_assert_eq(shim_postlist_read(NULL, ids, 4, &n), SHIM_INVALID_ARGUMENT);
    cr_assert_eq(shim_postlist_read(list, NULL, 4, &n), SHIM_INVALID_ARGUMENT);
    shim_postlist_free(list);
    shim_db_free(db);
}

Test(iter, postlist_of_an_absent_term_is_empty) {
    build_corpus("db");
    shim_db *db = open_reader("db");
    shim_postlist *list = NULL;
    cr_assert_eq(shim_db_postlist(db, "absent", &list), SHIM_OK);
    uint32_t docid;
    cr_assert_eq(shim_postlist_next(list, &docid, NULL), SHIM_END);
    shim_postlist_free(list);
    shim_db_free(db);
}

Test(iter, value_stream_skips_documents_without_a_value) {
    shim_writable_db *w = open_writer("db");
    static const char *values[] = {"v1", NULL, "v3", NULL, "v5"};
    for (int i = 0; i < 5; i++) {
        shim_doc *doc = make_doc(NULL, "text", NULL);
        if (values[i]) cr_assert_eq(shim_doc_set_value(doc, 7, values[i], 2), SHIM_OK);
        cr_assert_eq(shim_writable_add_document(w, doc, NULL), SHIM_OK);
        shim_doc_free(doc);
    }
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    shim_db *db = open_reader("db");
    shim_value_stream *stream = NULL;
    cr_assert_eq(shim_db_value_stream(db, 7, &stream), SHIM_OK);
    uint32_t docid = 0;
    const char *value;
    size_t len;
    cr_assert_eq(shim_value_stream_skip_to(stream, 1, &docid, &value, &len), SHIM_OK);
    cr_assert_eq(docid, 1);
    cr_assert_eq(len, 2);
    cr_assert_eq(memcmp(value, "v1", 2), 0);
    cr_assert_eq(shim_value_stream_skip_to(stream, 2, &docid, &value, &len), SHIM_OK);
    cr_assert_eq(docid, 3);
    cr_assert_eq(memcmp(value, "v3", 2), 0);
    cr_assert_eq(shim_value_stream_skip_to(stream, 4, &docid, &value, &len), SHIM_OK);
    cr_assert_eq(docid, 5);
    cr_assert_eq(shim_value_stream_skip_to(stream, 6, &docid, &value, &len), SHIM_END);
    shim_value_stream_free(stream);

    cr_assert_eq(shim_db_value_stream(db, 8, &stream), SHIM_OK);
    cr_assert_eq(shim_value_stream_skip_to(stream, 1, &docid, &value, &len), SHIM_END);
    shim_value_stream_free(stream);
    cr_assert_eq(shim_db_value_stream(db, SHIM_NO_SLOT, &stream), SHIM_INVALID_ARGUMENT);
    shim_db_free(db);
}

Test(iter, metadata_keys_by_prefix_come_in_byte_order) {
    shim_writable_db *w = open_writer("db");
    static const char *keys[] = {"kensaku.file:/b", "kensaku.roots", "kensaku.file:/a",
                                 "other", "kensaku.file:/a/c"};
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(shim_writable_set_metadata(w, keys[i], "x", 1), SHIM_OK);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    shim_db *db = open_reader("db");
    shim_metadata_iter *iter = NULL;
    cr_assert_eq(shim_db_metadata_keys(db, "kensaku.file:", &iter), SHIM_OK);
    static const char *expected[] = {"kensaku.file:/a", "kensaku.file:/a/c", "kensaku.file:/b"};
    for (size_t i = 0; i < 3; i++) {
        const char *key;
        size_t len;
        cr_assert_eq(shim_metadata_iter_next(iter, &key, &len), SHIM_OK);
        cr_assert_str_eq(key, expected[i]);
        cr_assert_eq(len, strlen(expected[i]));
    }
    const char *key;
    cr_assert_eq(shim_metadata_iter_next(iter, &key, NULL), SHIM_END);
    shim_metadata_iter_free(iter);

    cr_assert_eq(shim_db_metadata_keys(db, NULL, &iter), SHIM_OK);
    size_t n = 0;
    while (shim_metadata_iter_next(iter, &key, NULL) == SHIM_OK) n++;
    cr_assert_eq(n, 5);
    shim_metadata_iter_free(iter);
    shim_db_free(db);
}
