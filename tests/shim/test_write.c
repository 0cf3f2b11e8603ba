/* test_write.c — writing: documents, replace/delete by term, term limits,
 * metadata, spelling, commits, transactions, close and abandon. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "shim_fixture.h"

TestSuite(write, .init = fixture_setup, .fini = fixture_teardown);

static uint32_t count_of(shim_db *db) {
    uint32_t count = 0;
    cr_assert_eq(shim_db_doc_count(db, &count), SHIM_OK, "%s", shim_db_last_error(db));
    return count;
}

/* The document count a fresh reader of NAME sees (committed state only). */
static uint32_t committed_count(const char *name) {
    shim_db *db = open_reader(name);
    uint32_t count = count_of(db);
    shim_db_free(db);
    return count;
}

static char *data_of(shim_db *db, uint32_t docid) {
    char *data = NULL;
    size_t len = 0;
    cr_assert_eq(shim_db_document_data(db, docid, &data, &len), SHIM_OK, "%s",
                 shim_db_last_error(db));
    cr_assert_eq(strlen(data), len);
    return data;
}

Test(write, added_document_keeps_its_data_terms_and_values) {
    shim_writable_db *w = open_writer("db");
    shim_doc *doc = make_doc("Qone", "alpha beta", "payload");
    cr_assert_eq(shim_doc_set_value(doc, 3, "v\0w", 3), SHIM_OK);
    uint32_t docid = 0;
    cr_assert_eq(shim_writable_add_document(w, doc, &docid), SHIM_OK);
    shim_doc_free(doc);
    cr_assert_eq(docid, 1);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);

    shim_db *db = open_reader("db");
    char *data = data_of(db, 1);
    cr_assert_str_eq(data, "payload");
    free(data);
    char *value = NULL;
    size_t len = 0;
    cr_assert_eq(shim_db_document_value(db, 1, 3, &value, &len), SHIM_OK);
    cr_assert_eq(len, 3);
    cr_assert_eq(memcmp(value, "v\0w", 3), 0);
    free(value);
    cr_assert_eq(shim_db_document_value(db, 1, 4, &value, &len), SHIM_OK);
    cr_assert_eq(len, 0, "an absent value is empty");
    free(value);
    uint32_t found = 0;
    cr_assert_eq(shim_db_find_by_term(db, "beta", &found), SHIM_OK);
    cr_assert_eq(found, 1);
    shim_db_free(db);
}

Test(write, replace_by_unique_term_swaps_the_document_in_place) {
    shim_writable_db *w = open_writer("db");
    uint32_t first = add_text(w, "Qfile", "old text", "old");
    add_text(w, "Qother", "other text", "other");
    uint32_t second = add_text(w, "Qfile", "new text", "new");
    cr_assert_eq(second, first, "replace keeps the docid");
    uint32_t added = add_text(w, "Qfresh", "fresh", "fresh");
    cr_assert_eq(added, 3, "replace of an absent term adds");
    cr_assert_eq(shim_writable_close(w), SHIM_OK);

    shim_db *db = open_reader("db");
    cr_assert_eq(count_of(db), 3);
    char *data = data_of(db, first);
    cr_assert_str_eq(data, "new");
    free(data);
    uint32_t doc_freq = 9;
    cr_assert_eq(shim_db_term_freq(db, "old", &doc_freq, NULL), SHIM_OK);
    cr_assert_eq(doc_freq, 0, "the old terms are gone");
    shim_db_free(db);
}

