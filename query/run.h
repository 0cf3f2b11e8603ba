/* run.h — the state of one run of a query, shared by the files that carry
 * it out: search.c (the run, its retries, its outcome), fileset.c (which
 * files match) and rank.c (which passages are shown). Internal to query/.
 */
#ifndef KENSAKU_QUERY_RUN_H
#define KENSAKU_QUERY_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/database.h"
#include "query/filemap.h"
#include "query/keyset.h"
#include "query/keytable.h"
#include "query/plan.h"
#include "query/search.h"
#include "query/snippet.h"
#include "shim/shim.h"

struct searcher {
    database *db;
    snippet_maker *maker;      /* made on first use */
    char *cwd;                 /* for relative path: filters */
    bool many;                 /* many queries will run (batch mode): tables pay off */
    filemap map;               /* docid -> file key, for the current revision */
};

/* The passages of a leaf with the key of each one's file, as found while
 * matching files: the candidates for ranking among the accepted files. */
typedef struct passages {
    uint32_t *docids;          /* ascending */
    uint64_t *keys;
    size_t n;
    bool known;                /* computed in this run */
    bool complete;             /* over the whole index, not among some files only */
} passages;

void passages_free(passages *p);

/* The key of DOCID in P (0 if absent). */
uint64_t passages_key(const passages *p, uint32_t docid);

typedef struct run {
    searcher *s;
    plan *p;
    const search_options *o;
    search_result *r;
    shim_db *db;
    uint32_t doc_count, last_docid;
    shim_query **boolean;      /* per leaf: its query without weights (made lazily) */
    keytable files;            /* what is known of each file met */
    passages *found;           /* per leaf, when KEEP: its passages and their files */
    uint64_t *estimates;       /* per leaf: how many passages it may match (0: not known yet) */
    bool keep;
    char *message;             /* on failure other than SHIM_MODIFIED */
} run;

/* Record a failure of WHAT with STATUS (the first one's message is kept;
 * SHIM_MODIFIED has none: the run is simply tried again). Returns STATUS. */
shim_status run_fail(run *x, shim_status status, const char *what);

/* Free what HIT owns and empty it. */
void run_hit_free(search_hit *hit);

/* Search options with the run's BM25 parameters. */
void run_search_options(const run *x, shim_search_options *so);

#endif
