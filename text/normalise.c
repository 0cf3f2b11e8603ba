/* normalise.c — the normalised form of one token: NFKC case folding,
 * ASCII apostrophes, and accent folding when configured.
 *
 * Every word of every indexed file passes here unless the term cache already
 * knows it, so pure ASCII takes a path with no ICU call at all.
 */
#include "text/normalise_internal.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>

void normaliser_init(normaliser *n, bool fold_accents)
{
    n->fold_accents = fold_accents;
    n->casefold = n->decompose = n->compose = NULL;
}

/* Fetch ICU's normalisers, at the first token that is not pure ASCII: a
 * process that only ever meets ASCII (most queries) never loads their data. */
static bool load_normalisers(normaliser *n)
{
    UErrorCode error = U_ZERO_ERROR;
    const UNormalizer2 *casefold = unorm2_getNFKCCasefoldInstance(&error);
    n->decompose = unorm2_getNFDInstance(&error);
    n->compose = unorm2_getNFCInstance(&error);
    if (U_FAILURE(error)) return false;
    n->casefold = casefold;
    return true;
}

/* Lower-case ASCII: NFKC_Casefold does nothing else to it. */
static size_t normalise_ascii(const char *raw, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++) {
        char c = raw[i];
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
    }
    out[len] = '\0';
    return len;
}

static bool is_ascii(const char *raw, size_t len)
{
    unsigned char any = 0;
    for (size_t i = 0; i < len; i++) any |= (unsigned char)raw[i];
    return any < 0x80;
}

/* Marks that accent folding removes: the nonspacing and enclosing marks of
 * the alphabets and abjads below U+0900 (Latin, Greek, Cyrillic, Armenian,
 * Hebrew points, Arabic harakat, Syriac) and of the generic combining blocks.
 * Thaana's vowel signs, the marks of Indic and South-East Asian scripts and
 * the kana voicing marks (U+3099, U+309A) make a different letter, so they
 * stay: folding "が" to "か" would be a different word. */
static bool is_foldable_mark(UChar c)
{
    bool block = (c >= 0x0300 && c < 0x0900 && !(c >= 0x0780 && c < 0x07C0)) ||
                 (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
                 (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
    if (!block) return false;
    int8_t type = u_charType(c);
    return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK;
}

/* True if some unit of S could carry a foldable accent once decomposed:
 * CJK, kana and Hangul (from U+3000 on) never do, so their tokens skip the
 * NFD/NFC round trip. */
static bool may_have_accents(const UChar *s, int32_t len)
{
    for (int32_t i = 0; i < len; i++)
        if ((s[i] >= 0xC0 && s[i] < 0x3000) || (s[i] >= 0xFE20 && s[i] <= 0xFE2F)) return true;
    return false;
}

/* Fold the accents of N units in n->scratch_b, leaving the result there.
 * Returns the new length, or -1 if ICU fails. */
static int32_t fold_accents(normaliser *n, int32_t len)
{
    UErrorCode error = U_ZERO_ERROR;
    int32_t decomposed = unorm2_normalize(n->decompose, n->scratch_b, len, n->scratch_a,
                                          NORMALISE_UNITS, &error);
    if (U_FAILURE(error)) return -1;
    int32_t kept = 0;
    for (int32_t i = 0; i < decomposed; i++)
        if (!is_foldable_mark(n->scratch_a[i])) n->scratch_a[kept++] = n->scratch_a[i];
    int32_t composed = unorm2_normalize(n->compose, n->scratch_a, kept, n->scratch_b,
                                        NORMALISE_UNITS, &error);
    return U_FAILURE(error) ? -1 : composed;
}

/* Typographic apostrophes become ASCII, before case folding and stemming,
 * so "Kishida’s" stems like "Kishida's". U+2018 is included because it is
 * often typed for U+2019; ICU joins words across both. */
static void ascii_apostrophes(UChar *s, int32_t len)
{
    for (int32_t i = 0; i < len; i++)
        if (s[i] == 0x2019 || s[i] == 0x2018 || s[i] == 0x02BC || s[i] == 0xFF07) s[i] = '\'';
}

size_t normalise_token(normaliser *n, const char *raw, size_t raw_len, char *out)
{
    if (raw_len == 0 || raw_len > NORMALISE_RAW_MAX) return 0;
    if (is_ascii(raw, raw_len))
        return raw_len > TEXT_MAX_TOKEN_BYTES ? 0 : normalise_ascii(raw, raw_len, out);

    if (!n->casefold && !load_normalisers(n)) return 0;
    UErrorCode error = U_ZERO_ERROR;
    int32_t len = 0;
    u_strFromUTF8(n->scratch_a, NORMALISE_UNITS, &len, raw, (int32_t)raw_len, &error);
    if (U_FAILURE(error)) return 0;
    ascii_apostrophes(n->scratch_a, len);
    len = unorm2_normalize(n->casefold, n->scratch_a, len, n->scratch_b, NORMALISE_UNITS,
                           &error);
    if (U_FAILURE(error)) return 0;
    if (n->fold_accents && may_have_accents(n->scratch_b, len) && (len = fold_accents(n, len)) < 0)
        return 0;
    if (len == 0) return 0;

    int32_t out_len = 0;
    u_strToUTF8(out, TEXT_MAX_TOKEN_BYTES + 1, &out_len, n->scratch_b, len, &error);
    if (U_FAILURE(error) || error == U_STRING_NOT_TERMINATED_WARNING ||
        out_len > TEXT_MAX_TOKEN_BYTES)
        return 0;
    return (size_t)out_len;
}

size_t elision_length(const char *term, size_t len)
{
    size_t k = 0;
    if (len > 2 && term[1] == '\'' && memchr("ldjnscmt", term[0], 8)) k = 2;
    else if (len > 3 && term[0] == 'q' && term[1] == 'u' && term[2] == '\'') k = 3;
    if (k == 0) return 0;
    unsigned char next = (unsigned char)term[k];
    bool letter = (next >= 'a' && next <= 'z') || next >= 0x80;
    return letter ? k : 0;
}
