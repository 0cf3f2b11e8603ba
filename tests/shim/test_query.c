/* test_query.c — query construction, each operator checked against the hit
 * set it must give on the five-document corpus (see shim_fixture.h). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "shim_fixture.h"

static shim_db *corpus;

static void corpus_setup(void) {
    fixture_setup();
    build_corpus("db");
    corpus = open_reader("db");
}

static void corpus_teardown(void) {
    shim_db_free(corpus);
    corpus = NULL;
    fixture_teardown();
}

TestSuite(query, .init = corpus_setup, .fini = corpus_teardown);

/* Assert QUERY's hits are EXPECTED ("1,3"), then free QUERY. */
static void expect_hits(shim_query *query, const char *expected) {
    char hits[64];
    hit_set(corpus, query, NULL, hits, sizeof hits);
    char *description = NULL;
    cr_assert_eq(shim_query_describe(query, &description), SHIM_OK);
    cr_expect_str_eq(hits, expected, "%s gave [%s], expected [%s]", description, hits, expected);
    free(description);
    shim_query_free(query);
}

static shim_query *scaled(shim_query *sub, double factor) {
    shim_query *query = NULL;
    cr_assert_eq(shim_query_scale(sub, factor, &query), SHIM_OK);
    shim_query_free(sub);
    return query;
}

Test(query, term_query_finds_every_document_with_the_term) {
    expect_hits(term_query("quick"), "1,2,4");
    expect_hits(term_query("XTb"), "3,4,5");
    expect_hits(term_query("absent"), "");
}

Test(query, and_needs_all_or_needs_any) {
    expect_hits(combine_terms(SHIM_QUERY_AND, 0, "quick", "brown", NULL), "1,4");
    expect_hits(combine_terms(SHIM_QUERY_OR, 0, "red", "bread", NULL), "2,4");
    expect_hits(combine_terms(SHIM_QUERY_AND, 0, "quick", "brown", "lazy"), "1");
}

Test(query, phrase_needs_the_terms_adjacent_and_in_order) {
    expect_hits(combine_terms(SHIM_QUERY_PHRASE, 0, "lazy", "dog", NULL), "1");
    expect_hits(combine_terms(SHIM_QUERY_PHRASE, 0, "dog", "lazy", NULL), "");
    expect_hits(combine_terms(SHIM_QUERY_PHRASE, 0, "quick", "brown", "fox"), "1");
    expect_hits(combine_terms(SHIM_QUERY_PHRASE, 0, "brown", "quick", NULL), "");
}

Test(query, phrase_with_a_window_allows_words_between_in_order) {
    /* doc 3: "lazy brown dog" — lazy and dog within 3 positions */
    expect_hits(combine_terms(SHIM_QUERY_PHRASE, 3, "lazy", "dog", NULL), "1,3");
    expect_hits(combine_terms(SHIM_QUERY_PHRASE, 3, "dog", "lazy", NULL), "");
}

Test(query, near_allows_any_order_within_the_window) {
    expect_hits(combine_terms(SHIM_QUERY_NEAR, 3, "dog", "lazy", NULL), "1,3");
    expect_hits(combine_terms(SHIM_QUERY_NEAR, 2, "dog", "lazy", NULL), "1");
    /* doc 1: quick (2) ... dog (9): 8 positions apart */
    expect_hits(combine_terms(SHIM_QUERY_NEAR, 5, "quick", "dog", NULL), "");
    expect_hits(combine_terms(SHIM_QUERY_NEAR, 8, "quick", "dog", NULL), "1");
}

Test(query, wildcard_expands_a_prefix_into_every_matching_term) {
    shim_query *query = NULL;
    cr_assert_eq(shim_query_wildcard("fox", 0, &query), SHIM_OK);
    expect_hits(query, "1,2,5");
    cr_assert_eq(shim_query_wildcard("do", 0, &query), SHIM_OK);
    expect_hits(query, "1,3,5");
    cr_assert_eq(shim_query_wildcard("zzz", 0, &query), SHIM_OK);
    expect_hits(query, "");
}

