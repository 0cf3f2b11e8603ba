/* roots.c — remembered roots as JSON metadata (jansson); see roots.h. */
#include "indexer/roots.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "indexer/json_bytes.h"
#include "indexer/paths.h"

static json_t *entry_to_json(const root_entry *entry)
{
    json_t *object = json_object();
    json_t *excludes = json_array();
    if (!object || !excludes) {
        json_decref(excludes);
        json_decref(object);
        return NULL;
    }
    /* From here EXCLUDES belongs to OBJECT: json_object_set_new takes it
     * even when it fails. */
    if (json_object_set_new(object, "exclude", excludes) != 0)
        goto fail;
    for (size_t i = 0; i < entry->n_excludes; i++) {
        json_t *glob = json_object();
        if (json_array_append_new(excludes, glob) != 0 ||
            !json_set_bytes(glob, "glob", entry->excludes[i], strlen(entry->excludes[i])))
            goto fail;
    }
    if (!json_set_bytes(object, "path", entry->path, strlen(entry->path)))
        goto fail;
    if (entry->max_size &&
        json_object_set_new(object, "max_size", json_integer((json_int_t)entry->max_size)) != 0)
        goto fail;
    return object;
fail:
    json_decref(object);
    return NULL;
}

json_t *roots_to_json(const root_list *roots)
{
    json_t *array = json_array();
    if (!array)
        return NULL;
    for (size_t i = 0; i < roots->n; i++) {
        if (json_array_append_new(array, entry_to_json(&roots->items[i])) != 0) {
            json_decref(array);
            return NULL;
        }
    }
    return array;
}

char *roots_encode(const root_list *roots)
{
    json_t *array = roots_to_json(roots);
    if (!array)
        return NULL;
    char *json = json_dumps(array, JSON_COMPACT);
    json_decref(array);
    return json;
}

void roots_entry_free(root_entry *entry)
{
    free(entry->path);
    for (size_t i = 0; i < entry->n_excludes; i++)
        free(entry->excludes[i]);
    free(entry->excludes);
    memset(entry, 0, sizeof *entry);
}

static bool entry_from_json(const json_t *object, root_entry *entry)
{
    memset(entry, 0, sizeof *entry);
    const json_t *excludes = json_object_get(object, "exclude");
    const json_t *max_size = json_object_get(object, "max_size");
    entry->path = json_get_bytes(object, "path");
    if (!entry->path || entry->path[0] != '/' || (excludes && !json_is_array(excludes)))
        goto fail;
    if (max_size) {
        if (!json_is_integer(max_size) || json_integer_value(max_size) < 0)
            goto fail;
        entry->max_size = (uint64_t)json_integer_value(max_size);
    }
    size_t n = excludes ? json_array_size(excludes) : 0;
    entry->excludes = calloc(n ? n : 1, sizeof *entry->excludes);
    if (!entry->excludes)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        entry->excludes[i] = json_get_bytes(json_array_get(excludes, i), "glob");
        if (!entry->excludes[i])
            goto fail;
        entry->n_excludes++;
    }
    return true;
fail:
    roots_entry_free(entry);
    return false;
}

bool roots_decode(const char *json, size_t len, root_list *roots)
{
    memset(roots, 0, sizeof *roots);
    json_t *array = json_loadb(json, len, 0, NULL);
    if (!json_is_array(array)) {
        json_decref(array);
        return false;
    }
    size_t n = json_array_size(array);
    roots->items = calloc(n ? n : 1, sizeof *roots->items);
    bool ok = roots->items != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        ok = entry_from_json(json_array_get(array, i), &roots->items[i]);
        if (ok)
            roots->n++;
    }
    json_decref(array);
    if (!ok)
        roots_free(roots);
    return ok;
}

void roots_free(root_list *roots)
{
    if (!roots)
        return;
    for (size_t i = 0; i < roots->n; i++)
        roots_entry_free(&roots->items[i]);
    free(roots->items);
    roots->items = NULL;
    roots->n = 0;
}

const root_entry *roots_covering(const root_list *roots, const char *path)
{
    const root_entry *best = NULL;
    size_t path_len = strlen(path);
    for (size_t i = 0; i < roots->n; i++) {
        const root_entry *r = &roots->items[i];
        size_t len = strlen(r->path);
        if (path_is_within(path, path_len, r->path, len) && (!best || len > strlen(best->path)))
            best = r;
    }
    return best;
}

bool roots_set_options(root_entry *entry, const char *const *excludes, size_t n_excludes,
                       uint64_t max_size)
{
    char **copy = calloc(n_excludes ? n_excludes : 1, sizeof *copy);
    if (!copy)
        return false;
    for (size_t i = 0; i < n_excludes; i++) {
        copy[i] = strdup(excludes[i]);
        if (!copy[i]) {
            while (i-- > 0)
                free(copy[i]);
            free(copy);
            return false;
        }
    }
    for (size_t i = 0; i < entry->n_excludes; i++)
        free(entry->excludes[i]);
    free(entry->excludes);
    entry->excludes = copy;
    entry->n_excludes = n_excludes;
    entry->max_size = max_size;
    return true;
}

static int compare_roots(const void *a, const void *b)
{
    return strcmp(((const root_entry *)a)->path, ((const root_entry *)b)->path);
}

bool roots_add(root_list *roots, const char *path, const char *const *excludes,
               size_t n_excludes, uint64_t max_size)
{
    size_t path_len = strlen(path);
    for (size_t i = 0; i < roots->n; i++) {
        root_entry *r = &roots->items[i];
        if (strcmp(r->path, path) == 0)
            return roots_set_options(r, excludes, n_excludes, max_size);
        if (path_is_within(path, path_len, r->path, strlen(r->path)))
            return true; /* covered by R */
    }
    /* Drop the roots PATH covers, then add it. */
    size_t kept = 0;
    for (size_t i = 0; i < roots->n; i++) {
        root_entry *r = &roots->items[i];
        if (path_is_within(r->path, strlen(r->path), path, path_len))
            roots_entry_free(r);
        else
            roots->items[kept++] = *r;
    }
    roots->n = kept;
    root_entry *grown = realloc(roots->items, (roots->n + 1) * sizeof *grown);
    if (!grown)
        return false;
    roots->items = grown;
    root_entry *entry = &roots->items[roots->n];
    memset(entry, 0, sizeof *entry);
    entry->path = strdup(path);
    if (!entry->path || !roots_set_options(entry, excludes, n_excludes, max_size)) {
        roots_entry_free(entry);
        return false;
    }
    roots->n++;
    qsort(roots->items, roots->n, sizeof *roots->items, compare_roots);
    return true;
}

bool roots_forget(root_list *roots, const char *path)
{
    for (size_t i = 0; i < roots->n; i++) {
        if (strcmp(roots->items[i].path, path) == 0) {
            roots_entry_free(&roots->items[i]);
            memmove(&roots->items[i], &roots->items[i + 1],
                    (roots->n - i - 1) * sizeof roots->items[0]);
            roots->n--;
            return true;
        }
    }
    return false;
}
