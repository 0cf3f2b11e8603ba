/* spelling.c — spelling words and their pending changes; see spelling.h. */
#include "indexer/spelling.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "text/analyse.h"

/* One word's pending change; the table's key is WORD inside the entry. */
typedef struct word_entry {
    int64_t delta;
    char word[];
} word_entry;

struct spelling_counts {
    GHashTable *table; /* word -> word_entry (owned; the key lives inside it) */
};

static bool is_letter(UChar32 c)
{
    if (u_isalpha(c))
        return true;
    int8_t type = u_charType(c);
    /* Marks belong to the letter before them (Devanagari vowel signs, ...). */
    return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
}

bool spelling_word_ok(const char *term, size_t len)
{
    if (len < 3 || len > 64)
        return false;
    size_t i = 0;
    int characters = 0;
    while (i < len) {
        UChar32 c;
        U8_NEXT(term, i, len, c);
        if (c < 0 || !is_letter(c) || text_is_cjk_codepoint((uint32_t)c))
            return false;
        characters++;
    }
    return characters >= 3;
}

spelling_counts *spelling_counts_new(void)
{
    spelling_counts *counts = malloc(sizeof *counts);
    if (!counts)
        return NULL;
    counts->table = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free);
    return counts;
}

void spelling_counts_free(spelling_counts *counts)
{
    if (!counts)
        return;
    g_hash_table_destroy(counts->table);
    free(counts);
}

/* Add DELTA to WORD's entry (NUL-terminated, LEN bytes). */
static bool add_delta(spelling_counts *counts, const char *word, size_t len, int64_t delta)
{
    word_entry *entry = g_hash_table_lookup(counts->table, word);
    if (entry) {
        entry->delta += delta;
        if (entry->delta == 0)
            g_hash_table_remove(counts->table, entry->word);
        return true;
    }
    if (delta == 0)
        return true;
    entry = malloc(sizeof *entry + len + 1);
    if (!entry)
        return false;
    entry->delta = delta;
    memcpy(entry->word, word, len);
    entry->word[len] = '\0';
    g_hash_table_insert(counts->table, entry->word, entry);
    return true;
}

bool spelling_counts_add(spelling_counts *counts, const char *word, size_t len, int64_t delta)
{
    char key[80];
    if (len >= sizeof key)
        return true; /* never a spelling word (see spelling_word_ok) */
    memcpy(key, word, len);
    key[len] = '\0';
    return add_delta(counts, key, len, delta);
}

bool spelling_counts_merge(spelling_counts *into, spelling_counts *from)
{
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, from->table);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        word_entry *entry = value;
        word_entry *existing = g_hash_table_lookup(into->table, entry->word);
        if (!existing) {
            /* Move the entry itself: no copy. */
            g_hash_table_iter_steal(&it);
            g_hash_table_insert(into->table, entry->word, entry);
            continue;
        }
        existing->delta += entry->delta;
        if (existing->delta == 0)
            g_hash_table_remove(into->table, existing->word);
    }
    g_hash_table_remove_all(from->table);
    return true;
}

size_t spelling_counts_size(const spelling_counts *counts)
{
    return g_hash_table_size(counts->table);
}

shim_status spelling_counts_apply(spelling_counts *counts, shim_writable_db *db)
{
    shim_status status = SHIM_OK;
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, counts->table);
    while (status == SHIM_OK && g_hash_table_iter_next(&it, &key, &value)) {
        const word_entry *entry = value;
        (void)key;
        if (entry->delta > 0)
            status = shim_writable_add_spelling(db, entry->word, (uint32_t)entry->delta);
        else if (entry->delta < 0)
            status = shim_writable_remove_spelling(db, entry->word, (uint32_t)-entry->delta);
    }
    g_hash_table_remove_all(counts->table);
    return status;
}

/* Xapian's convention: a prefix is upper-case ASCII; normalised words never are. */
static bool is_unprefixed(const char *term, size_t len)
{
    return len > 0 && !(term[0] >= 'A' && term[0] <= 'Z');
}

shim_status spelling_counts_add_document(spelling_counts *counts, shim_db *db, uint32_t docid,
                                         int64_t delta)
{
    shim_term_iter *it = NULL;
    shim_status status = shim_db_document_terms(db, docid, &it);
    const char *term;
    size_t len;
    while (status == SHIM_OK && (status = shim_term_iter_next(it, &term, &len)) == SHIM_OK) {
        if (is_unprefixed(term, len) && spelling_word_ok(term, len) &&
            !spelling_counts_add(counts, term, len, delta))
            status = SHIM_NO_MEMORY;
    }
    shim_term_iter_free(it);
    return status == SHIM_END ? SHIM_OK : status;
}
