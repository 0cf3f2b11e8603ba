/* status.c — `kensaku-index --status`; see status.h. */
#include "indexer/status.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "indexer/file_table.h"
#include "indexer/json_bytes.h"
#include "indexer/report.h"
#include "indexer/roots.h"
#include "indexer/store.h"
#include "schema/schema.h"

/* What --status reports, gathered from every shard. */
typedef struct status_info {
    size_t shards;
    bool unmerged;         /* a build from empty whose shards wait to be merged */
    uint64_t documents;
    uint64_t indexed, skipped, failed, passages;
    char *schema;          /* metadata of the first shard (owned, may be NULL) */
    char *analyser;
    root_list roots;
    json_t *last_run;      /* parsed SCHEMA_META_LAST_RUN, or NULL */
    file_table *files;
} status_info;

static char *metadata(shim_db *db, const char *key)
{
    char *value = NULL;
    size_t len = 0;
    if (shim_db_get_metadata(db, key, &value, &len) == SHIM_OK)
        return value;
    free(value);
    return NULL;
}

static void count_entry(void *context, file_entry *entry)
{
    status_info *info = context;
    if (entry->kind == FILE_INDEXED) {
        info->indexed++;
        info->passages += entry->passages;
    } else if (entry->kind == FILE_SKIPPED) {
        info->skipped++;
    } else {
        info->failed++;
    }
}

/* Read the first shard's global metadata. */
static void read_globals(status_info *info, shim_db *db)
{
    info->schema = metadata(db, SCHEMA_META_VERSION);
    info->analyser = metadata(db, SCHEMA_META_ANALYSER);
    char *roots = metadata(db, SCHEMA_META_ROOTS);
    if (roots)
        roots_decode(roots, strlen(roots), &info->roots);
    free(roots);
    char *unmerged = metadata(db, SCHEMA_META_UNMERGED);
    info->unmerged = unmerged && *unmerged;
    free(unmerged);
    char *last = metadata(db, SCHEMA_META_LAST_RUN);
    if (last)
        info->last_run = json_loads(last, 0, NULL);
    free(last);
}

static bool gather(status_info *info, char **paths, size_t n, char **message)
{
    info->files = file_table_new();
    if (!info->files)
        return false;
    for (size_t i = 0; i < n; i++) {
        shim_db *db = NULL;
        shim_status status = shim_db_open(paths[i], &db, message);
        uint32_t count = 0;
        if (status == SHIM_OK)
            status = shim_db_doc_count(db, &count);
        if (status == SHIM_OK && i == 0)
            read_globals(info, db);
        if (status == SHIM_OK)
            status = file_table_load(info->files, db, i, SCHEMA_META_FILE_PREFIX);
        if (status == SHIM_OK)
            status = file_table_load(info->files, db, i, SCHEMA_META_FAILED_PREFIX);
        if (status != SHIM_OK && message && !*message &&
            asprintf(message, "%s: %s", paths[i], db ? shim_db_last_error(db) : "") < 0)
            *message = NULL;
        shim_db_free(db);
        if (status != SHIM_OK)
            return false;
        info->documents += count;
    }
    info->shards = n;
    file_table_foreach(info->files, count_entry, info);
    return true;
}

static void info_free(status_info *info)
{
    free(info->schema);
    free(info->analyser);
    roots_free(&info->roots);
    json_decref(info->last_run);
    file_table_free(info->files);
}

/* The failures, sorted by path. */
typedef struct failure_list {
    file_entry **items;
    size_t n, cap;
} failure_list;

static void collect_failure(void *context, file_entry *entry)
{
    failure_list *list = context;
    if (entry->kind != FILE_FAILED)
        return;
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        file_entry **grown = realloc(list->items, cap * sizeof *grown);
        if (!grown)
            return;
        list->items = grown;
        list->cap = cap;
    }
    list->items[list->n++] = entry;
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp((*(file_entry *const *)a)->path, (*(file_entry *const *)b)->path);
}

static failure_list failures_of(status_info *info)
{
    failure_list list = {0};
    file_table_foreach(info->files, collect_failure, &list);
    if (list.n > 1)
        qsort(list.items, list.n, sizeof *list.items, compare_paths);
    return list;
}

/* ------------------------------------------------------------- for people */

static void print_roots(const status_info *info, FILE *out)
{
    if (info->roots.n == 0)
        fprintf(out, "roots      (none)\n");
    for (size_t i = 0; i < info->roots.n; i++) {
        const root_entry *r = &info->roots.items[i];
        char *shown = report_escape(r->path, strlen(r->path));
        fprintf(out, "%s %s\n", i == 0 ? "roots     " : "          ", shown ? shown : "?");
        free(shown);
        for (size_t j = 0; j < r->n_excludes; j++)
            fprintf(out, "             exclude %s\n", r->excludes[j]);
        if (r->max_size)
            fprintf(out, "             max size %" PRIu64 " bytes\n", r->max_size);
    }
}

