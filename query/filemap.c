/* filemap.c — document ids to file keys (see filemap.h). */
#include "query/filemap.h"

#include <stdlib.h>

#include "schema/schema.h"

/* Measured on the kdoc index (two shards, 68k passages), in instructions:
 * reading the value of a given document costs 1,100 to 4,000 (denser is
 * cheaper); reading the whole slot into a table about 700 per document.
 * So one value at a time, unless about half the documents are wanted. */
#define TABLE_RATIO 2
/* Reading a shard's runs (tens of kilobytes of metadata on kdoc, decoded
 * into fresh memory) costs a query process about as much as a few hundred
 * values read one by one: fewer look-ups than this read values. */
#define RUNS_MIN_LOOKUPS 256

static void free_runs(filemap *map)
{
    for (uint32_t i = 0; map->runs && i < map->n_shards; i++)
        file_runs_free(&map->runs[i]);
    free(map->runs);
    map->runs = NULL;
    map->n_shards = 0;
}

void filemap_reset(filemap *map)
{
    free(map->table);
    map->table = NULL;
    map->table_size = 0;
    free_runs(map);
    map->runs_read = false;
}

/* Each shard's runs, if every shard has runs that describe it. */
static shim_status read_runs(filemap *map, shim_db *db)
{
    map->runs_read = true;
    uint32_t n = shim_db_shard_count(db);
    if (n == 0)
        return SHIM_OK;
    map->runs = calloc(n, sizeof *map->runs);
    if (!map->runs)
        return SHIM_NO_MEMORY;
    map->n_shards = n;
    shim_status status = SHIM_OK;
    bool usable = true;
    for (uint32_t i = 0; i < n && usable && status == SHIM_OK; i++) {
        char *stored = NULL;
        size_t len = 0;
        uint32_t doc_count = 0, last_docid = 0;
        status = shim_db_shard_metadata(db, i, SCHEMA_META_FILE_RUNS, &stored, &len, &doc_count,
                                        &last_docid);
        /* An empty shard needs no runs; any other needs runs describing it. */
        if (status == SHIM_OK)
            usable = (doc_count == 0 && !stored) ||
                     file_runs_decode(stored, len, doc_count, last_docid, &map->runs[i]);
        free(stored);
    }
    if (status != SHIM_OK || !usable)
        free_runs(map);
    return status;
}

uint64_t filemap_lookup(const filemap *map, uint32_t docid)
{
    if (map->table)
        return docid < map->table_size ? map->table[docid] : 0;
    if (!map->runs || docid == 0)
        return 0;
    uint32_t shard = (docid - 1) % map->n_shards;
    return file_runs_key(&map->runs[shard], (docid - 1) / map->n_shards + 1);
}

/* A key per docid up to LAST_DOCID from the runs of N_SHARDS shards (their
 * local ids interleaved as Xapian numbers the whole), into MAP's table. */
static shim_status fill_table(filemap *map, const file_runs *runs, uint32_t n_shards,
                              uint32_t last_docid)
{
    uint64_t *table = calloc((size_t)last_docid + 1, sizeof *table);
    if (!table)
        return SHIM_NO_MEMORY;
    for (uint32_t s = 0; s < n_shards; s++) {
        const file_runs *r = &runs[s];
        for (size_t i = 0; i < r->n; i++)
            for (uint32_t k = 0; k < r->runs[i].count; k++) {
                uint64_t docid = ((uint64_t)r->runs[i].first + k - 1) * n_shards + s + 1;
                if (docid <= last_docid)
                    table[docid] = r->runs[i].key;
            }
    }
    map->table = table;
    map->table_size = last_docid + 1;
    return SHIM_OK;
}

/* The table without stored runs: from the values, read in one pass. */
static shim_status build_table(filemap *map, shim_db *db, uint32_t last_docid)
{
    file_runs all = FILE_RUNS_INIT;
    shim_status status = file_runs_from_values(db, &all);
    if (status == SHIM_OK)
        status = fill_table(map, &all, 1, last_docid);
    file_runs_free(&all);
    return status;
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
            keys[i] = schema_file_key_number(value);
    }
    shim_value_stream_free(stream);
    return status;
}

shim_status filemap_prepare(filemap *map, shim_db *db, uint32_t doc_count, uint32_t last_docid,
                            size_t lookups)
{
    if (!map->runs_read && (map->prefer_table || lookups >= RUNS_MIN_LOOKUPS)) {
        shim_status status = read_runs(map, db);
        if (status != SHIM_OK)
            return status;
    }
    if (map->table)
        return SHIM_OK;
    if (map->runs)
        return map->prefer_table ? fill_table(map, map->runs, map->n_shards, last_docid)
                                 : SHIM_OK;
    if (map->prefer_table || (uint64_t)lookups * TABLE_RATIO > doc_count)
        return build_table(map, db, last_docid);
    return SHIM_OK;
}

shim_status filemap_keys(filemap *map, shim_db *db, uint32_t doc_count, uint32_t last_docid,
                         const uint32_t *docids, size_t n, uint64_t *keys)
{
    shim_status status = filemap_prepare(map, db, doc_count, last_docid, n);
    if (status != SHIM_OK)
        return status;
    if (!filemap_ready(map))
        return sparse_keys(db, docids, n, keys);
    if (map->table) {
        for (size_t i = 0; i < n; i++)
            keys[i] = filemap_lookup(map, docids[i]);
        return SHIM_OK;
    }
    size_t *hints = calloc(map->n_shards, sizeof *hints);
    if (!hints)
        return SHIM_NO_MEMORY;
    for (size_t i = 0; i < n; i++) {
        keys[i] = 0;
        if (docids[i] == 0)
            continue;
        uint32_t shard = (docids[i] - 1) % map->n_shards;
        keys[i] = file_runs_key_onwards(&map->runs[shard], &hints[shard],
                                        (docids[i] - 1) / map->n_shards + 1);
    }
    free(hints);
    return SHIM_OK;
}