Test(write, replace_removes_extra_documents_sharing_the_term) {
    shim_writable_db *w = open_writer("db");
    add_text(w, NULL, "Xfile one", NULL);
    add_text(w, NULL, "Xfile two", NULL);
    shim_doc *doc = make_doc(NULL, "Xfile three", "only");
    cr_assert_eq(shim_writable_replace_document(w, "Xfile", doc, NULL), SHIM_OK);
    shim_doc_free(doc);
    shim_db *db = shim_writable_reader(w);
    uint32_t doc_freq = 0;
    cr_assert_eq(shim_db_term_freq(db, "Xfile", &doc_freq, NULL), SHIM_OK);
    cr_assert_eq(doc_freq, 1);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

Test(write, delete_by_term_removes_every_document_with_it) {
    shim_writable_db *w = open_writer("db");
    add_text(w, NULL, "XFa one", NULL);
    add_text(w, NULL, "XFa two", NULL);
    add_text(w, NULL, "XFb three", NULL);
    cr_assert_eq(shim_writable_delete_documents(w, "XFa"), SHIM_OK);
    cr_assert_eq(shim_writable_delete_documents(w, "XFnone"), SHIM_OK, "no match is fine");
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    shim_db *db = open_reader("db");
    cr_assert_eq(count_of(db), 1);
    uint32_t docid = 0;
    cr_assert_eq(shim_db_find_by_term(db, "three", &docid), SHIM_OK);
    cr_assert_eq(docid, 3);
    shim_db_free(db);
}

Test(write, delete_by_id_of_a_missing_document_is_not_found) {
    shim_writable_db *w = open_writer("db");
    uint32_t docid = add_text(w, NULL, "here", NULL);
    cr_assert_eq(shim_writable_delete_document(w, docid + 10), SHIM_NOT_FOUND);
    cr_assert_gt(strlen(shim_writable_last_error(w)), 0);
    cr_assert_eq(shim_writable_delete_document(w, docid), SHIM_OK);
    cr_assert_eq(shim_writable_delete_document(w, docid), SHIM_NOT_FOUND);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

Test(write, term_of_245_bytes_is_stored_and_246_is_too_long_and_not_added) {
    char term[300];
    memset(term, 't', sizeof term);
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    cr_assert_eq(shim_doc_add_posting(doc, term, 246, 1, 1), SHIM_TERM_TOO_LONG);
    cr_assert_eq(shim_doc_add_term(doc, term, 246, 1), SHIM_TERM_TOO_LONG);
    cr_assert_eq(shim_doc_add_boolean_term(doc, term, 246), SHIM_TERM_TOO_LONG);
    uint32_t terms = 9;
    cr_assert_eq(shim_doc_term_count(doc, &terms), SHIM_OK);
    cr_assert_eq(terms, 0, "a refused term leaves the document unchanged");
    cr_assert_eq(shim_doc_add_posting(doc, term, 245, 1, 1), SHIM_OK);

    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_add_document(w, doc, NULL), SHIM_OK);
    shim_doc_free(doc);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);

    shim_db *db = open_reader("db");
    term[245] = '\0';
    uint32_t docid = 0;
    cr_assert_eq(shim_db_find_by_term(db, term, &docid), SHIM_OK);
    cr_assert_eq(docid, 1);
    shim_db_free(db);
}

Test(write, overlong_unique_term_is_refused_before_anything_is_written) {
    char term[247];
    memset(term, 'Q', 246);
    term[246] = '\0';
    shim_writable_db *w = open_writer("db");
    shim_doc *doc = make_doc(NULL, "words", NULL);
    cr_assert_eq(shim_writable_replace_document(w, term, doc, NULL), SHIM_TERM_TOO_LONG);
    cr_assert_eq(shim_writable_delete_documents(w, term), SHIM_TERM_TOO_LONG);
    cr_assert_gt(strlen(shim_writable_last_error(w)), 0);
    shim_doc_free(doc);
    cr_assert_eq(count_of(shim_writable_reader(w)), 0);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

Test(write, empty_term_is_an_invalid_argument) {
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    cr_assert_eq(shim_doc_add_posting(doc, "", 0, 1, 1), SHIM_INVALID_ARGUMENT);
    cr_assert_eq(shim_doc_add_term(doc, NULL, 0, 1), SHIM_INVALID_ARGUMENT);
    shim_doc_free(doc);
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_delete_documents(w, ""), SHIM_INVALID_ARGUMENT);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

Test(write, metadata_round_trips_binary_values_and_empty_value_deletes) {
    static const char binary[] = {'a', '\0', '\xff', '\n', 'z'};
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_set_metadata(w, "kensaku.bin", binary, sizeof binary), SHIM_OK);
    cr_assert_eq(shim_writable_set_metadata(w, "kensaku.gone", "x", 1), SHIM_OK);
    cr_assert_eq(shim_writable_set_metadata(w, "kensaku.gone", "", 0), SHIM_OK);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);

    shim_db *db = open_reader("db");
    char *value = NULL;
    size_t len = 0;
    cr_assert_eq(shim_db_get_metadata(db, "kensaku.bin", &value, &len), SHIM_OK);
    cr_assert_eq(len, sizeof binary);
    cr_assert_eq(memcmp(value, binary, len), 0);
    cr_assert_eq(value[len], '\0');
    free(value);
    cr_assert_eq(shim_db_get_metadata(db, "kensaku.gone", &value, &len), SHIM_NOT_FOUND);
    cr_assert_null(value);
    cr_assert_eq(shim_db_get_metadata(db, "never.set", &value, &len), SHIM_NOT_FOUND);
    shim_db_free(db);
}

