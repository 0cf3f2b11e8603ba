/* file_runs.h — which file each passage of a shard belongs to, as runs of
 * document ids.
 *
 * A shard's writer adds a file's passages one after the other, and Xapian
 * gives new documents increasing ids, so within a shard the passages of a
 * file are one run of consecutive ids. The runs of a shard, with the file
 * key of each, are stored in the shard's metadata (SCHEMA_META_FILE_RUNS)
 * and committed with the documents. A query then maps any passage to its
 * file with a binary search in memory, where reading the file-key value of
 * each passage costs a B-tree look-up.
 *
 * The stored runs name the document count and the highest document id of
 * the shard they describe: a reader ignores runs that do not match its
 * shard (written by a tool that does not keep them, say) and falls back to
 * the values.
 */
#ifndef KENSAKU_SCHEMA_FILE_RUNS_H
#define KENSAKU_SCHEMA_FILE_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shim/shim.h"

#define SCHEMA_META_FILE_RUNS "kensaku.file-runs"

typedef struct file_run {
    uint32_t first;  /* document id of the run's first passage */
    uint32_t count;  /* passages in the run (>= 1) */
    uint64_t key;    /* the file key (SCHEMA_SLOT_FILE_KEY's 8 bytes, big-endian) */
} file_run;

/* The runs of one shard, sorted by first id, never overlapping. */
typedef struct file_runs {
    file_run *runs;    /* a deleted run stays, with a count of 0, until compacted */
    size_t n, cap;
    size_t empty;      /* runs with a count of 0 */
} file_runs;

#define FILE_RUNS_INIT {NULL, 0, 0, 0}

void file_runs_free(file_runs *r);

/* Passage DOCID of the file KEY was added; ids must come in increasing order.
 * False when out of memory. */
bool file_runs_add(file_runs *r, uint32_t docid, uint64_t key);

/* Passage DOCID was deleted. False when out of memory. */
bool file_runs_remove(file_runs *r, uint32_t docid);

/* The file key of DOCID, 0 if no run holds it. */
uint64_t file_runs_key(const file_runs *r, uint32_t docid);

/* The same for look-ups in increasing order of DOCID: *HINT (0 at first)
 * remembers where the last one ended, so that a walk through a list of
 * passages costs about one step per run passed instead of a bisection. */
uint64_t file_runs_key_onwards(const file_runs *r, size_t *hint, uint32_t docid);

/* How many passages the runs hold in all. */
uint64_t file_runs_passages(const file_runs *r);

/* The runs of every document of DB from its file-key values (R emptied
 * first): for a database whose stored runs are missing or do not describe it
 * (written by an older kensaku-index, or just merged). */
shim_status file_runs_from_values(shim_db *db, file_runs *r);

/* The runs as metadata for a shard of DOC_COUNT documents up to LAST_DOCID.
 * Caller frees; NULL when out of memory. */
char *file_runs_encode(const file_runs *r, uint32_t doc_count, uint32_t last_docid,
                       size_t *len);

/* Decode metadata into R (emptied first). False if DATA is not runs that
 * describe a shard of DOC_COUNT documents up to LAST_DOCID exactly. */
bool file_runs_decode(const char *data, size_t len, uint32_t doc_count, uint32_t last_docid,
                      file_runs *r);

#endif
