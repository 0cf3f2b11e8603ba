/* job.h — one file on its way from a reader thread to its shard's writer.
 *
 * The walk creates a job for every file that must be read (or removed); a
 * reader fills in the outcome and the chunks of documents; the writer of the
 * job's shard applies it. The chunk list and the flags below the marked
 * line are shared between threads and only touched under the pipeline lock.
 */
#ifndef KENSAKU_INDEXER_JOB_H
#define KENSAKU_INDEXER_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "indexer/extract.h"
#include "indexer/file_state.h"
#include "indexer/pipeline.h"
#include "indexer/prepare.h"

typedef enum job_outcome {
    OUTCOME_INDEXED,   /* passages written; an indexed record */
    OUTCOME_SKIPPED,   /* binary or no text: a skipped record, not read again */
    OUTCOME_TOO_LARGE, /* over the size limit: no record (the limit may change) */
    OUTCOME_FAILED,    /* a failure record, not retried until the file changes */
    OUTCOME_GONE       /* vanished or removed: nothing remains */
} job_outcome;

typedef struct job {
    char *path;                /* owned, NUL-terminated */
    size_t path_len;
    size_t shard;
    known_file known;          /* what the database held before */
    uint64_t max_size;
    struct stat walk_st;       /* as the walk saw it */
    bool remove_only;          /* no reading: the file is gone or forgotten */

    /* Set by the reader. */
    job_outcome outcome;
    file_signature signature;  /* of the file as it was read */
    uint32_t passages;
    uint64_t limit;            /* skipped for decompressing past this limit (0: no) */
    uint64_t bytes;
    const char *format;        /* static: "text", "html", ... */
    char reason[EXTRACT_REASON_MAX];

    /* ---- shared under the pipeline lock ---- */
    prepared_chunk *chunks;    /* ready, not yet taken by the writer */
    prepared_chunk *chunks_tail;
    size_t pending;            /* chunks in CHUNKS */
    bool complete;             /* the reader has finished with the job */
    bool queued;               /* in its shard's queue */
    struct job *next;          /* in the work queue or a shard queue */
} job;

/* A job for PATH, or NULL when out of memory. */
job *job_new(const char *path, size_t len, size_t shard, const known_file *known);

/* Free JOB and any chunks it still holds. NULL-safe. */
void job_free(job *job);

#endif