Test(query, wildcard_limit_keeps_the_most_frequent_terms) {
    shim_query *query = NULL;
    /* "fox" is in two documents, "foxes" in one */
    cr_assert_eq(shim_query_wildcard("fox", 1, &query), SHIM_OK);
    expect_hits(query, "1,2");
}

Test(query, value_range_selects_by_sortable_numbers_with_open_bounds) {
    sortable lo = sortable_of(20), hi = sortable_of(40);
    shim_query *query = NULL;
    cr_assert_eq(shim_query_value_range(1, lo.bytes, lo.len, hi.bytes, hi.len, &query), SHIM_OK);
    expect_hits(query, "2,3,4");
    cr_assert_eq(shim_query_value_range(1, NULL, 0, lo.bytes, lo.len, &query), SHIM_OK);
    expect_hits(query, "1,2");
    cr_assert_eq(shim_query_value_range(1, hi.bytes, hi.len, NULL, 0, &query), SHIM_OK);
    expect_hits(query, "4,5");
    cr_assert_eq(shim_query_value_range(1, NULL, 0, NULL, 0, &query), SHIM_OK);
    expect_hits(query, "1,2,3,4,5");
    cr_assert_eq(shim_query_value_range(0, "b", 1, "b", 1, &query), SHIM_OK);
    expect_hits(query, "3");
    cr_assert_eq(shim_query_value_range(9, "a", 1, "z", 1, &query), SHIM_OK);
    expect_hits(query, "");
}

Test(query, filter_restricts_without_changing_weights) {
    shim_query *quick = term_query("quick");
    shim_query *filtered = combine_terms(SHIM_QUERY_FILTER, 0, "quick", "XTa", NULL);
    char hits[64];
    hit_set(corpus, filtered, NULL, hits, sizeof hits);
    cr_assert_str_eq(hits, "1,2");
    cr_assert_float_eq(hit_weight(corpus, filtered, NULL, 2), hit_weight(corpus, quick, NULL, 2),
                       1e-9);
    shim_query_free(quick);
    shim_query_free(filtered);
}

Test(query, filter_with_several_filters_needs_all_of_them) {
    expect_hits(combine_terms(SHIM_QUERY_FILTER, 0, "quick", "XTa", "lazy"), "1");
}

Test(query, and_not_drops_documents_matching_any_later_subquery) {
    expect_hits(combine_terms(SHIM_QUERY_AND_NOT, 0, "brown", "dog", NULL), "4");
    expect_hits(combine_terms(SHIM_QUERY_AND_NOT, 0, "quick", "red", "bread"), "1");
}

Test(query, and_maybe_matches_the_first_and_adds_weight_from_the_rest) {
    shim_query *maybe = combine_terms(SHIM_QUERY_AND_MAYBE, 0, "fox", "lazy", NULL);
    shim_query *fox = term_query("fox");
    char hits[64];
    hit_set(corpus, maybe, NULL, hits, sizeof hits);
    cr_assert_str_eq(hits, "1,2", "lazy alone (doc 3) must not match");
    cr_assert_gt(hit_weight(corpus, maybe, NULL, 1), hit_weight(corpus, fox, NULL, 1) + 1e-6);
    cr_assert_float_eq(hit_weight(corpus, maybe, NULL, 2), hit_weight(corpus, fox, NULL, 2), 1e-9);
    shim_query_free(maybe);
    shim_query_free(fox);
}

Test(query, synonym_matches_either_term_as_one) {
    expect_hits(combine_terms(SHIM_QUERY_SYNONYM, 0, "fox", "foxes", NULL), "1,2,5");
}

Test(query, max_matches_any_subquery) {
    expect_hits(combine_terms(SHIM_QUERY_MAX, 0, "red", "bread", NULL), "2,4");
}

