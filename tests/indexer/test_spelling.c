/* test_spelling.c — which terms are spelling words, and counting changes so
 * that removing a file takes back exactly what adding it gave. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "indexer/spelling.h"

Test(spelling, words_are_alphabetic_three_characters_or_more) {
    static const struct {
        const char *term;
        bool ok;
    } cases[] = {
        {"abduction", true}, {"élève", true},   {"straße", true},  {"москва", true},
        {"abc", true},       {"ab", false},     {"x86", false},    {"38101", false},
        {"システム", false}, {"管理者", false}, {"don't", false},  {"é", false},
        {"", false},         {"a\xff" "bc", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(spelling_word_ok(cases[i].term, strlen(cases[i].term)), cases[i].ok,
                     "%s", cases[i].term);
}

Test(spelling, counts_merge_and_cancel) {
    spelling_counts *a = spelling_counts_new();
    spelling_counts *b = spelling_counts_new();
    cr_assert(spelling_counts_add(a, "harbour", 7, 2));
    cr_assert(spelling_counts_add(a, "ferry", 5, 1));
    cr_assert(spelling_counts_add(b, "harbour", 7, -2));
    cr_assert(spelling_counts_add(b, "lantern", 7, 1));
    cr_assert(spelling_counts_merge(a, b));
    cr_assert_eq(spelling_counts_size(b), 0);
    cr_assert_eq(spelling_counts_size(a), 2, "harbour cancelled out");
    spelling_counts_free(a);
    spelling_counts_free(b);
}

/* Adding then removing a document's words leaves no spelling data. */
Test(spelling, removal_from_document_terms_is_exact) {
    char *dir = make_temp();
    shim_writable_db *w = NULL;
    cr_assert_eq(shim_writable_open(in_dir(dir, "db"), NULL, &w, NULL), SHIM_OK);
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    const char *terms[] = {"lantern", "harbour", "x86", "Zlantern", "XFpath", "ok"};
    for (uint32_t i = 0; i < 6; i++)
        cr_assert_eq(shim_doc_add_posting(doc, terms[i], strlen(terms[i]), i + 1, 1), SHIM_OK);
    uint32_t docid = 0;
    cr_assert_eq(shim_writable_add_document(w, doc, &docid), SHIM_OK);
    shim_doc_free(doc);

    spelling_counts *counts = spelling_counts_new();
    cr_assert(spelling_counts_add(counts, "lantern", 7, 1));
    cr_assert(spelling_counts_add(counts, "harbour", 7, 1));
    cr_assert_eq(spelling_counts_apply(counts, w), SHIM_OK);
    char *suggestion = NULL;
    shim_db *db = shim_writable_reader(w);
    cr_assert_eq(shim_db_spelling_suggestion(db, "lanturn", 2, &suggestion), SHIM_OK);
    cr_assert_str_eq(suggestion, "lantern");
    free(suggestion);

    cr_assert_eq(spelling_counts_add_document(counts, db, docid, -1), SHIM_OK);
    cr_assert_eq(spelling_counts_size(counts), 2, "only the spelling words of the terms");
    cr_assert_eq(spelling_counts_apply(counts, w), SHIM_OK);
    suggestion = NULL;
    cr_assert_eq(shim_db_spelling_suggestion(db, "lanturn", 2, &suggestion), SHIM_NOT_FOUND);
    free(suggestion);
    spelling_counts_free(counts);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    remove_temp(dir);
}
