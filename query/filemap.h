/* filemap.h — which file a passage belongs to: document ids to file keys,
 * for one revision of the database.
 *
 * Each shard stores its passages as runs of document ids per file
 * (schema/file_runs.h): read once, they map any passage with a binary
 * search. Without them (a database written by a tool that does not keep
 * them, a remote shard), the keys come from the SCHEMA_SLOT_FILE_KEY values:
 * Xapian reads a value by decoding its chunk of the slot, so each look-up
 * costs about a microsecond, and reading the whole slot nearly as much per
 * document; values are then read one by one, unless about half the documents
 * are wanted or many queries will follow (batch mode), when the whole slot is
 * read once into a table. Batch mode builds the table from the runs too.
 */
#ifndef KENSAKU_QUERY_FILEMAP_H
#define KENSAKU_QUERY_FILEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema/file_runs.h"
#include "shim/shim.h"

typedef struct filemap {
    uint64_t *table;         /* key per docid (0: none), or NULL until built */
    uint32_t table_size;     /* entries: last docid + 1 */
    bool prefer_table;       /* build the table at the first use (batch mode) */
    bool runs_read;          /* the shards' runs were looked for */
    file_runs *runs;         /* one per shard, or NULL when some shard has none */
    uint32_t n_shards;
} filemap;

/* Forget the table and the runs (after the database was reopened). */
void filemap_reset(filemap *map);

/* Get ready for about LOOKUPS look-ups: read the shards' runs if that will
 * pay (many look-ups, or batch mode) and was not done yet, and build the
 * table if it will pay: in batch mode, or when there are no runs and the
 * values would be read one by one otherwise. */
shim_status filemap_prepare(filemap *map, shim_db *db, uint32_t doc_count, uint32_t last_docid,
                            size_t lookups);

/* After filemap_prepare: can filemap_lookup answer (a table or runs)? */
static inline bool filemap_ready(const filemap *map)
{
    return map->table || map->runs;
}

/* The key of DOCID (0 if none); only when filemap_ready. */
uint64_t filemap_lookup(const filemap *map, uint32_t docid);

/* The keys of the N documents DOCIDS (ascending) of DB, which holds
 * DOC_COUNT documents up to LAST_DOCID, into KEYS (0 for a document without
 * a key). */
shim_status filemap_keys(filemap *map, shim_db *db, uint32_t doc_count, uint32_t last_docid,
                         const uint32_t *docids, size_t n, uint64_t *keys);

#endif
