/* keyset.h — sets of files: sorted arrays of their 8-byte keys, each with
 * one passage (document id) of the file, through which its path (and so its
 * file term) can be read back.
 *
 * The file is the unit of matching: each leaf of a query yields the set of
 * files having a passage that matches it, and the boolean structure of the
 * query is evaluated on these sets.
 */
#ifndef KENSAKU_QUERY_KEYSET_H
#define KENSAKU_QUERY_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct keyset_entry {
    uint64_t key;     /* the file key, big-endian bytes read as a number */
    uint32_t docid;   /* one passage of the file */
} keyset_entry;

typedef struct keyset {
    keyset_entry *items;  /* sorted by key, no duplicates (after keyset_normalise) */
    size_t n, cap;
} keyset;

#define KEYSET_INIT {NULL, 0, 0}

void keyset_free(keyset *set);

/* Append KEY with DOCID (the set is unsorted until keyset_normalise). */
bool keyset_add(keyset *set, uint64_t key, uint32_t docid);

/* Sort by key and drop duplicates (the first docid of a key is kept). */
void keyset_normalise(keyset *set);

/* Is KEY in the (normalised) set? */
bool keyset_contains(const keyset *set, uint64_t key);

/* *INTO = *INTO ∩ OTHER, ∪ OTHER, or − OTHER (both normalised; INTO's
 * docids are kept where both have a key). */
void keyset_intersect(keyset *into, const keyset *other);
bool keyset_union(keyset *into, const keyset *other);
void keyset_subtract(keyset *into, const keyset *other);

/* Membership in a set in constant time, for loops that test many passages'
 * files against one set: an open-addressing table of its keys. Built from a
 * normalised set and valid while the set does not change. */
typedef struct keyprobe {
    uint64_t *slots;  /* 0: empty (no file has key 0) */
    unsigned shift;   /* a key's home slot: its mixed bits from this one up */
    size_t mask;
} keyprobe;

#define KEYPROBE_INIT {NULL, 0, 0}

/* False when out of memory. */
bool keyprobe_build(keyprobe *probe, const keyset *set);
void keyprobe_free(keyprobe *probe);

static inline bool keyprobe_contains(const keyprobe *probe, uint64_t key)
{
    if (key == 0)
        return false;
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15u) >> probe->shift);
    for (;; i = (i + 1) & probe->mask) {
        if (probe->slots[i] == key)
            return true;
        if (probe->slots[i] == 0)
            return false;
    }
}

/* A key as its 8 big-endian bytes (schema_file_key_number's inverse). */
void keyset_key_to_bytes(uint64_t key, char bytes[8]);

#endif
