/* test_search.c — running queries: paging, counts, collapse, accept sets,
 * BM25 parameters, docid order, hit data and values, term weights. */
#include <criterion/criterion.h>
#include <math.h>
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

TestSuite(search, .init = corpus_setup, .fini = corpus_teardown);

static shim_search *run(const shim_query *query, const shim_search_options *options) {
    shim_search *search = NULL;
    cr_assert_eq(shim_search_run(corpus, query, options, &search), SHIM_OK, "%s",
                 shim_db_last_error(corpus));
    return search;
}

static shim_query *words_query(void) {
    static const char *words[] = {"quick", "brown", "fox", "lazy", "dog"};
    shim_query *parts[5];
    for (int i = 0; i < 5; i++) parts[i] = term_query(words[i]);
    shim_query *query = NULL;
    cr_assert_eq(shim_query_combine(SHIM_QUERY_OR, parts, 5, 0, &query), SHIM_OK);
    for (int i = 0; i < 5; i++) shim_query_free(parts[i]);
    return query; /* matches 1 2 3 4 */
}

Test(search, default_options_are_xapians_with_limit_ten_and_no_slots) {
    shim_search_options options;
    memset(&options, 0x5a, sizeof options);
    shim_search_options_init(&options);
    cr_assert_eq(options.limit, 10);
    cr_assert_eq(options.offset, 0);
    cr_assert_eq(options.collapse_slot, SHIM_NO_SLOT);
    cr_assert_eq(options.accept_slot, SHIM_NO_SLOT);
    cr_assert_eq(options.bm25.k1, 0);
    cr_assert(!options.sort_by_docid);
}

Test(search, hits_come_best_first_with_falling_weights) {
    shim_query *query = words_query();
    shim_search *search = run(query, NULL);
    cr_assert_eq(shim_search_size(search), 4);
    double previous = 1e300;
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t docid = 0;
        double weight = 0;
        cr_assert_eq(shim_search_hit(search, i, &docid, &weight), SHIM_OK);
        cr_assert_leq(weight, previous);
        cr_assert_gt(weight, 0);
        previous = weight;
    }
    uint32_t first = 0;
    cr_assert_eq(shim_search_hit(search, 0, &first, NULL), SHIM_OK);
    cr_assert_eq(first, 1, "doc 1 has all five words");
    shim_search_free(search);
    shim_query_free(query);
}

Test(search, offset_and_limit_page_through_the_ranking) {
    shim_query *query = NULL;
    cr_assert_eq(shim_query_match_all(&query), SHIM_OK);
    shim_search_options options;
    shim_search_options_init(&options);
    options.offset = 1;
    options.limit = 2;
    shim_search *search = run(query, &options);
    cr_assert_eq(shim_search_size(search), 2);
    uint32_t a = 0, b = 0;
    cr_assert_eq(shim_search_hit(search, 0, &a, NULL), SHIM_OK);
    cr_assert_eq(shim_search_hit(search, 1, &b, NULL), SHIM_OK);
    cr_assert_eq(a, 2, "equal weights rank by docid");
    cr_assert_eq(b, 3);
    uint32_t docid;
    cr_assert_eq(shim_search_hit(search, 2, &docid, NULL), SHIM_INVALID_ARGUMENT);
    cr_assert_gt(strlen(shim_search_last_error(search)), 0);
    shim_search_free(search);
    shim_query_free(query);
}

Test(search, check_at_least_makes_the_match_count_exact) {
    shim_query *query = words_query();
    shim_search_options options;
    shim_search_options_init(&options);
    options.limit = 1;
    options.check_at_least = 100;
    shim_search *search = run(query, &options);
    uint32_t lower = 0, estimated = 0, upper = 0;
    shim_search_matches(search, &lower, &estimated, &upper);
    cr_assert_eq(lower, 4);
    cr_assert_eq(estimated, 4);
    cr_assert_eq(upper, 4);
    cr_assert_eq(shim_search_size(search), 1);
    shim_search_free(search);
    shim_query_free(query);
}

