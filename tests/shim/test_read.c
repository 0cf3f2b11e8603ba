/* test_read.c — reading: counts, frequencies, lookups, values, reopen, and
 * a reader overtaken by the writer (SHIM_MODIFIED). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim_fixture.h"

TestSuite(read, .init = fixture_setup, .fini = fixture_teardown);

Test(read, empty_database_has_no_documents_terms_or_hits) {
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    shim_db *db = open_reader("db");
    uint32_t count = 9, last = 9, doc_freq = 9;
    uint64_t collection_freq = 9;
    double average = 9;
    cr_assert_eq(shim_db_doc_count(db, &count), SHIM_OK);
    cr_assert_eq(shim_db_last_docid(db, &last), SHIM_OK);
    cr_assert_eq(shim_db_average_length(db, &average), SHIM_OK);
    cr_assert_eq(shim_db_term_freq(db, "any", &doc_freq, &collection_freq), SHIM_OK);
    cr_assert_eq(count, 0);
    cr_assert_eq(last, 0);
    cr_assert_float_eq(average, 0.0, 1e-12);
    cr_assert_eq(doc_freq, 0);
    cr_assert_eq(collection_freq, 0);

    shim_query *all = NULL;
    cr_assert_eq(shim_query_match_all(&all), SHIM_OK);
    char hits[64];
    cr_assert_eq(hit_set(db, all, NULL, hits, sizeof hits), 0);
    shim_query_free(all);

    char *lower = NULL, *upper = NULL;
    size_t lower_len = 9, upper_len = 9;
    cr_assert_eq(shim_db_value_bounds(db, 0, &lower, &lower_len, &upper, &upper_len), SHIM_OK);
    cr_assert_eq(lower_len, 0);
    cr_assert_eq(upper_len, 0);
    free(lower);
    free(upper);
    shim_db_free(db);
}

Test(read, term_frequencies_count_documents_and_occurrences) {
    shim_writable_db *w = open_writer("db");
    add_text(w, NULL, "fox fox fox dog", NULL);
    add_text(w, NULL, "fox cat", NULL);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    shim_db *db = open_reader("db");
    uint32_t doc_freq = 0;
    uint64_t collection_freq = 0;
    cr_assert_eq(shim_db_term_freq(db, "fox", &doc_freq, &collection_freq), SHIM_OK);
    cr_assert_eq(doc_freq, 2);
    cr_assert_eq(collection_freq, 4);
    cr_assert_eq(shim_db_term_freq(db, "cat", &doc_freq, NULL), SHIM_OK);
    cr_assert_eq(doc_freq, 1);
    shim_db_free(db);
}

Test(read, find_by_term_of_an_absent_term_is_not_found) {
    build_corpus("db");
    shim_db *db = open_reader("db");
    uint32_t docid = 0;
    cr_assert_eq(shim_db_find_by_term(db, "Q4", &docid), SHIM_OK);
    cr_assert_eq(docid, 4);
    cr_assert_eq(shim_db_find_by_term(db, "Q99", &docid), SHIM_NOT_FOUND);
    cr_assert_gt(strlen(shim_db_last_error(db)), 0);
    shim_db_free(db);
}

Test(read, missing_document_is_not_found_and_docid_zero_is_invalid) {
    build_corpus("db");
    shim_db *db = open_reader("db");
    char *data = (char *)1;
    size_t len = 0;
    cr_assert_eq(shim_db_document_data(db, 99, &data, &len), SHIM_NOT_FOUND);
    cr_assert_null(data);
    cr_assert_not_null(strstr(shim_db_last_error(db), "99"), "%s", shim_db_last_error(db));
    cr_assert_eq(shim_db_document_value(db, 99, 0, &data, &len), SHIM_NOT_FOUND);
    cr_assert_eq(shim_db_document_data(db, 0, &data, &len), SHIM_INVALID_ARGUMENT);
    shim_term_iter *iter = NULL;
    cr_assert_eq(shim_db_document_terms(db, 99, &iter), SHIM_NOT_FOUND);
    cr_assert_null(iter);
    shim_db_free(db);
}

Test(read, value_bounds_are_the_lowest_and_highest_values_of_a_slot) {
    build_corpus("db");
    shim_db *db = open_reader("db");
    char *lower = NULL, *upper = NULL;
    size_t lower_len = 0, upper_len = 0;
    cr_assert_eq(shim_db_value_bounds(db, 0, &lower, &lower_len, &upper, &upper_len), SHIM_OK);
    cr_assert_str_eq(lower, "a");
    cr_assert_str_eq(upper, "c");
    free(lower);
    free(upper);
    cr_assert_eq(shim_db_value_bounds(db, 1, &lower, &lower_len, &upper, &upper_len), SHIM_OK);
    cr_assert_float_eq(shim_sortable_unserialise(lower, lower_len), 10.0, 1e-9);
    cr_assert_float_eq(shim_sortable_unserialise(upper, upper_len), 50.0, 1e-9);
    free(lower);
    free(upper);
    cr_assert_eq(shim_db_value_bounds(db, SHIM_NO_SLOT, &lower, &lower_len, &upper, &upper_len),
                 SHIM_INVALID_ARGUMENT);
    shim_db_free(db);
}

Test(read, reader_sees_a_later_commit_only_after_reopen) {
    shim_writable_db *w = open_writer("db");
    add_text(w, NULL, "first", NULL);
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);
    shim_db *db = open_reader("db");
    add_text(w, NULL, "second", NULL);
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);

    uint32_t count = 0;
    cr_assert_eq(shim_db_doc_count(db, &count), SHIM_OK);
    cr_assert_eq(count, 1, "an open reader stays at its revision");
    cr_assert_eq(shim_db_reopen(db), SHIM_OK);
    cr_assert_eq(shim_db_doc_count(db, &count), SHIM_OK);
    cr_assert_eq(count, 2);
    shim_db_free(db);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

/* Rewrite every document's data, committing each round: glass keeps only the
 * previous revision's blocks, so after a few commits an old reader's blocks
 * are reused under it. */