Test(write, metadata_key_of_245_bytes_works_and_246_is_too_long) {
    char key[247];
    memset(key, 'k', 246);
    key[246] = '\0';
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_set_metadata(w, key, "v", 1), SHIM_TERM_TOO_LONG);
    cr_assert_eq(shim_writable_set_metadata(w, "", "v", 1), SHIM_INVALID_ARGUMENT);
    key[245] = '\0';
    cr_assert_eq(shim_writable_set_metadata(w, key, "v", 1), SHIM_OK, "%s",
                 shim_writable_last_error(w));
    cr_assert_eq(shim_writable_close(w), SHIM_OK);

    shim_db *db = open_reader("db");
    char *value = NULL;
    size_t len = 0;
    cr_assert_eq(shim_db_get_metadata(db, key, &value, &len), SHIM_OK);
    cr_assert_eq(len, 1);
    free(value);
    key[245] = 'k';
    cr_assert_eq(shim_db_get_metadata(db, key, &value, &len), SHIM_TERM_TOO_LONG);
    shim_db_free(db);
}

Test(write, spelling_words_give_suggestions_until_removed) {
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_add_spelling(w, "abduction", 3), SHIM_OK);
    cr_assert_eq(shim_writable_add_spelling(w, "deduction", 1), SHIM_OK);
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);

    shim_db *db = open_reader("db");
    char *suggestion = NULL;
    cr_assert_eq(shim_db_spelling_suggestion(db, "abductoin", 2, &suggestion), SHIM_OK);
    cr_assert_str_eq(suggestion, "abduction");
    free(suggestion);
    cr_assert_eq(shim_db_spelling_suggestion(db, "zzzzzz", 2, &suggestion), SHIM_NOT_FOUND);
    cr_assert_null(suggestion);

    cr_assert_eq(shim_writable_remove_spelling(w, "abduction", 3), SHIM_OK);
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);
    cr_assert_eq(shim_db_reopen(db), SHIM_OK);
    cr_assert_eq(shim_db_spelling_suggestion(db, "abductoin", 2, &suggestion), SHIM_NOT_FOUND);
    shim_db_free(db);
    cr_assert_eq(shim_writable_add_spelling(w, "", 1), SHIM_INVALID_ARGUMENT);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

Test(write, writable_reader_sees_uncommitted_changes_and_other_readers_do_not) {
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);
    add_text(w, NULL, "pending", NULL);
    shim_db *view = shim_writable_reader(w);
    cr_assert_eq(count_of(view), 1);
    cr_assert_eq(committed_count("db"), 0);
    shim_db_free(view); /* borrowed: freeing it must do nothing */
    cr_assert_eq(count_of(shim_writable_reader(w)), 1);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    cr_assert_eq(committed_count("db"), 1);
}

