/* keytable.c — per-file state of a query run (see keytable.h). */
#include "query/keytable.h"

#include <stdlib.h>

void keytable_free(keytable *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i].file_term);
    free(t->slots);
    t->slots = NULL;
    t->cap = t->n = 0;
}

/* File keys are hashes already: their low bits spread well. */
static size_t slot_of(const keytable *t, uint64_t key)
{
    size_t i = (size_t)(key ^ key >> 32) & (t->cap - 1);
    while (t->slots[i].key && t->slots[i].key != key)
        i = (i + 1) & (t->cap - 1);
    return i;
}

static bool grow(keytable *t)
{
    keytable bigger = {NULL, t->cap ? t->cap * 2 : 64, t->n};
    bigger.slots = calloc(bigger.cap, sizeof *bigger.slots);
    if (!bigger.slots)
        return false;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].key)
            bigger.slots[slot_of(&bigger, t->slots[i].key)] = t->slots[i];
    free(t->slots);
    *t = bigger;
    return true;
}

keytable_entry *keytable_get(keytable *t, uint64_t key)
{
    if ((t->n + 1) * 2 > t->cap && !grow(t))
        return NULL;
    keytable_entry *e = &t->slots[slot_of(t, key)];
    if (!e->key) {
        e->key = key;
        t->n++;
    }
    return e;
}

keytable_entry *keytable_find(const keytable *t, uint64_t key)
{
    if (!t->cap)
        return NULL;
    keytable_entry *e = &t->slots[slot_of(t, key)];
    return e->key ? e : NULL;
}