Test(query, scale_multiplies_weights_and_zero_makes_them_boolean) {
    shim_query *quick = term_query("quick");
    double base = hit_weight(corpus, quick, NULL, 4);
    cr_assert_gt(base, 0);
    shim_query *doubled = scaled(term_query("quick"), 2.0);
    cr_assert_float_eq(hit_weight(corpus, doubled, NULL, 4), 2 * base, 1e-9);
    shim_query *zero = scaled(term_query("quick"), 0.0);
    cr_assert_float_eq(hit_weight(corpus, zero, NULL, 4), 0.0, 1e-12);
    expect_hits(zero, "1,2,4");
    shim_query *negative = (shim_query *)1;
    cr_assert_eq(shim_query_scale(quick, -1.0, &negative), SHIM_INVALID_ARGUMENT);
    cr_assert_null(negative);
    shim_query_free(quick);
    shim_query_free(doubled);
}

Test(query, match_all_and_match_nothing_and_empty_combination) {
    shim_query *query = NULL;
    cr_assert_eq(shim_query_match_all(&query), SHIM_OK);
    expect_hits(query, "1,2,3,4,5");
    cr_assert_eq(shim_query_match_nothing(&query), SHIM_OK);
    expect_hits(query, "");
    cr_assert_eq(shim_query_combine(SHIM_QUERY_OR, NULL, 0, 0, &query), SHIM_OK);
    expect_hits(query, "");
}

Test(query, combination_of_one_subquery_is_that_subquery) {
    shim_query *only = term_query("red");
    shim_query *query = NULL;
    cr_assert_eq(shim_query_combine(SHIM_QUERY_AND, &only, 1, 0, &query), SHIM_OK);
    shim_query_free(only);
    expect_hits(query, "2");
}

Test(query, subqueries_stay_usable_after_combining) {
    shim_query *parts[2] = {term_query("quick"), term_query("red")};
    shim_query *both = NULL;
    cr_assert_eq(shim_query_combine(SHIM_QUERY_AND, parts, 2, 0, &both), SHIM_OK);
    expect_hits(both, "2");
    expect_hits(parts[0], "1,2,4");
    expect_hits(parts[1], "2");
}

Test(query, null_subquery_or_unknown_operator_is_an_invalid_argument) {
    shim_query *parts[2] = {term_query("quick"), NULL};
    shim_query *query = (shim_query *)1;
    cr_assert_eq(shim_query_combine(SHIM_QUERY_AND, parts, 2, 0, &query), SHIM_INVALID_ARGUMENT);
    cr_assert_null(query);
    cr_assert_eq(shim_query_combine((shim_query_op)77, parts, 1, 0, &query),
                 SHIM_INVALID_ARGUMENT);
    cr_assert_eq(shim_query_value_range(SHIM_NO_SLOT, "a", 1, "b", 1, &query),
                 SHIM_INVALID_ARGUMENT);
    shim_query_free(parts[0]);
}

Test(query, description_names_the_operator_and_terms) {
    shim_query *query = combine_terms(SHIM_QUERY_PHRASE, 0, "lazy", "dog", NULL);
    char *description = NULL;
    cr_assert_eq(shim_query_describe(query, &description), SHIM_OK);
    cr_assert_not_null(strstr(description, "PHRASE"), "%s", description);
    cr_assert_not_null(strstr(description, "lazy"), "%s", description);
    free(description);
    shim_query_free(query);
}

Test(query, within_query_frequency_raises_a_terms_weight) {
    shim_query *once = NULL, *twice = NULL;
    cr_assert_eq(shim_query_term("fox", 3, 1, 0, &once), SHIM_OK);
    cr_assert_eq(shim_query_term("fox", 3, 2, 0, &twice), SHIM_OK);
    shim_search_options options;
    shim_search_options_init(&options);
    options.bm25.k1 = 1;
    options.bm25.k3 = 1;
    options.bm25.b = 0.5;
    options.bm25.min_normlen = 0.5;
    options.bm25.k2 = 0;
    cr_assert_gt(hit_weight(corpus, twice, &options, 2), hit_weight(corpus, once, &options, 2));
    shim_query_free(once);
    shim_query_free(twice);
}
