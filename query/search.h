/* search.h — run one query: parse, plan, match files, rank passages, make
 * snippets. When the database changes under the reader (the indexer
 * committed), the database is reopened and the whole query run again, a
 * bounded number of times, so a query never mixes two revisions.
 */
#ifndef KENSAKU_QUERY_SEARCH_H
#define KENSAKU_QUERY_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/database.h"
#include "query/parse.h"
#include "query/snippet.h"
#include "schema/schema.h"
#include "shim/shim.h"

typedef struct search_options {
    bool any;                  /* implicit OR */
    bool literal;              /* plain words only */
    uint32_t limit, offset;
    uint32_t per_file;         /* passages per file (0: no limit) */
    bool files_only;           /* one hit per file, no snippets (-l) */
    bool count_only;           /* only the number of files (-c) */
    size_t snippet_chars;
    double bm25_k1, bm25_b;    /* negative: the defaults */
    /* The exact number of matching files is wanted (JSON, -c, batch).
     * Without it, a top-N answer is found without counting every file. */
    bool exact_total;
    /* Measure the search's time into search_result.ms (the default): JSON
     * and batch output print it. A fresh process's first clock read costs
     * two page faults (the vDSO's pages), for nothing when it is not shown. */
    bool timed;
} search_options;

void search_options_default(search_options *o);

typedef struct search_hit {
    char *data;                /* the document data; owned */
    schema_passage_record record; /* points into DATA */
    double score;
    char *snippet;             /* owned; NULL with files_only */
    size_t snippet_len;
    size_t *spans;             /* n_spans pairs of byte offsets into SNIPPET; owned */
    size_t n_spans;
    uint32_t line;             /* the snippet's first line in the file */
} search_hit;

typedef struct search_result {
    search_hit *hits;
    size_t n_hits;
    uint64_t total;            /* files matching (a lower bound unless TOTAL_EXACT) */
    bool total_exact;
    char *suggestion;          /* "did you mean" when nothing matched; owned, may be NULL */
    double ms;                 /* wall time of the whole query */
    unsigned attempts;         /* runs needed (more than 1 after a reopen) */
} search_result;

typedef enum search_failure {
    SEARCH_OK = 0,
    SEARCH_SYNTAX,             /* the query does not parse: see syntax */
    SEARCH_EMPTY,              /* nothing in the query can be searched for */
    SEARCH_ERROR               /* the database or the analyser failed: see message */
} search_failure;

typedef struct search_error {
    query_syntax_error syntax;
    char *message;             /* owned */
} search_error;

typedef struct searcher searcher;

/* A searcher over DB (borrowed; it must outlive the searcher). MANY says
 * that many queries will follow (batch mode): state worth building once is
 * then built at the first query. NULL when out of memory. */
searcher *searcher_new(database *db, bool many);
void searcher_free(searcher *s);

/* Run QUERY (LEN bytes). On SEARCH_OK *result holds the hits (free with
 * search_result_free); otherwise *error says why (free with
 * search_error_free). */
search_failure searcher_run(searcher *s, const char *query, size_t len,
                            const search_options *options, search_result *result,
                            search_error *error);

void search_result_free(search_result *r);
void search_error_free(search_error *e);

#endif
