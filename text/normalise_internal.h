/* normalise_internal.h — the normalised form of one token (private to text/).
 *
 * NFKC case folding (ICU's NFKC_Casefold), typographic apostrophes made ASCII,
 * and, when configured, accent folding. Pure ASCII tokens take a fast path
 * that only lowers the case, which is exactly what NFKC_Casefold does to them.
 */
#ifndef KENSAKU_TEXT_NORMALISE_INTERNAL_H
#define KENSAKU_TEXT_NORMALISE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <unicode/unorm2.h>

#include "text/analyse.h"

/* Raw tokens longer than this are skipped unread: their normalised form
 * would exceed TEXT_MAX_TOKEN_BYTES unless nearly all of them were ignorable
 * characters (soft hyphens, joiners), which NFKC_Casefold removes. */
#define NORMALISE_RAW_MAX (4 * TEXT_MAX_TOKEN_BYTES)

/* UTF-16 scratch space: room for NORMALISE_RAW_MAX bytes and NFKC expansion. */
#define NORMALISE_UNITS (4 * NORMALISE_RAW_MAX)

typedef struct normaliser {
    bool fold_accents;
    const UNormalizer2 *casefold;  /* NFKC_Casefold: also drops default ignorables */
    const UNormalizer2 *decompose; /* NFD, for accent folding */
    const UNormalizer2 *compose;   /* NFC, to recompose what is left */
    UChar scratch_a[NORMALISE_UNITS];
    UChar scratch_b[NORMALISE_UNITS];
} normaliser;

/* Set N up; ICU's normalisers are fetched at the first token that needs them. */
void normaliser_init(normaliser *n, bool fold_accents);

/* Normalise RAW_LEN bytes of valid UTF-8 into OUT, which must hold
 * TEXT_MAX_TOKEN_BYTES + 1 bytes; OUT is NUL-terminated. Returns the length,
 * or 0 when nothing is left, the result is longer than TEXT_MAX_TOKEN_BYTES, or
 * ICU's data cannot be had. */
size_t normalise_token(normaliser *n, const char *raw, size_t raw_len, char *out);

/* If TERM (normalised) starts with an elision — l' d' j' qu' n' s' c' m' t' —
 * followed by a letter, the length of that prefix; else 0. */
size_t elision_length(const char *term, size_t len);

#endif
