/* filemap.c — document ids to file keys (see filemap.h). */
#include "query/filemap.h"

#include <stdlib.h>

#include "query/keyset.h"
#include "schema/schema.h"

/* Measured on the kdoc index (two shards, 68k passages), in instructions:
 * reading the value of a given document costs 1,100 to 4,000 (denser is
 * cheaper); reading the whole slot into a table about 700 per document.
 * So one value at a time, unless about half the documents are wanted. */
#define TABLE_RATIO 2

void filemap_reset(filemap *map)
{
    free(map->table);
    map->table = NULL;
    map->table_size = 0;
}

static shim_status build_table(filemap *map, shim_db *db, uint32_t last_docid)
{
    uint64_t *table = calloc((size_t)last_docid + 1, sizeof *table);
    if (!table)
        return SHIM_NO_MEMORY;
    shim_value_stream *stream = NULL;
    shim_status status = shim_db_value_stream(db, SCHEMA_SLOT_FILE_KEY, &stream);
    uint32_t docid = 1, found;
    const char *value;
    size_t len;
    while (status == SHIM_OK &&
           (status = shim_value_stream_skip_to(stream, docid, &found, &value, &len)) == SHIM_OK) {
        if (found > last_docid)
            break;
        if (len == SCHEMA_FILE_KEY_BYTES)
            table[found] = keyset_key_from_bytes(value);
        docid = found + 1;
    }
    shim_value_stream_free(stream);
    if (status != SHIM_OK && status != SHIM_END) {
        free(table);
        return status;
    }
    map->table = table;
    map->table_size = last_docid + 1;
    return SHIM_OK;
}

static shim_status sparse_keys(shim_db *db, const uint32_t *docids, size_t n, uint64_t *keys)
{
    shim_value_stream *stream = NULL;
    shim_status status = shim_db_value_stream(db, SCHEMA_SLOT_FILE_KEY, &stream);
    for (size_t i = 0; i < n && status == SHIM_OK; i++) {
        uint32_t found;
        const char *value;
        size_t len;
        keys[i] = 0;
        status = shim_value_stream_skip_to(stream, docids[i], &found, &value, &len);
        if (status == SHIM_END) {
            for (; i < n; i++)
                keys[i] = 0;
            status = SHIM_OK;
            break;
        }
        if (status == SHIM_OK && found == docids[i] && len == SCHEMA_FILE_KEY_BYTES)
            keys[i] = keyset_key_from_bytes(value);
    }
    shim_value_stream_free(stream);
    return status;
}

shim_status filemap_prepare(filemap *map, shim_db *db, uint32_t doc_count, uint32_t last_docid,
                            size_t lookups)
{
    if (!map->table && (map->prefer_table || (uint64_t)lookups * TABLE_RATIO > doc_count))
        return build_table(map, db, last_docid);
    return SHIM_OK;
}

shim_status filemap_keys(filemap *map, shim_db *db, uint32_t doc_count, uint32_t last_docid,
                         const uint32_t *docids, size_t n, uint64_t *keys)
{
    shim_status status = filemap_prepare(map, db, doc_count, last_docid, n);
    if (status != SHIM_OK)
        return status;
    if (!map->table)
        return sparse_keys(db, docids, n, keys);
    for (size_t i = 0; i < n; i++)
        keys[i] = filemap_lookup(map, docids[i]);
    return SHIM_OK;
}