static void print_last_run(const status_info *info, FILE *out)
{
    if (!info->last_run) {
        fprintf(out, "last run   (none)\n");
        return;
    }
    const char *finished = json_string_value(json_object_get(info->last_run, "finished"));
    const char *how = json_string_value(json_object_get(info->last_run, "status"));
    fprintf(out, "last run   %s, %s:", finished ? finished : "?", how ? how : "?");
    static const char *const keys[] = {"added", "updated", "removed", "unchanged",
                                       "failed", "skipped"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        fprintf(out, "%s %" JSON_INTEGER_FORMAT " %s", i ? "," : "",
                json_integer_value(json_object_get(info->last_run, keys[i])), keys[i]);
    json_int_t passages = json_integer_value(json_object_get(info->last_run, "passages"));
    fprintf(out, "; %" JSON_INTEGER_FORMAT " passage%s, %.1f MB in %.2f s\n", passages,
            passages == 1 ? "" : "s",
            (double)json_integer_value(json_object_get(info->last_run, "bytes")) / 1e6,
            json_real_value(json_object_get(info->last_run, "seconds")));
}

static void print_text(status_info *info, const char *db_path, FILE *out)
{
    fprintf(out, "database   %s (%zu shard%s%s, %" PRIu64 " passages in all)\n", db_path,
            info->shards, info->shards == 1 ? "" : "s",
            info->unmerged ? " to merge when a run completes" : "", info->documents);
    fprintf(out, "schema     %s; analyser %s\n", info->schema ? info->schema : "?",
            info->analyser ? info->analyser : "?");
    print_roots(info, out);
    fprintf(out, "files      %" PRIu64 " indexed (%" PRIu64 " passages), %" PRIu64
                 " skipped, %" PRIu64 " failed\n",
            info->indexed, info->passages, info->skipped, info->failed);
    print_last_run(info, out);
    failure_list failures = failures_of(info);
    if (failures.n)
        fprintf(out, "failures\n");
    for (size_t i = 0; i < failures.n; i++) {
        char *shown = report_escape(failures.items[i]->path, failures.items[i]->path_len);
        fprintf(out, "  %s: %s\n", shown ? shown : "?",
                failures.items[i]->reason ? failures.items[i]->reason : "");
        free(shown);
    }
    free(failures.items);
}

/* ------------------------------------------------------------- as JSON */

static json_t *status_json(status_info *info, const char *db_path)
{
    json_t *object = json_object();
    json_t *failures = json_array();
    failure_list list = failures_of(info);
    for (size_t i = 0; i < list.n; i++) {
        json_t *item = json_object();
        json_set_bytes(item, "path", list.items[i]->path, list.items[i]->path_len);
        json_object_set_new(item, "reason",
                            json_string(list.items[i]->reason ? list.items[i]->reason : ""));
        json_array_append_new(failures, item);
    }
    free(list.items);
    json_set_bytes(object, "database", db_path, strlen(db_path));
    json_object_set_new(object, "shards", json_integer((json_int_t)info->shards));
    json_object_set_new(object, "merge_pending", json_boolean(info->unmerged));
    json_object_set_new(object, "schema", info->schema ? json_string(info->schema) : json_null());
    json_object_set_new(object, "analyser",
                        info->analyser ? json_string(info->analyser) : json_null());
    json_object_set_new(object, "roots", roots_to_json(&info->roots));
    json_object_set_new(object, "files",
                        json_pack("{s:I, s:I, s:I}", "indexed", (json_int_t)info->indexed,
                                  "skipped", (json_int_t)info->skipped, "failed",
                                  (json_int_t)info->failed));
    json_object_set_new(object, "passages", json_integer((json_int_t)info->passages));
    json_object_set_new(object, "documents", json_integer((json_int_t)info->documents));
    json_object_set(object, "last_run", info->last_run ? info->last_run : json_null());
    json_object_set_new(object, "failures", failures);
    return object;
}

int status_print(const char *db_path, bool json, FILE *out, FILE *err)
{
    char **paths = NULL;
    size_t n = 0;
    char *message = NULL;
    status_info info = {0};
    int exit_status = 0;
    if (!store_shard_paths(db_path, &paths, &n, &message) || !gather(&info, paths, n, &message)) {
        fprintf(err, "kensaku-index: %s\n", message ? message : "cannot read the database");
        exit_status = 2;
    } else if (json) {
        json_t *object = status_json(&info, db_path);
        if (!object || json_dumpf(object, out, JSON_COMPACT | JSON_REAL_PRECISION(6)) != 0 || fputc('\n', out) == EOF)
            exit_status = 2;
        json_decref(object);
    } else {
        print_text(&info, db_path, out);
    }
    if (fflush(out) != 0)
        exit_status = 2;
    info_free(&info);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(message);
    return exit_status;
}
