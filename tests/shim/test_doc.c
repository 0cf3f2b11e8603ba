/* test_doc.c — building documents: term counts, clearing, wdf and lengths. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "shim_fixture.h"

TestSuite(doc, .init = fixture_setup, .fini = fixture_teardown);

Test(doc, term_count_counts_distinct_terms_of_every_kind) {
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    cr_assert_eq(shim_doc_add_posting(doc, "word", 4, 1, 1), SHIM_OK);
    cr_assert_eq(shim_doc_add_posting(doc, "word", 4, 2, 1), SHIM_OK);
    cr_assert_eq(shim_doc_add_term(doc, "Zword", 5, 2), SHIM_OK);
    cr_assert_eq(shim_doc_add_boolean_term(doc, "XFfile", 6), SHIM_OK);
    uint32_t count = 0;
    cr_assert_eq(shim_doc_term_count(doc, &count), SHIM_OK);
    cr_assert_eq(count, 3);
    shim_doc_free(doc);
}

Test(doc, clear_removes_terms_values_and_data_for_reuse) {
    shim_doc *doc = make_doc("Q1", "some words here", "data");
    cr_assert_eq(shim_doc_set_value(doc, 0, "v", 1), SHIM_OK);
    cr_assert_eq(shim_doc_clear(doc), SHIM_OK);
    uint32_t count = 9;
    cr_assert_eq(shim_doc_term_count(doc, &count), SHIM_OK);
    cr_assert_eq(count, 0);
    cr_assert_eq(shim_doc_add_posting(doc, "reused", 6, 1, 1), SHIM_OK);

    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_add_document(w, doc, NULL), SHIM_OK);
    shim_doc_free(doc);
    shim_db *db = shim_writable_reader(w);
    char *data = NULL, *value = NULL;
    size_t len = 9;
    cr_assert_eq(shim_db_document_data(db, 1, &data, &len), SHIM_OK);
    cr_assert_eq(len, 0);
    cr_assert_str_eq(data, "");
    free(data);
    cr_assert_eq(shim_db_document_value(db, 1, 0, &value, &len), SHIM_OK);
    cr_assert_eq(len, 0);
    free(value);
    uint32_t doc_freq = 9;
    cr_assert_eq(shim_db_term_freq(db, "words", &doc_freq, NULL), SHIM_OK);
    cr_assert_eq(doc_freq, 0);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

/* Positions with wdf 0 (as CJK n-grams are indexed) are found by phrase
 * queries but add nothing to the document length BM25 divides by. */
Test(doc, wdf_zero_postings_are_positional_but_do_not_lengthen_the_document) {
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    cr_assert_eq(shim_doc_add_posting(doc, "word", 4, 1, 1), SHIM_OK);
    cr_assert_eq(shim_doc_add_posting(doc, "XCab", 4, 2, 0), SHIM_OK);
    cr_assert_eq(shim_doc_add_posting(doc, "XCbc", 4, 3, 0), SHIM_OK);
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_add_document(w, doc, NULL), SHIM_OK);
    shim_doc_free(doc);
    shim_db *db = shim_writable_reader(w);
    double average = 0;
    cr_assert_eq(shim_db_average_length(db, &average), SHIM_OK);
    cr_assert_float_eq(average, 1.0, 1e-9);
    shim_query *phrase = combine_terms(SHIM_QUERY_PHRASE, 0, "XCab", "XCbc", NULL);
    char hits[32];
    cr_assert_eq(hit_set(db, phrase, NULL, hits, sizeof hits), 1);
    shim_query_free(phrase);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

Test(doc, value_in_the_no_slot_slot_is_an_invalid_argument) {
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    cr_assert_eq(shim_doc_set_value(doc, SHIM_NO_SLOT, "v", 1), SHIM_INVALID_ARGUMENT);
    cr_assert_eq(shim_doc_set_data(doc, NULL, 3), SHIM_INVALID_ARGUMENT);
    cr_assert_eq(shim_doc_set_data(doc, NULL, 0), SHIM_OK);
    shim_doc_free(doc);
}

Test(doc, terms_are_taken_by_length_not_up_to_a_nul) {
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    cr_assert_eq(shim_doc_add_posting(doc, "cutHERE", 3, 1, 1), SHIM_OK);
    cr_assert_eq(shim_doc_add_term(doc, "a\0b", 3, 1), SHIM_OK);
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_add_document(w, doc, NULL), SHIM_OK);
    shim_doc_free(doc);
    shim_term_iter *iter = NULL;
    cr_assert_eq(shim_db_document_terms(shim_writable_reader(w), 1, &iter), SHIM_OK);
    const char *term;
    size_t len;
    cr_assert_eq(shim_term_iter_next(iter, &term, &len), SHIM_OK);
    cr_assert_eq(len, 3);
    cr_assert_eq(memcmp(term, "a\0b", 3), 0);
    cr_assert_eq(shim_term_iter_next(iter, &term, &len), SHIM_OK);
    cr_assert_str_eq(term, "cut");
    shim_term_iter_free(iter);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}
