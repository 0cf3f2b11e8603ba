/* batch.h — --batch: one query per line on stdin ("QUERY" or "ID<TAB>QUERY"),
 * each query's results followed by its summary. The database stays open and
 * the analyser warm from one query to the next.
 */
#ifndef KENSAKU_QUERY_BATCH_H
#define KENSAKU_QUERY_BATCH_H

#include <stdio.h>

#include "query/render.h"
#include "query/search.h"

/* Run every query of IN. Returns the exit status: 0 if any query found
 * something, else 2 if any failed, else 1. */
int batch_run(searcher *s, const search_options *so, const render_options *ro, FILE *in,
              FILE *out, FILE *err);

#endif
