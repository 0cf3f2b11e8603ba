/* writer.h — jobs applied to one shard of the database.
 *
 * Each file is one unflushed Xapian transaction: its old passages (if any)
 * deleted by its XF term, its new passages added, its record written — so
 * readers see either the old file or the new one, and the record can never
 * disagree with the passages after a crash. The spelling words a file adds
 * or takes away are counted and applied just before each commit. Commits
 * happen by size (text, or distinct spelling words pending) and by time,
 * never per file.
 */
#ifndef KENSAKU_INDEXER_WRITER_H
#define KENSAKU_INDEXER_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "indexer/job.h"
#include "indexer/summary.h"
#include "shim/shim.h"

typedef struct writer writer;

/* A writer for DB (borrowed). NULL when out of memory. */
writer *writer_new(shim_writable_db *db, uint64_t commit_bytes, double commit_seconds,
                   bool verbose);
void writer_free(writer *writer);

/* Start JOB: open its transaction and delete what the shard held for it. */
shim_status writer_begin(writer *writer, const job *job);

/* Add a chunk of JOB's documents (CHUNK stays the caller's). */
shim_status writer_add_chunk(writer *writer, prepared_chunk *chunk);

/* Finish JOB: its record, the end of its transaction; counts it into
 * COUNTS and reports it. */
shim_status writer_end(writer *writer, const job *job, summary *counts);

/* Commit if enough text or time has gone by since the last commit. */
shim_status writer_maybe_commit(writer *writer);

/* Apply the pending spelling changes and commit. */
shim_status writer_commit(writer *writer);

/* Xapian's message for the last failure. Borrowed. */
const char *writer_last_error(const writer *writer);

#endif