static void rewrite_all(shim_writable_db *w, uint32_t docs, int round) {
    char unique[16], text[64], data[256];
    for (uint32_t i = 1; i <= docs; i++) {
        snprintf(unique, sizeof unique, "Q%u", i);
        snprintf(text, sizeof text, "round%d word%u common", round, i);
        snprintf(data, sizeof data, "round %d document %u %0200d", round, i, round);
        add_text(w, unique, text, data);
    }
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);
}

Test(read, old_reader_gets_modified_after_several_commits_and_reopen_fixes_it) {
    enum { DOCS = 2000 };
    shim_writable_db *w = open_writer("db");
    rewrite_all(w, DOCS, 0);
    shim_db *db = open_reader("db");
    for (int round = 1; round <= 4; round++) rewrite_all(w, DOCS, round);

    shim_status status = SHIM_OK;
    for (uint32_t i = 1; i <= DOCS && status == SHIM_OK; i++) {
        char *data = NULL;
        status = shim_db_document_data(db, i, &data, NULL);
        free(data);
    }
    cr_assert_eq(status, SHIM_MODIFIED, "got %s", shim_status_string(status));
    cr_assert_not_null(strstr(shim_db_last_error(db), "Modified"), "%s", shim_db_last_error(db));

    cr_assert_eq(shim_db_reopen(db), SHIM_OK);
    char *data = NULL;
    cr_assert_eq(shim_db_document_data(db, DOCS, &data, NULL), SHIM_OK);
    cr_assert_not_null(strstr(data, "round 4"), "%s", data);
    free(data);
    shim_db_free(db);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

Test(read, old_reader_postlist_gets_modified_too) {
    enum { DOCS = 2000 };
    shim_writable_db *w = open_writer("db");
    rewrite_all(w, DOCS, 0);
    shim_db *db = open_reader("db");
    shim_postlist *list = NULL;
    for (int round = 1; round <= 4; round++) rewrite_all(w, DOCS, round);
    shim_status status = shim_db_postlist(db, "common", &list);
    uint32_t seen = 0;
    while (status == SHIM_OK) {
        status = shim_postlist_next(list, NULL, NULL);
        seen += status == SHIM_OK;
    }
    cr_assert_eq(status, SHIM_MODIFIED, "got %s after %u documents", shim_status_string(status),
                 seen);
    shim_postlist_free(list);
    cr_assert_eq(shim_db_reopen(db), SHIM_OK);
    cr_assert_eq(shim_db_postlist(db, "common", &list), SHIM_OK);
    seen = 0;
    while (shim_postlist_next(list, NULL, NULL) == SHIM_OK) seen++;
    cr_assert_eq(seen, DOCS);
    shim_postlist_free(list);
    shim_db_free(db);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

/* A search outliving the writable database it ran on must not crash: reading
 * a hit's document afterwards reports SHIM_CLOSED. */
Test(read, search_outliving_its_writable_database_reports_closed) {
    shim_writable_db *w = open_writer("db");
    for (int i = 0; i < 50; i++) add_text(w, NULL, "word", "some data");
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);
    shim_query *query = term_query("word");
    shim_search *search = NULL;
    cr_assert_eq(shim_search_run(shim_writable_reader(w), query, NULL, &search), SHIM_OK);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    char *data = NULL;
    cr_assert_eq(shim_search_hit_data(search, 0, &data, NULL), SHIM_CLOSED);
    cr_assert_null(data);
    cr_assert_not_null(strstr(shim_search_last_error(search), "closed"), "%s",
                       shim_search_last_error(search));
    shim_search_free(search);
    shim_query_free(query);
}

Test(read, searches_and_iterators_stay_valid_after_their_database_is_freed) {
    build_corpus("db");
    shim_db *db = open_reader("db");
    shim_query *query = term_query("quick");
    shim_search *search = NULL;
    cr_assert_eq(shim_search_run(db, query, NULL, &search), SHIM_OK);
    shim_postlist *list = NULL;
    cr_assert_eq(shim_db_postlist(db, "brown", &list), SHIM_OK);
    shim_db_free(db);

    char *data = NULL;
    cr_assert_eq(shim_search_hit_data(search, 0, &data, NULL), SHIM_OK);
    cr_assert_eq(strncmp(data, "doc", 3), 0);
    free(data);
    uint32_t docid = 0, n = 0;
    while (shim_postlist_next(list, &docid, NULL) == SHIM_OK) n++;
    cr_assert_eq(n, 3);
    shim_postlist_free(list);
    shim_search_free(search);
    shim_query_free(query);
}

Test(read, search_on_an_overtaken_reader_is_modified_until_reopened) {
    enum { DOCS = 2000 };
    shim_writable_db *w = open_writer("db");
    rewrite_all(w, DOCS, 0);
    shim_db *db = open_reader("db");
    shim_query *query = term_query("common");
    shim_search_options options;
    shim_search_options_init(&options);
    options.limit = DOCS;
    shim_search *before = NULL;
    cr_assert_eq(shim_search_run(db, query, &options, &before), SHIM_OK);
    for (int round = 1; round <= 4; round++) rewrite_all(w, DOCS, round);

    /* Reading the hits' documents (or running a new search) hits reused blocks. */
    shim_status status = SHIM_OK;
    for (uint32_t i = 0; i < shim_search_size(before) && status == SHIM_OK; i++) {
        char *data = NULL;
        status = shim_search_hit_data(before, i, &data, NULL);
        free(data);
    }
    cr_assert_eq(status, SHIM_MODIFIED, "got %s", shim_status_string(status));
    shim_search_free(before);

    cr_assert_eq(shim_db_reopen(db), SHIM_OK);
    shim_search *after = NULL;
    cr_assert_eq(shim_search_run(db, query, &options, &after), SHIM_OK);
    char *data = NULL;
    cr_assert_eq(shim_search_hit_data(after, 0, &data, NULL), SHIM_OK);
    cr_assert_not_null(strstr(data, "round 4"), "%s", data);
    free(data);
    shim_search_free(after);
    shim_query_free(query);
    shim_db_free(db);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}
