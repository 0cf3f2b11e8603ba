/* term_cache.c — a bounded map from a token's raw bytes to its normalised and
 * stemmed forms (see term_cache_internal.h).
 *
 * Two tiers. The main table: a slot is 64 bits, the upper half of the key's
 * hash (to reject most mismatches without touching the arena) and the
 * entry's arena offset + 1 (0 marks an empty slot); an entry is a small header
 * followed by the key and the NUL-terminated forms. In front of it, recent
 * lines: a direct-mapped array of cache-line-sized copies of simple entries
 * (no variant, no CJK), small enough to stay in the processor's cache. Most
 * tokens are frequent words found there with one memory access, where the
 * main table needs two that usually miss.
 *
 * The main table, the recent lines and the arena start small and grow as the
 * cache fills: a query process analyses a few hundred words, and touching a
 * table sized for indexing would cost it a page fault for nearly every word;
 * and every block taken from the heap before the query's own allocations
 * pushes those beyond the part of the heap the query tool maps in advance
 * (query/main.c), to fault page by page.
 */
#include "text/term_cache_internal.h"

#include <stdlib.h>
#include <string.h>

enum {
    FIRST_SLOT_BITS = 9,                    /* 512 slots: 4 KiB */
    SLOT_BITS = 17,                         /* at most 131072 slots: 1 MiB */
    SLOTS = 1 << SLOT_BITS,
    MAX_ENTRIES = SLOTS / 4 * 3,            /* keeps probe sequences short */
    FIRST_ARENA_BYTES = 16 << 10,           /* a query's few hundred words */
    ARENA_BYTES = 4 << 20,                  /* about 40 bytes an entry on average */
    FORM_MAX = 255                          /* lengths are stored in one byte */
};

enum { FLAG_HAS_CJK = 1, FLAG_STEM_IS_TERM = 2, FLAG_VSTEM_IS_VARIANT = 4 };

/* At most RECENT_LINES recent lines (128 KiB); a table of SLOTS_PER_LINE
 * main slots has one recent line per SLOTS_PER_LINE of them up to that. */
enum { RECENT_LINES = 1 << 11, SLOTS_PER_LINE = 4, LINE_TEXT = 55 };

/* A recent entry in one 64-byte line: the key, the term and (unless equal to
 * the term) the stem, back to back, NUL after each form. */
typedef struct recent_line {
    uint32_t tag;         /* upper half of the key's hash; 0: empty */
    uint8_t key_len;
    uint8_t kind;
    uint8_t term_len;
    uint8_t stem_len;
    uint8_t stem_is_term;
    char text[LINE_TEXT];
} recent_line;

typedef struct entry_header {
    uint8_t key_len;
    uint8_t kind;
    uint8_t term_len;
    uint8_t stem_len;
    uint8_t variant_len;
    uint8_t variant_stem_len;
    uint8_t flags;
    uint8_t unused;
} entry_header;

struct term_cache {
    recent_line *recent;  /* recent_mask + 1 of them, 64-byte aligned */
    void *recent_block;   /* the allocation RECENT lies in */
    size_t recent_mask;
    uint64_t *slots;      /* slot_mask + 1 of them, at most SLOTS */
    size_t slot_mask;
    char *arena;          /* arena_size bytes, at most ARENA_BYTES */
    size_t arena_size;
    size_t arena_used;
    size_t entries;
};

/* Fresh, empty recent lines for the size of the main table (their entries
 * stay in the main table). False (and the lines as they were) when out of
 * memory. */
static bool renew_recent(term_cache *cache)
{
    size_t lines = (cache->slot_mask + 1) / SLOTS_PER_LINE;
    if (lines > RECENT_LINES) lines = RECENT_LINES;
    if (cache->recent && lines == cache->recent_mask + 1) return true;
    /* calloc, not aligned_alloc and memset: a large block comes zeroed
     * from the kernel, and only the lines used are ever touched. */
    void *block = calloc(lines + 1, sizeof *cache->recent);
    if (!block) return false;
    free(cache->recent_block);
    cache->recent_block = block;
    cache->recent = (recent_line *)(((uintptr_t)block + 63) & ~(uintptr_t)63);
    cache->recent_mask = lines - 1;
    return true;
}