Test(write, cancelled_transaction_leaves_nothing) {
    shim_writable_db *w = open_writer("db");
    add_text(w, NULL, "before", NULL);
    cr_assert_eq(shim_writable_begin_transaction(w, true), SHIM_OK);
    cr_assert_eq(committed_count("db"), 1, "a flushed transaction commits what was pending");
    add_text(w, NULL, "inside one", NULL);
    add_text(w, NULL, "inside two", NULL);
    cr_assert_eq(count_of(shim_writable_reader(w)), 3);
    cr_assert_eq(shim_writable_cancel_transaction(w), SHIM_OK);
    cr_assert_eq(count_of(shim_writable_reader(w)), 1);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    cr_assert_eq(committed_count("db"), 1);
}

Test(write, unflushed_transaction_reaches_readers_only_at_the_next_commit) {
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);
    cr_assert_eq(shim_writable_begin_transaction(w, false), SHIM_OK);
    add_text(w, NULL, "unit one", NULL);
    add_text(w, NULL, "unit two", NULL);
    cr_assert_eq(shim_writable_commit_transaction(w), SHIM_OK);
    cr_assert_eq(committed_count("db"), 0);
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);
    cr_assert_eq(committed_count("db"), 2);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

Test(write, flushed_transaction_is_committed_when_it_ends) {
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_begin_transaction(w, true), SHIM_OK);
    add_text(w, NULL, "unit", NULL);
    cr_assert_eq(shim_writable_commit_transaction(w), SHIM_OK);
    cr_assert_eq(committed_count("db"), 1);
    shim_writable_abandon(w);
    cr_assert_eq(committed_count("db"), 1);
}

/* Xapian's rule, stated in shim.h: cancelling an unflushed transaction also
 * drops what was pending before it began. */
Test(write, cancelling_an_unflushed_transaction_drops_earlier_pending_changes_too) {
    shim_writable_db *w = open_writer("db");
    add_text(w, NULL, "committed", NULL);
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);
    add_text(w, NULL, "pending", NULL);
    cr_assert_eq(shim_writable_begin_transaction(w, false), SHIM_OK);
    add_text(w, NULL, "inside", NULL);
    cr_assert_eq(shim_writable_cancel_transaction(w), SHIM_OK);
    cr_assert_eq(count_of(shim_writable_reader(w)), 1);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    cr_assert_eq(committed_count("db"), 1);
}

Test(write, nested_or_missing_transaction_is_an_invalid_operation) {
    shim_writable_db *w = open_writer("db");
    cr_assert_eq(shim_writable_commit_transaction(w), SHIM_INVALID_OPERATION);
    cr_assert_eq(shim_writable_cancel_transaction(w), SHIM_INVALID_OPERATION);
    cr_assert_eq(shim_writable_begin_transaction(w, false), SHIM_OK);
    cr_assert_eq(shim_writable_begin_transaction(w, false), SHIM_INVALID_OPERATION);
    cr_assert_gt(strlen(shim_writable_last_error(w)), 0);
    cr_assert_eq(shim_writable_commit_transaction(w), SHIM_OK);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

Test(write, abandon_leaves_the_database_at_its_last_commit) {
    shim_writable_db *w = open_writer("db");
    add_text(w, "Q1", "committed", "first");
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);
    add_text(w, "Q2", "lost", NULL);
    add_text(w, "Q1", "replaced but lost", "changed");
    shim_writable_abandon(w);

    shim_db *db = open_reader("db");
    cr_assert_eq(count_of(db), 1);
    char *data = data_of(db, 1);
    cr_assert_str_eq(data, "first");
    free(data);
    shim_db_free(db);
    w = open_writer("db"); /* and the lock is free again */
    shim_writable_abandon(w);
}

Test(write, abandon_inside_a_transaction_leaves_the_last_commit) {
    shim_writable_db *w = open_writer("db");
    add_text(w, NULL, "committed", NULL);
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);
    cr_assert_eq(shim_writable_begin_transaction(w, true), SHIM_OK);
    add_text(w, NULL, "inside", NULL);
    shim_writable_abandon(w);
    cr_assert_eq(committed_count("db"), 1);
}

