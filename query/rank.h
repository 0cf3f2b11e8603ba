/* rank.h — which passages are shown: the passages of the matching files,
 * best first, at most so many per file, the page asked for, with snippets.
 */
#ifndef KENSAKU_QUERY_RANK_H
#define KENSAKU_QUERY_RANK_H

#include "query/run.h"

typedef enum rank_mode {
    RANK_ALL,        /* every passage of the query belongs to a matching file */
    RANK_CANDIDATES, /* only the passages of the accepted files count */
    RANK_VERIFIED    /* each new file is checked against the query */
} rank_mode;

/* Rank QUERY's passages page by page and keep those of matching files (see
 * rank_mode; for RANK_CANDIDATES, ACCEPTED holds the matching files and
 * fileset_candidates was called). QUERY matches at most MOST passages
 * (UINT32_MAX when that is not known): a page that holds them all is the
 * last. *DONE is false when too many candidates were rejected and another
 * way should be taken. */
shim_status rank_pages(run *x, const shim_query *query, rank_mode mode, const keyset *accepted,
                       uint32_t most, bool *done);

/* Rank every passage QUERY matches (each belonging to a matching file) in
 * one search: all of them give the exact number of files, the best of them
 * the answer. For exact totals of queries whose matching is costly (phrases):
 * counting and ranking would each do that work. */
shim_status rank_every_match(run *x, const shim_query *query);

/* Rank among the files of ACCEPT with Xapian's match decider and collapse
 * (a file key read per passage looked at): for when paging would take too
 * long, or files may match without any positive leaf. */
shim_status rank_with_decider(run *x, const keyset *accept);

#endif