term_cache *term_cache_new(void)
{
    term_cache *cache = calloc(1, sizeof *cache);
    if (!cache) return NULL;
    cache->slot_mask = ((size_t)1 << FIRST_SLOT_BITS) - 1;
    cache->slots = calloc(cache->slot_mask + 1, sizeof *cache->slots);
    renew_recent(cache);
    cache->arena_size = FIRST_ARENA_BYTES;
    cache->arena = malloc(cache->arena_size);
    if (!cache->recent || !cache->slots || !cache->arena) {
        term_cache_free(cache);
        return NULL;
    }
    return cache;
}

void term_cache_free(term_cache *cache)
{
    if (!cache) return;
    free(cache->recent_block);
    free(cache->slots);
    free(cache->arena);
    free(cache);
}

static inline uint64_t mix(uint64_t h)
{
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93u;
    h ^= h >> 32;
    return h;
}

static inline uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint64_t load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* The last bytes of a key (fewer than 8, LEN > 0) as one number, read with
 * at most two loads that stay inside the key; equal keys give equal numbers. */
static inline uint64_t short_tail(const char *p, size_t len)
{
    if (len >= 4) return load32(p) | load32(p + len - 4) << 32;
    return (uint64_t)(unsigned char)p[0] << 16 | (uint64_t)(unsigned char)p[len / 2] << 8 |
           (unsigned char)p[len - 1];
}

uint64_t term_cache_hash(const char *key, size_t len, unsigned kind)
{
    uint64_t h = 0x9e3779b97f4a7c15u * (len + 1) + kind;
    if (len == 0) return mix(h);
    size_t i = 0;
    for (; i + 8 < len; i += 8) h = mix(h ^ load64(key + i));
    /* The last 1 to 8 bytes; with 8 or more in all, the last eight (which may
     * overlap bytes already taken, harmlessly). */
    uint64_t tail = len >= 8 ? load64(key + len - 8) : short_tail(key, len);
    return mix(h ^ tail ^ 0x2545f4914f6cdd1du);
}

/* Do the LEN bytes at A and B agree? Keys are short: compare them with a
 * few overlapping loads rather than byte by byte or through memcmp. */
static inline bool same_bytes(const char *a, const char *b, size_t len)
{
    if (len >= 8) {
        for (size_t i = 0; i + 8 < len; i += 8)
            if (load64(a + i) != load64(b + i)) return false;
        return load64(a + len - 8) == load64(b + len - 8);
    }
    if (len >= 4) return load32(a) == load32(b) && load32(a + len - 4) == load32(b + len - 4);
    for (size_t i = 0; i < len; i++)
        if (a[i] != b[i]) return false;
    return true;
}

static const entry_header *entry_at(const term_cache *cache, uint64_t slot)
{
    return (const entry_header *)(cache->arena + (uint32_t)slot - 1);
}

/* Point FORMS at the strings of entry E. */
static void read_entry(const entry_header *e, term_forms *forms)
{
    const char *p = (const char *)(e + 1) + e->key_len;
    forms->term = p;
    forms->term_len = e->term_len;
    p += e->term_len + 1;
    if (e->flags & FLAG_STEM_IS_TERM) {
        forms->stem = forms->term;
    } else {
        forms->stem = p;
        p += e->stem_len + 1;
    }
    forms->stem_len = e->stem_len;
    forms->variant = p;
    forms->variant_len = e->variant_len;
    p += e->variant_len + 1;
    forms->variant_stem = (e->flags & FLAG_VSTEM_IS_VARIANT) ? forms->variant : p;
    forms->variant_stem_len = e->variant_stem_len;
    forms->has_cjk = (e->flags & FLAG_HAS_CJK) != 0;
}

