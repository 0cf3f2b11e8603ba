/* indexer.h — one run of kensaku-index (main.c parses, this does the work). */
#ifndef KENSAKU_INDEXER_INDEXER_H
#define KENSAKU_INDEXER_INDEXER_H

#include "indexer/options.h"

/* Run with OPTIONS; returns the exit status of DESIGN.md's contract. */
int indexer_run(const index_options *options);

#endif
