/* file_table.h — every file record of the database, in memory, by path.
 *
 * Loaded once at the start of a run from every shard's metadata (keys by
 * prefix, then each value), so comparing the walk with what the database
 * knows costs one hash lookup per file and no database access. Entries the
 * walk does not mark as seen are the files gone from disk.
 */
#ifndef KENSAKU_INDEXER_FILE_TABLE_H
#define KENSAKU_INDEXER_FILE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "indexer/file_state.h"
#include "shim/shim.h"

typedef struct file_entry {
    file_signature signature;
    uint32_t passages;
    uint64_t limit;      /* see file_record */
    file_kind kind;
    uint16_t shard;      /* the shard whose metadata holds the record */
    bool seen;           /* the walk met the file in this run */
    char *reason;        /* owned; NULL when empty */
    size_t path_len;
    char path[];         /* NUL-terminated; the table's key */
} file_entry;

typedef struct file_table file_table;

file_table *file_table_new(void);
void file_table_free(file_table *table);

/* Load every record under PREFIX (SCHEMA_META_FILE_PREFIX or
 * SCHEMA_META_FAILED_PREFIX) from DB, the reader of shard SHARD. Records that
 * do not decode are ignored (and so, in time, replaced). */
shim_status file_table_load(file_table *table, shim_db *db, size_t shard, const char *prefix);

/* The entry for PATH, or NULL. */
file_entry *file_table_find(file_table *table, const char *path);

size_t file_table_size(const file_table *table);

/* Call FN for every entry, in no particular order. */
void file_table_foreach(file_table *table, void (*fn)(void *context, file_entry *entry),
                        void *context);

#endif
