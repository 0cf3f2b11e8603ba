/* file_table.c — the in-memory table of file records; see file_table.h. */
#include "indexer/file_table.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

struct file_table {
    GHashTable *by_path; /* path (inside the entry) -> file_entry (owned) */
};

static void entry_free(gpointer data)
{
    file_entry *entry = data;
    free(entry->reason);
    free(entry);
}

file_table *file_table_new(void)
{
    file_table *table = malloc(sizeof *table);
    if (!table)
        return NULL;
    table->by_path = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, entry_free);
    return table;
}

void file_table_free(file_table *table)
{
    if (!table)
        return;
    g_hash_table_destroy(table->by_path);
    free(table);
}

static bool insert(file_table *table, const file_record *record, size_t shard)
{
    file_entry *entry = malloc(sizeof *entry + record->path_len + 1);
    if (!entry)
        return false;
    entry->signature = record->signature;
    entry->passages = record->passages;
    entry->limit = record->limit;
    entry->kind = record->kind;
    entry->shard = (uint16_t)shard;
    entry->seen = false;
    entry->reason = record->reason && *record->reason ? strdup(record->reason) : NULL;
    entry->path_len = record->path_len;
    memcpy(entry->path, record->path, record->path_len + 1);
    /* A path recorded twice (a crash between two prefixes cannot do this,
     * but a hand-edited database might): the later record wins. */
    g_hash_table_replace(table->by_path, entry->path, entry);
    return true;
}

shim_status file_table_load(file_table *table, shim_db *db, size_t shard, const char *prefix)
{
    shim_metadata_iter *it = NULL;
    shim_status status = shim_db_metadata_keys(db, prefix, &it);
    const char *key;
    size_t key_len;
    while (status == SHIM_OK && (status = shim_metadata_iter_next(it, &key, &key_len)) == SHIM_OK) {
        char *value = NULL;
        size_t len = 0;
        status = shim_db_get_metadata(db, key, &value, &len);
        if (status == SHIM_NOT_FOUND) {
            status = SHIM_OK;
            continue;
        }
        file_record record;
        if (status == SHIM_OK && file_record_decode(value, len, &record)) {
            if (!insert(table, &record, shard))
                status = SHIM_NO_MEMORY;
            file_record_free(&record);
        }
        free(value);
    }
    shim_metadata_iter_free(it);
    return status == SHIM_END ? SHIM_OK : status;
}

file_entry *file_table_find(file_table *table, const char *path)
{
    return g_hash_table_lookup(table->by_path, path);
}

size_t file_table_size(const file_table *table)
{
    return g_hash_table_size(table->by_path);
}

void file_table_foreach(file_table *table, void (*fn)(void *context, file_entry *entry),
                        void *context)
{
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, table->by_path);
    while (g_hash_table_iter_next(&it, &key, &value))
        fn(context, value);
}
