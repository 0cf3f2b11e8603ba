/* roots.h — the folders a database indexes, and the options of each.
 *
 * A bare `kensaku-index` re-indexes the roots the database remembers, each
 * with the options it was last given (exclude globs, size limit). They are
 * stored as JSON under SCHEMA_META_ROOTS:
 *   [{"exclude": [{"glob": "*.log"}], "path": "/home/me/notes", "max_size": 1048576}]
 * (json_bytes.h says how paths that are not UTF-8 are kept).
 */
#ifndef KENSAKU_INDEXER_ROOTS_H
#define KENSAKU_INDEXER_ROOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

typedef struct root_entry {
    char *path;        /* absolute, normalised; owned */
    char **excludes;   /* owned globs */
    size_t n_excludes;
    uint64_t max_size; /* 0: the default */
} root_entry;

typedef struct root_list {
    root_entry *items;
    size_t n;
} root_list;

/* The list as JSON text. Caller frees with free(); NULL when out of memory. */
char *roots_encode(const root_list *roots);

/* The list as a JSON array (new reference), NULL when out of memory. */
json_t *roots_to_json(const root_list *roots);

/* Parse what roots_encode wrote into ROOTS (which the caller frees with
 * roots_free). False for anything else. */
bool roots_decode(const char *json, size_t len, root_list *roots);

void roots_free(root_list *roots);

/* Free one entry's path and globs (not the entry itself). */
void roots_entry_free(root_entry *entry);

/* The root that PATH lies within (the longest one), or NULL. */
const root_entry *roots_covering(const root_list *roots, const char *path);

/* Remember PATH as a root with these options, replacing the options of an
 * equal root. A new root absorbs the roots below it (they are dropped); a
 * PATH within an existing root is not added (the caller walks it with the
 * covering root's options). Returns false when out of memory. */
bool roots_add(root_list *roots, const char *path, const char *const *excludes,
               size_t n_excludes, uint64_t max_size);

/* Drop the root equal to PATH. False if there is none. */
bool roots_forget(root_list *roots, const char *path);

/* Replace ENTRY's options. False when out of memory. */
bool roots_set_options(root_entry *entry, const char *const *excludes, size_t n_excludes,
                       uint64_t max_size);

#endif