void term_cache_prefetch(const term_cache *cache, uint64_t hash)
{
    __builtin_prefetch(&cache->recent[hash & cache->recent_mask]);
    __builtin_prefetch(&cache->slots[hash & cache->slot_mask]);
}

/* Point FORMS at the strings of recent line L. */
static void read_line(const recent_line *l, term_forms *forms)
{
    forms->term = l->text + l->key_len;
    forms->term_len = l->term_len;
    forms->stem = l->stem_is_term ? forms->term : forms->term + l->term_len + 1;
    forms->stem_len = l->stem_len;
    forms->variant = forms->variant_stem = "";
    forms->variant_len = forms->variant_stem_len = 0;
    forms->has_cjk = false;
}

/* Copy a simple entry into the recent line for its hash (the line's previous
 * entry stays in the main table); entries that do not fit are left out. */
static void remember_recent(term_cache *cache, uint64_t hash, const char *key, size_t len,
                            unsigned kind, const term_forms *forms)
{
    bool stem_is_term = forms->stem == forms->term;
    size_t size = len + forms->term_len + 1 + (stem_is_term ? 0 : forms->stem_len + 1);
    if (forms->variant_len || forms->has_cjk || size > LINE_TEXT) return;
    recent_line *l = &cache->recent[hash & cache->recent_mask];
    l->tag = (uint32_t)(hash >> 32);
    l->key_len = (uint8_t)len;
    l->kind = (uint8_t)kind;
    l->term_len = (uint8_t)forms->term_len;
    l->stem_len = (uint8_t)forms->stem_len;
    l->stem_is_term = stem_is_term;
    memcpy(l->text, key, len);
    memcpy(l->text + len, forms->term, forms->term_len + 1);
    if (!stem_is_term)
        memcpy(l->text + len + forms->term_len + 1, forms->stem, forms->stem_len + 1);
}

bool term_cache_find(term_cache *cache, uint64_t hash, const char *key, size_t len,
                     unsigned kind, term_forms *forms)
{
    uint32_t tag = (uint32_t)(hash >> 32);
    const recent_line *l = &cache->recent[hash & cache->recent_mask];
    if (l->tag == tag && l->key_len == len && l->kind == kind && same_bytes(l->text, key, len)) {
        read_line(l, forms);
        return true;
    }
    for (size_t i = hash & cache->slot_mask;; i = (i + 1) & cache->slot_mask) {
        uint64_t slot = cache->slots[i];
        if (slot == 0) return false;
        if ((uint32_t)(slot >> 32) != tag) continue;
        const entry_header *e = entry_at(cache, slot);
        if (e->key_len == len && e->kind == kind && same_bytes((const char *)(e + 1), key, len)) {
            read_entry(e, forms);
            remember_recent(cache, hash, key, len, kind, forms);
            return true;
        }
    }
}

static void clear(term_cache *cache)
{
    memset(cache->slots, 0, (cache->slot_mask + 1) * sizeof *cache->slots);
    cache->arena_used = 0;
    cache->entries = 0;
}

/* Put the entry at arena offset OFFSET (with HASH) into a free slot. */
static void place(term_cache *cache, uint64_t hash, size_t offset)
{
    size_t i = hash & cache->slot_mask;
    while (cache->slots[i] != 0) i = (i + 1) & cache->slot_mask;
    cache->slots[i] = ((hash >> 32) << 32) | (uint64_t)(offset + 1);
}

/* Double the main table, re-hashing every entry from its stored key. False
 * (and the table as it was) when out of memory. */
