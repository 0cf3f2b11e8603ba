/* pipeline.h — reading and analysis on many threads, writing on one per shard.
 *
 * The walk (on the caller's thread) submits the files that must be read; a
 * pool of reader threads reads, extracts and analyses them into documents;
 * each shard's writer thread applies them to its database, one file per
 * unflushed transaction, and commits by size and time and at the end. Memory
 * stays bounded however large the corpus or a single file: the work queue is
 * short, documents travel in chunks, and readers wait when the chunks in
 * flight exceed a budget — except the reader of the file a writer is waiting
 * for, so the pipeline can never deadlock.
 */
#ifndef KENSAKU_INDEXER_PIPELINE_H
#define KENSAKU_INDEXER_PIPELINE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "indexer/file_state.h"
#include "indexer/store.h"
#include "indexer/summary.h"
#include "text/config.h"

typedef struct pipeline_config {
    store *store;                   /* borrowed; its shards are the writers' while running */
    text_config analysis;           /* the database's analyser configuration */
    unsigned readers;               /* reader threads (>= 1) */
    uint64_t commit_bytes;          /* commit a shard after this much text ... */
    double commit_seconds;          /* ... or this long after its last commit */
    size_t budget_bytes;            /* memory for documents in flight */
    bool verbose;                   /* report every file */
    volatile sig_atomic_t *interrupted; /* stop taking new files when set */
} pipeline_config;

/* What the database knew about a file before this run. */
typedef struct known_file {
    bool present;                   /* there is a record */
    file_kind kind;
    uint32_t passages;
} known_file;

typedef struct pipeline pipeline;

/* Start the threads. NULL on failure with *message (caller frees). */
pipeline *pipeline_start(const pipeline_config *config, char **message);

/* Queue the file at PATH (seen by the walk with ST) for reading, to be written
 * to SHARD. Blocks while the queue is full. False once the pipeline stopped
 * (interrupted or failed): the file was not queued. */
bool pipeline_submit(pipeline *pipeline, const char *path, size_t len, const struct stat *st,
                     size_t shard, uint64_t max_size, const known_file *known);

/* Queue the removal of everything the database holds about PATH (gone from
 * disk, or forgotten). */
bool pipeline_remove(pipeline *pipeline, const char *path, size_t len, size_t shard,
                     const known_file *known);

/* Count files the caller decided about itself (unchanged, skipped). */
void pipeline_count(pipeline *pipeline, const summary *counts);

/* A snapshot for the progress line. */
typedef struct pipeline_progress {
    uint64_t files_done, files_queued;
    uint64_t bytes_done, bytes_queued;
} pipeline_progress;

void pipeline_get_progress(pipeline *pipeline, pipeline_progress *progress);

/* True once a writer failed (the run cannot succeed). */
bool pipeline_failed(pipeline *pipeline);

/* No more files: let the readers finish, the writers write and commit what
 * was queued, and join every thread. Fills *totals. False when a write
 * failed: *message says why and nothing since the last commits is kept. */
bool pipeline_finish(pipeline *pipeline, summary *totals, char **message);

#endif