Test(search, hit_data_and_values_are_the_documents) {
    shim_query *query = term_query("red");
    shim_search *search = run(query, NULL);
    cr_assert_eq(shim_search_size(search), 1);
    char *data = NULL;
    size_t len = 0;
    cr_assert_eq(shim_search_hit_data(search, 0, &data, &len), SHIM_OK);
    cr_assert_str_eq(data, "doc2");
    cr_assert_eq(len, 4);
    free(data);
    char *value = NULL;
    cr_assert_eq(shim_search_hit_value(search, 0, 1, &value, &len), SHIM_OK);
    cr_assert_float_eq(shim_sortable_unserialise(value, len), 20.0, 1e-9);
    free(value);
    cr_assert_eq(shim_search_hit_value(search, 0, 0, &value, &len), SHIM_OK);
    cr_assert_str_eq(value, "a");
    free(value);
    cr_assert_eq(shim_search_hit_data(search, 5, &data, &len), SHIM_INVALID_ARGUMENT);
    cr_assert_null(data);
    shim_search_free(search);
    shim_query_free(query);
}

Test(search, collapse_keeps_the_best_hit_per_key_and_counts_the_rest) {
    shim_query *query = words_query();
    double w1 = hit_weight(corpus, query, NULL, 1), w2 = hit_weight(corpus, query, NULL, 2);
    uint32_t best_a = w1 >= w2 ? 1 : 2;
    shim_search_options options;
    shim_search_options_init(&options);
    options.collapse_slot = 0;
    options.collapse_max = 1;
    shim_search *search = run(query, &options);
    cr_assert_eq(shim_search_size(search), 3, "keys a, b, c");
    int seen_a = 0;
    for (uint32_t i = 0; i < 3; i++) {
        uint32_t docid = 0, dropped = 9;
        cr_assert_eq(shim_search_hit(search, i, &docid, NULL), SHIM_OK);
        cr_assert_eq(shim_search_hit_collapse_count(search, i, &dropped), SHIM_OK);
        if (docid == 1 || docid == 2) {
            cr_assert_eq(docid, best_a);
            cr_assert_geq(dropped, 1);
            seen_a = 1;
        } else {
            cr_assert_eq(dropped, 0, "doc %u has no rival", docid);
        }
    }
    cr_assert(seen_a);
    shim_search_free(search);

    options.collapse_max = 2;
    search = run(query, &options);
    cr_assert_eq(shim_search_size(search), 4);
    shim_search_free(search);
    shim_query_free(query);
}

Test(search, accept_set_lets_only_listed_values_match) {
    shim_query *query = NULL;
    cr_assert_eq(shim_query_match_all(&query), SHIM_OK);
    shim_search_options options;
    shim_search_options_init(&options);
    options.accept_slot = 0;
    options.accept_values = "ac";
    options.accept_value_len = 1;
    options.accept_count = 2;
    char hits[64];
    hit_set(corpus, query, &options, hits, sizeof hits);
    cr_assert_str_eq(hits, "1,2,4,5");

    options.accept_values = "b";
    options.accept_count = 1;
    hit_set(corpus, query, &options, hits, sizeof hits);
    cr_assert_str_eq(hits, "3");

    options.accept_count = 0; /* an empty set accepts nothing */
    hit_set(corpus, query, &options, hits, sizeof hits);
    cr_assert_str_eq(hits, "");

    /* Values of another width never match. */
    options.accept_values = "aabb";
    options.accept_value_len = 2;
    options.accept_count = 2;
    hit_set(corpus, query, &options, hits, sizeof hits);
    cr_assert_str_eq(hits, "");
    shim_query_free(query);
}

Test(search, accept_set_binary_search_finds_every_member_of_a_large_set) {
    shim_query *query = NULL;
    cr_assert_eq(shim_query_match_all(&query), SHIM_OK);
    /* 26 one-byte values 'a'..'z', sorted: all three keys are members. */
    char values[26];
    for (int i = 0; i < 26; i++) values[i] = (char)('a' + i);
    shim_search_options options;
    shim_search_options_init(&options);
    options.accept_slot = 0;
    options.accept_values = values;
    options.accept_value_len = 1;
    options.accept_count = 26;
    char hits[64];
    hit_set(corpus, query, &options, hits, sizeof hits);
    cr_assert_str_eq(hits, "1,2,3,4,5");
    options.accept_values = values + 1; /* 'b'..'z' */
    options.accept_count = 25;
    hit_set(corpus, query, &options, hits, sizeof hits);
    cr_assert_str_eq(hits, "3,4,5");
    shim_query_free(query);
}