static bool grow(term_cache *cache)
{
    size_t old_size = cache->slot_mask + 1;
    uint64_t *old = cache->slots;
    uint64_t *slots = calloc(old_size * 2, sizeof *slots);
    if (!slots) return false;
    cache->slots = slots;
    cache->slot_mask = old_size * 2 - 1;
    for (size_t i = 0; i < old_size; i++) {
        if (old[i] == 0) continue;
        const entry_header *e = entry_at(cache, old[i]);
        uint64_t hash = term_cache_hash((const char *)(e + 1), e->key_len, e->kind);
        place(cache, hash, (uint32_t)old[i] - 1);
    }
    free(old);
    renew_recent(cache); /* without more lines, the old ones still serve */
    return true;
}

/* Double the arena (entries are found by offset, so moving it is harmless).
 * False (and the arena as it was) when out of memory. */
static bool grow_arena(term_cache *cache)
{
    char *arena = realloc(cache->arena, cache->arena_size * 2);
    if (!arena) return false;
    cache->arena = arena;
    cache->arena_size *= 2;
    return true;
}

/* Append LEN bytes and a NUL at *P. */
static char *put_string(char *p, const char *s, size_t len)
{
    memcpy(p, s, len);
    p[len] = '\0';
    return p + len + 1;
}

void term_cache_add(term_cache *cache, uint64_t hash, const char *key, size_t len,
                    unsigned kind, term_forms *forms)
{
    if (len > FORM_MAX || forms->term_len > FORM_MAX || forms->stem_len > FORM_MAX ||
        forms->variant_len > FORM_MAX || forms->variant_stem_len > FORM_MAX || kind > 255)
        return;
    bool stem_is_term = forms->stem_len == forms->term_len &&
                        memcmp(forms->stem, forms->term, forms->term_len) == 0;
    bool vstem_is_variant = forms->variant_stem_len == forms->variant_len &&
                            memcmp(forms->variant_stem, forms->variant, forms->variant_len) == 0;
    size_t size = sizeof(entry_header) + len + forms->term_len + 1 + forms->variant_len + 1 +
                  (stem_is_term ? 0 : forms->stem_len + 1) +
                  (vstem_is_variant ? 0 : forms->variant_stem_len + 1);
    size = (size + 7) & ~(size_t)7; /* keep headers aligned */
    while (cache->arena_used + size > cache->arena_size && cache->arena_size < ARENA_BYTES)
        if (!grow_arena(cache)) return; /* not remembered: FORMS stays the caller's */
    if (cache->entries >= MAX_ENTRIES || cache->arena_used + size > cache->arena_size) clear(cache);
    /* Keep the table at most three quarters full; at its largest, MAX_ENTRIES
     * (checked above) does. */
    if (cache->entries + 1 > (cache->slot_mask + 1) / 4 * 3 && cache->slot_mask + 1 < SLOTS &&
        !grow(cache))
        return; /* not remembered: FORMS stays the caller's */

    entry_header *e = (entry_header *)(cache->arena + cache->arena_used);
    *e = (entry_header){
        .key_len = (uint8_t)len, .kind = (uint8_t)kind,
        .term_len = (uint8_t)forms->term_len, .stem_len = (uint8_t)forms->stem_len,
        .variant_len = (uint8_t)forms->variant_len,
        .variant_stem_len = (uint8_t)forms->variant_stem_len,
        .flags = (uint8_t)((forms->has_cjk ? FLAG_HAS_CJK : 0) |
                           (stem_is_term ? FLAG_STEM_IS_TERM : 0) |
                           (vstem_is_variant ? FLAG_VSTEM_IS_VARIANT : 0)),
    };
    char *p = (char *)(e + 1);
    memcpy(p, key, len);
    p = put_string(p + len, forms->term, forms->term_len);
    if (!stem_is_term) p = put_string(p, forms->stem, forms->stem_len);
    p = put_string(p, forms->variant, forms->variant_len);
    if (!vstem_is_variant) put_string(p, forms->variant_stem, forms->variant_stem_len);

    place(cache, hash, cache->arena_used);
    cache->arena_used += size;
    cache->entries++;
    read_entry(e, forms);
    remember_recent(cache, hash, key, len, kind, forms);
}
