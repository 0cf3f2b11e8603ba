/* keyset.c — sorted sets of file keys and their set operations. */
#include "query/keyset.h"

#include "query/array.h"

#include <stdlib.h>
#include <string.h>

void keyset_free(keyset *set)
{
    free(set->items);
    set->items = NULL;
    set->n = set->cap = 0;
}

static bool reserve(keyset *set, size_t need)
{
    return array_reserve(&set->items, &set->cap, need, sizeof *set->items);
}

bool keyset_add(keyset *set, uint64_t key, uint32_t docid)
{
    if (!reserve(set, set->n + 1))
        return false;
    set->items[set->n++] = (keyset_entry){key, docid};
    return true;
}

static int compare_entry(const void *a, const void *b)
{
    const keyset_entry *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->docid > y->docid) - (x->docid < y->docid);
}

/* LSD radix sort by key, a byte at a time: file keys are hashes, so a
 * comparison sort does about log2(n) times more work on large sets. Stable,
 * so the first docid of a key stays first. False when out of memory. */
static bool radix_sort(keyset *set)
{
    keyset_entry *buffer = malloc(set->n * sizeof *buffer);
    if (!buffer)
        return false;
    keyset_entry *from = set->items, *to = buffer;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < set->n; i++)
            count[(from[i].key >> shift & 0xff) + 1]++;
        for (int b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < set->n; i++)
            to[count[from[i].key >> shift & 0xff]++] = from[i];
        keyset_entry *t = from;
        from = to;
        to = t;
    }
    /* Eight passes: the sorted entries are back in set->items. */
    free(buffer);
    return true;
}

void keyset_normalise(keyset *set)
{
    if (set->n < 2)
        return;
    bool sorted = true;
    for (size_t i = 1; i < set->n && sorted; i++)
        sorted = set->items[i - 1].key < set->items[i].key;
    if (sorted)
        return;
    if (set->n < 128 || !radix_sort(set))
        qsort(set->items, set->n, sizeof *set->items, compare_entry);
    size_t n = 1;
    for (size_t i = 1; i < set->n; i++)
        if (set->items[i].key != set->items[n - 1].key)
            set->items[n++] = set->items[i];
    set->n = n;
}

/* File keys are hashes, spread evenly over 64 bits: a key's place in the
 * sorted array is close to where its value says, so a few interpolation
 * steps find it where binary search takes log2(n) cache misses. After
 * INTERPOLATION_STEPS (keys unevenly spread after all), binary search. */
enum { INTERPOLATION_STEPS = 4, LINEAR_SPAN = 8 };

bool keyset_contains(const keyset *set, uint64_t key)
{
    const keyset_entry *items = set->items;
    size_t lo = 0, hi = set->n; /* the key, if there, is in [lo, hi) */
    for (int step = 0; step < INTERPOLATION_STEPS && hi - lo > LINEAR_SPAN; step++) {
        uint64_t first = items[lo].key, last = items[hi - 1].key;
        if (key < first || key > last)
            return false;
        double fraction = (double)(key - first) / (double)(last - first);
        size_t guess = lo + (size_t)(fraction * (double)(hi - 1 - lo));
        if (guess >= hi)
            guess = hi - 1;
        if (items[guess].key == key)
            return true;
        if (items[guess].key < key)
            lo = guess + 1;
        else
            hi = guess;
    }
    while (hi - lo > LINEAR_SPAN) {
        size_t mid = lo + (hi - lo) / 2;
        if (items[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < hi; lo++)
        if (items[lo].key >= key)
            return items[lo].key == key;
    return false;
}

void keyset_intersect(keyset *into, const keyset *other)
{
    size_t i = 0, j = 0, n = 0;
    while (i < into->n && j < other->n) {
        if (into->items[i].key < other->items[j].key)
            i++;
        else if (into->items[i].key > other->items[j].key)
            j++;
        else {
            into->items[n++] = into->items[i];
            i++;
            j++;
        }
    }
    into->n = n;
}

bool keyset_union(keyset *into, const keyset *other)
{
    if (other->n == 0)
        return true;
    if (!reserve(into, into->n + other->n))
        return false;
    /* Merge from the back so that INTO can be merged in place. */
    size_t i = into->n, j = other->n, k = into->n + other->n;
    while (j > 0) {
        if (i > 0 && into->items[i - 1].key > other->items[j - 1].key)
            into->items[--k] = into->items[--i];
        else if (i > 0 && into->items[i - 1].key == other->items[j - 1].key) {
            into->items[--k] = into->items[--i];
            j--;
        } else
            into->items[--k] = other->items[--j];
    }
    /* INTO's first I entries stay where they are; the merged tail starts at
     * K, which is past I by the number of duplicates dropped. */
    size_t tail = into->n + other->n - k;
    if (k > i)
        memmove(into->items + i, into->items + k, tail * sizeof *into->items);
    into->n = i + tail;
    return true;
}

void keyset_subtract(keyset *into, const keyset *other)
{
    size_t i = 0, j = 0, n = 0;
    while (i < into->n) {
        while (j < other->n && other->items[j].key < into->items[i].key)
            j++;
        if (j < other->n && other->items[j].key == into->items[i].key)
            i++;
        else
            into->items[n++] = into->items[i++];
    }
    into->n = n;
}

bool keyprobe_build(keyprobe *probe, const keyset *set)
{
    unsigned bits = 4;
    while (((size_t)1 << bits) < 2 * set->n)
        bits++;
    size_t size = (size_t)1 << bits;
    uint64_t *slots = calloc(size, sizeof *slots);
    if (!slots)
        return false;
    free(probe->slots);
    probe->slots = slots;
    probe->shift = 64 - bits;
    probe->mask = size - 1;
    for (size_t k = 0; k < set->n; k++) {
        uint64_t key = set->items[k].key;
        if (key == 0)
            continue;
        size_t i = (size_t)((key * 0x9E3779B97F4A7C15u) >> probe->shift);
        while (slots[i] != 0 && slots[i] != key)
            i = (i + 1) & probe->mask;
        slots[i] = key;
    }
    return true;
}

void keyprobe_free(keyprobe *probe)
{
    free(probe->slots);
    *probe = (keyprobe)KEYPROBE_INIT;
}

void keyset_key_to_bytes(uint64_t key, char bytes[8])
{
    for (int i = 0; i < 8; i++)
        bytes[i] = (char)(unsigned char)(key >> (56 - 8 * i));
}