Test(search, bm25_parameters_change_the_weights) {
    shim_query *query = term_query("quick");
    double standard = hit_weight(corpus, query, NULL, 1);
    shim_search_options options;
    shim_search_options_init(&options);
    options.bm25 = (shim_bm25_params){1, 0, 1, 0.5, 0.5}; /* Xapian's defaults spelt out */
    cr_assert_float_eq(hit_weight(corpus, query, &options, 1), standard, 1e-9);
    options.bm25 = (shim_bm25_params){1, 0, 1, 0, 0.5}; /* no length normalisation */
    double flat1 = hit_weight(corpus, query, &options, 1);
    double flat2 = hit_weight(corpus, query, &options, 2);
    cr_assert_float_eq(flat1, flat2, 1e-9, "b = 0: length no longer matters");
    cr_assert_gt(fabs(flat1 - standard), 1e-6);
    options.bm25 = (shim_bm25_params){2, 0, 1, 1, 0.5};
    cr_assert_gt(fabs(hit_weight(corpus, query, &options, 1) - standard), 1e-6);
    shim_query_free(query);
}

Test(search, sort_by_docid_lists_in_docid_order_keeping_weights) {
    shim_query *query = words_query();
    shim_search_options options;
    shim_search_options_init(&options);
    options.sort_by_docid = true;
    shim_search *search = run(query, &options);
    cr_assert_eq(shim_search_size(search), 4);
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t docid = 0;
        double weight = 0;
        cr_assert_eq(shim_search_hit(search, i, &docid, &weight), SHIM_OK);
        cr_assert_eq(docid, i + 1);
        cr_assert_float_eq(weight, hit_weight(corpus, query, NULL, docid), 1e-9);
    }
    shim_search_free(search);

    shim_query_free(query);
}

Test(search, collapse_in_docid_order_keeps_the_lowest_docid_per_key) {
    /* docs 1 and 2 share key "a"; doc 2 (red and fox) outweighs doc 1 (fox) */
    shim_query *query = combine_terms(SHIM_QUERY_OR, 0, "red", "fox", NULL);
    cr_assert_gt(hit_weight(corpus, query, NULL, 2), hit_weight(corpus, query, NULL, 1));
    shim_search_options options;
    shim_search_options_init(&options);
    options.collapse_slot = 0;
    char hits[64];
    hit_set(corpus, query, &options, hits, sizeof hits);
    cr_assert_str_eq(hits, "2", "by relevance the heavier doc 2 stays");
    options.sort_by_docid = true;
    hit_set(corpus, query, &options, hits, sizeof hits);
    cr_assert_str_eq(hits, "1", "in docid order doc 1 stays");
    shim_query_free(query);
}

Test(search, term_weight_is_positive_for_query_terms_and_zero_otherwise) {
    shim_query *query = combine_terms(SHIM_QUERY_OR, 0, "red", "quick", NULL);
    shim_search *search = run(query, NULL);
    double red = 0, quick = 0, other = 9;
    cr_assert_eq(shim_search_term_weight(search, "red", &red), SHIM_OK);
    cr_assert_eq(shim_search_term_weight(search, "quick", &quick), SHIM_OK);
    cr_assert_eq(shim_search_term_weight(search, "fox", &other), SHIM_OK);
    cr_assert_gt(red, quick, "the rarer term weighs more");
    cr_assert_gt(quick, 0);
    cr_assert_float_eq(other, 0.0, 1e-12);
    shim_search_free(search);
    shim_query_free(query);
}

Test(search, null_query_or_missing_accept_values_is_an_invalid_argument) {
    shim_search *search = (shim_search *)1;
    cr_assert_eq(shim_search_run(corpus, NULL, NULL, &search), SHIM_INVALID_ARGUMENT);
    cr_assert_null(search);
    shim_query *query = term_query("quick");
    shim_search_options options;
    shim_search_options_init(&options);
    options.accept_slot = 0;
    options.accept_count = 3;
    cr_assert_eq(shim_search_run(corpus, query, &options, &search), SHIM_INVALID_ARGUMENT);
    shim_query_free(query);
}

