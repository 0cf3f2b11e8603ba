/* filemap.h — which file a passage belongs to: document ids to file keys
 * (SCHEMA_SLOT_FILE_KEY), for one revision of the database.
 *
 * Xapian reads a value by decoding its chunk of the slot, so each lookup
 * costs about a microsecond, and reading the whole slot costs nearly as much
 * per document. The map reads values one by one, unless about half the
 * documents are wanted or many queries will follow (batch mode): then it
 * reads the whole slot once into a table.
 */
#ifndef KENSAKU_QUERY_FILEMAP_H
#define KENSAKU_QUERY_FILEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shim/shim.h"

typedef struct filemap {
    uint64_t *table;         /* key per docid (0: none), or NULL until built */
    uint32_t table_size;     /* entries: last docid + 1 */
    bool prefer_table;       /* build the table at the first use (batch mode) */
} filemap;

/* Forget the table (after the database was reopened). */
void filemap_reset(filemap *map);

/* Build the table now if it will pay: in batch mode, or when about LOOKUPS
 * values would be read one by one otherwise. */
shim_status filemap_prepare(filemap *map, shim_db *db, uint32_t doc_count, uint32_t last_docid,
                            size_t lookups);

/* The key of DOCID from the table (0 if none); only after the table was built. */
static inline uint64_t filemap_lookup(const filemap *map, uint32_t docid)
{
    return docid < map->table_size ? map->table[docid] : 0;
}

/* The keys of the N documents DOCIDS (ascending) of DB, which holds
 * DOC_COUNT documents up to LAST_DOCID, into KEYS (0 for a document without
 * a key). */
shim_status filemap_keys(filemap *map, shim_db *db, uint32_t doc_count, uint32_t last_docid,
                         const uint32_t *docids, size_t n, uint64_t *keys);

#endif
