/* shim_fixture.h — what the shim tests share: a fresh temporary directory per
 * test, removed afterwards, and short ways to build and query small databases. */
#ifndef KENSAKU_TESTS_SHIM_FIXTURE_H
#define KENSAKU_TESTS_SHIM_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "shim/shim.h"

/* The test's temporary directory (made by fixture_setup, removed by
 * fixture_teardown): use as .init / .fini of every suite. */
extern char *fixture_dir;
void fixture_setup(void);
void fixture_teardown(void);

/* DIR/NAME in a static buffer that is overwritten by the next call. */
const char *fixture_path(const char *name);

/* Remove PATH and everything below it; 0 on success. */
int remove_tree(const char *path);

/* Open NAME (under the fixture directory) for writing, creating it; fails the
 * test on error. */
shim_writable_db *open_writer(const char *name);

/* Open NAME for reading; fails the test on error. */
shim_db *open_reader(const char *name);

/* A document whose words (TEXT split at spaces) are posted at positions 1..n,
 * with unique term UNIQUE (if not NULL) and DATA as its data. */
shim_doc *make_doc(const char *unique, const char *text, const char *data);

/* make_doc + add (or replace by UNIQUE when REPLACE); returns the docid. */
uint32_t add_text(shim_writable_db *db, const char *unique, const char *text, const char *data);

/* Run QUERY with OPTIONS (NULL: defaults, limit 100) and write the hits'
 * docids, sorted ascending, as "1,3,4" into OUT; returns the hit count. */
uint32_t hit_set(shim_db *db, const shim_query *query, const shim_search_options *options,
                 char *out, size_t out_size);

/* A term query, failing the test on error. */
shim_query *term_query(const char *term);

/* Combine two or three term queries with OP (THIRD may be NULL). */
shim_query *combine_terms(shim_query_op op, uint32_t window, const char *first,
                          const char *second, const char *third);

/* The weight of the hit with DOCID for QUERY (-1 if it is not a hit). */
double hit_weight(shim_db *db, const shim_query *query, const shim_search_options *options,
                  uint32_t docid);

/* Run QUERY on DB with BM25 (NULL: Xapian's parameters) once weighed the
 * usual way and once from lengths in memory: fails the test unless both give
 * the same hits with the same weights. Returns the number of hits. */
uint32_t expect_same_weights_from_lengths(shim_db *db, const shim_query *query,
                                          const shim_bm25_params *bm25);

/* Writes under NAME the five-document corpus the query and search tests use:
 *   1 "the quick brown fox jumps over the lazy dog"  slot 0 "a", slot 1 10, XTa
 *   2 "a quick red fox"                              slot 0 "a", slot 1 20, XTa
 *   3 "the lazy brown dog sleeps"                    slot 0 "b", slot 1 30, XTb
 *   4 "brown bread and quick coffee"                 slot 0 "c", slot 1 40, XTb
 *   5 "foxes and dogs are animals"                   slot 0 "c", slot 1 50, XTb
 * Slot 1 holds sortable-serialised numbers; data is "doc1" ... "doc5"; the
 * unique terms are Q1 ... Q5. */
void build_corpus(const char *name);

/* Sortable-serialised NUMBER as a std-string-like pair for value queries. */
typedef struct sortable {
    char bytes[18];
    size_t len;
} sortable;
sortable sortable_of(double number);

#endif