Test(search, search_keeps_working_after_its_query_is_freed) {
    shim_query *query = term_query("red");
    shim_search *search = run(query, NULL);
    shim_query_free(query);
    char *data = NULL;
    cr_assert_eq(shim_search_hit_data(search, 0, &data, NULL), SHIM_OK);
    cr_assert_str_eq(data, "doc2");
    free(data);
    shim_search_free(search);
}

/* Q combined from PARTS (taken over). */
static shim_query *combined(shim_query_op op, shim_query **parts, size_t n) {
    shim_query *query = NULL;
    cr_assert_eq(shim_query_combine(op, parts, n, 0, &query), SHIM_OK);
    for (size_t i = 0; i < n; i++) shim_query_free(parts[i]);
    return query;
}

static shim_query *scaled(shim_query *query, double factor) {
    shim_query *out = NULL;
    cr_assert_eq(shim_query_scale(query, factor, &out), SHIM_OK);
    shim_query_free(query);
    return out;
}

Test(search, weights_from_lengths_in_memory_are_bm25s_own) {
    shim_query *queries[12];
    size_t n = 0;
    queries[n++] = term_query("quick");
    queries[n++] = words_query();
    queries[n++] = combine_terms(SHIM_QUERY_AND, 0, "quick", "brown", NULL);
    queries[n++] = combine_terms(SHIM_QUERY_AND_MAYBE, 0, "brown", "lazy", "fox");
    queries[n++] = combine_terms(SHIM_QUERY_AND_NOT, 0, "brown", "lazy", NULL);
    queries[n++] = combine_terms(SHIM_QUERY_MAX, 0, "quick", "dog", NULL);
    /* A word and its exact form at a quarter of the weight, as kensaku asks. */
    queries[n++] = combined(SHIM_QUERY_OR,
                            (shim_query *[]){term_query("fox"), scaled(term_query("foxes"), 0.25)},
                            2);
    /* Filters add no weight, whatever they are. */
    static const uint32_t some[] = {1, 3, 4};
    shim_query *listed = NULL;
    cr_assert_eq(shim_query_docids(corpus, some, 3, &listed), SHIM_OK);
    queries[n++] = combined(SHIM_QUERY_FILTER, (shim_query *[]){words_query(), listed}, 2);
    queries[n++] = combined(SHIM_QUERY_AND,
                            (shim_query *[]){term_query("brown"), scaled(term_query("dog"), 0)}, 2);
    shim_query *twice = NULL;
    cr_assert_eq(shim_query_term("lazy", 4, 2, 0, &twice), SHIM_OK);
    queries[n++] = combined(SHIM_QUERY_OR, (shim_query *[]){twice, term_query("red")}, 2);
    /* Weighed the usual way: a phrase, a synonym, a wildcard. */
    queries[n++] = combine_terms(SHIM_QUERY_PHRASE, 0, "quick", "brown", NULL);
    cr_assert_eq(shim_query_wildcard("fox", 0, &queries[n++]), SHIM_OK);
    static const shim_bm25_params params[] = {
        {2.5, 0, 1, 0.75, 0.5}, /* kensaku's */
        {1, 0, 1, 0, 0.5},      /* no length normalisation */
        {1.2, 0, 0, 1, 0.1},    /* no query frequency factor, full normalisation */
    };
    for (size_t q = 0; q < n; q++) {
        cr_expect_gt(expect_same_weights_from_lengths(corpus, queries[q], NULL), 0);
        for (size_t p = 0; p < sizeof params / sizeof params[0]; p++)
            expect_same_weights_from_lengths(corpus, queries[q], &params[p]);
        shim_query_free(queries[q]);
    }
}

Test(search, weights_from_lengths_follow_a_reopened_database) {
    shim_query *query = words_query();
    expect_same_weights_from_lengths(corpus, query, NULL); /* the lengths are read */
    shim_writable_db *w = open_writer("db");
    add_text(w, "Q1", "the quick brown fox jumps over the lazy dog and the quick brown cat", "doc1");
    add_text(w, NULL, "a quick dog", "doc6");
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    cr_assert_eq(shim_db_reopen(corpus), SHIM_OK);
    cr_expect_eq(expect_same_weights_from_lengths(corpus, query, NULL), 5,
                 "document 1 longer, document 6 new: the lengths are read again");
    shim_query_free(query);
}