Test(write, close_commits_pending_changes) {
    shim_writable_db *w = open_writer("db");
    add_text(w, NULL, "one", NULL);
    add_text(w, NULL, "two", NULL);
    cr_assert_eq(committed_count("db"), 0);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    cr_assert_eq(committed_count("db"), 2);
}

Test(write, close_with_an_open_transaction_cancels_it_and_says_so) {
    shim_writable_db *w = open_writer("db");
    add_text(w, NULL, "before", NULL);
    cr_assert_eq(shim_writable_begin_transaction(w, true), SHIM_OK);
    add_text(w, NULL, "half a unit", NULL);
    cr_assert_eq(shim_writable_close(w), SHIM_INVALID_OPERATION);
    cr_assert_eq(committed_count("db"), 1);
}

Test(write, last_docid_and_average_length_follow_the_documents) {
    shim_writable_db *w = open_writer("db");
    add_text(w, NULL, "a b", NULL);
    add_text(w, NULL, "a b c d", NULL);
    uint32_t third = add_text(w, NULL, "x", NULL);
    cr_assert_eq(shim_writable_delete_document(w, third), SHIM_OK);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    shim_db *db = open_reader("db");
    uint32_t last = 0;
    cr_assert_eq(shim_db_last_docid(db, &last), SHIM_OK);
    cr_assert_eq(last, 3, "deleted ids are not reused");
    double average = 0;
    cr_assert_eq(shim_db_average_length(db, &average), SHIM_OK);
    cr_assert_float_eq(average, 3.0, 1e-9);
    shim_db_free(db);
}

/* A file size limit makes writes fail as a full disk would (EFBIG instead of
 * ENOSPC): the failure is reported as SHIM_IO with the system's message, the
 * uncommitted changes are gone, and the database stays at its last commit. */
Test(write, failed_write_is_an_io_error_and_the_last_commit_survives) {
    shim_writable_db *w = open_writer("db");
    add_text(w, "Qfirst", "committed before the limit", "first");
    cr_assert_eq(shim_writable_commit(w), SHIM_OK);

    struct rlimit saved;
    cr_assert_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
    cr_assert_neq(signal(SIGXFSZ, SIG_IGN), SIG_ERR);
    struct rlimit tight = {64 * 1024, saved.rlim_max};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &tight), 0);
    char unique[16], data[512];
    memset(data, 'd', sizeof data - 1);
    data[sizeof data - 1] = '\0';
    /* Glass writes blocks as its tables fill, so the error may come from an
     * add as well as from the commit. */
    shim_status status = SHIM_OK;
    for (int i = 0; i < 2000 && status == SHIM_OK; i++) {
        snprintf(unique, sizeof unique, "Q%d", i);
        shim_doc *doc = make_doc(unique, "filler words for a large commit", data);
        status = shim_writable_add_document(w, doc, NULL);
        shim_doc_free(doc);
    }
    if (status == SHIM_OK) status = shim_writable_commit(w);
    cr_assert_eq(status, SHIM_IO, "got %s: %s", shim_status_string(status),
                 shim_writable_last_error(w));
    cr_assert_not_null(strstr(shim_writable_last_error(w), "File too large"), "%s",
                       shim_writable_last_error(w));
    /* Xapian drops every change since the last commit when a write fails. */
    cr_assert_eq(count_of(shim_writable_reader(w)), 1);
    shim_status closed = shim_writable_close(w);
    cr_assert(closed == SHIM_OK || closed == SHIM_IO, "got %s", shim_status_string(closed));
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &saved), 0);

    shim_db *db = open_reader("db");
    cr_assert_eq(count_of(db), 1);
    char *first = data_of(db, 1);
    cr_assert_str_eq(first, "first");
    free(first);
    shim_db_free(db);
    w = open_writer("db"); /* the lock was released */
    shim_writable_abandon(w);
}
