/* term_cache_internal.h — a bounded map from a token's raw bytes to its
 * normalised and stemmed forms (private to text/).
 *
 * The same words recur all through a collection, and normalising and stemming
 * cost more than the map lookup, so each analyser keeps one. Open addressing
 * over one flat table, entries packed in one arena: no allocation per entry.
 * When either fills up the whole cache is cleared, which keeps its size bounded
 * and costs one re-computation of the words still in use.
 */
#ifndef KENSAKU_TEXT_TERM_CACHE_INTERNAL_H
#define KENSAKU_TEXT_TERM_CACHE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The forms of one token. The pointers are NUL-terminated strings owned by the
 * cache (or by the analyser's scratch space when not cached): valid until the
 * next call on the cache. */
typedef struct term_forms {
    const char *term;          /* normalised form */
    size_t term_len;           /* 0: the token is skipped (empty or over-long) */
    const char *stem;
    size_t stem_len;
    const char *variant;       /* the term without its elision ("eleve" for "l'eleve") */
    size_t variant_len;        /* 0: no variant */
    const char *variant_stem;
    size_t variant_stem_len;
    bool has_cjk;              /* the token holds characters that yield CJK n-grams */
} term_forms;

typedef struct term_cache term_cache;

/* A new, empty cache (small at first, growing to about 5 MiB as it fills);
 * NULL when out of memory. */
term_cache *term_cache_new(void);

void term_cache_free(term_cache *cache);

/* The hash of a key: LEN raw bytes at KEY, analysed as KIND (tokens with the
 * same bytes but another kind, e.g. stemmed or not, are different keys). */
uint64_t term_cache_hash(const char *key, size_t len, unsigned kind);

/* Look a key up (HASH from term_cache_hash); true and *forms filled if known. */
bool term_cache_find(term_cache *cache, uint64_t hash, const char *key, size_t len,
                     unsigned kind, term_forms *forms);

/* A hint, which changes nothing but speed: ask the processor to start
 * fetching what term_cache_find will read first for HASH (the recent line and
 * the first main slot). Issued a couple of words ahead, the fetches overlap
 * ICU's work instead of stalling the lookup. */
void term_cache_prefetch(const term_cache *cache, uint64_t hash);

/* Remember FORMS for a key (copied; FORMS must not point into the cache, whose
 * memory may move). Keys or forms too long to cache are not remembered; then
 * FORMS simply stays the caller's. On return *forms points into the cache
 * when the entry was stored. */
void term_cache_add(term_cache *cache, uint64_t hash, const char *key, size_t len,
                    unsigned kind, term_forms *forms);

#endif
