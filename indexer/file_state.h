/* file_state.h — what the database remembers about each file.
 *
 * For every file under the roots the database keeps one metadata record:
 * under SCHEMA_META_FILE_PREFIX when it was indexed (or skipped on purpose:
 * binary, no text), under SCHEMA_META_FAILED_PREFIX when it failed. The
 * record holds the file's signature (size, mtime and ctime with nanoseconds,
 * inode), its passage count, its path and, for skips and failures, the
 * reason. A file whose signature has not changed is not read again. The
 * record is written in the same transaction as the file's passages, so a
 * crash can never leave one without the other.
 */
#ifndef KENSAKU_INDEXER_FILE_STATE_H
#define KENSAKU_INDEXER_FILE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "schema/schema.h"

typedef enum file_kind {
    FILE_INDEXED = 'i', /* its passages are in the database */
    FILE_SKIPPED = 's', /* not indexed on purpose (binary, no text); not read again */
    FILE_FAILED = 'f'   /* could not be indexed; not retried until it changes */
} file_kind;

typedef struct file_signature {
    uint64_t size;
    int64_t mtime_ns;
    int64_t ctime_ns;
    uint64_t inode;
} file_signature;

typedef struct file_record {
    file_kind kind;
    file_signature signature;
    uint32_t passages;
    uint64_t limit;   /* skipped for exceeding this size limit (0: not so) */
    char *path;       /* owned, NUL-terminated (paths hold no NUL) */
    size_t path_len;
    char *reason;     /* owned, NUL-terminated; "" for indexed files */
} file_record;

file_signature file_signature_of(const struct stat *st);
bool file_signature_equal(const file_signature *a, const file_signature *b);

/* The record as a metadata value. Caller frees with free(); NULL when out of memory. */
char *file_record_encode(const file_record *record, size_t *len);

/* Parse a metadata value into RECORD (path and reason allocated; free with
 * file_record_free). False for a value this module did not write. */
bool file_record_decode(const char *value, size_t len, file_record *record);

void file_record_free(file_record *record);

/* The metadata key for PATH's record: PREFIX (SCHEMA_META_FILE_PREFIX or
 * SCHEMA_META_FAILED_PREFIX) + the file's XF term; when that would exceed
 * Xapian's key limit, PREFIX + "#" + a hash of the term. Returns the length. */
size_t file_state_key(const char *prefix, const char *path, size_t path_len,
                      char out[SCHEMA_TERM_MAX]);

#endif
