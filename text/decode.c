/* decode.c — bytes of unknown encoding in, valid UTF-8 out.
 *
 * The common case (valid UTF-8) is one validating pass and a copy. Charset
 * detection is slow and unreliable on mostly valid input (ICU's detector can
 * take UTF-8 Japanese with one bad byte for Shift_JIS), so it is consulted
 * only for a UTF-16/32 byte order mark or when the invalid sequences are many
 * and outnumber the valid multi-byte ones: damaged UTF-8 stays UTF-8.
 */
#include "text/decode.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

/* Detection is tried when there are more invalid sequences than this ... */
enum { FEW_INVALID_SEQUENCES = 8 };
/* ... or when they make up more than 1 in this many bytes, */
enum { INVALID_BYTES_RATIO = 100 };
/* ... unless valid multi-byte sequences are at least this many times as many:
 * then the text is UTF-8 with a few broken characters. */
enum { DAMAGED_UTF8_RATIO = 4 };
/* The detector looks at no more than this much of the text. */
enum { DETECT_SAMPLE_BYTES = 1 << 20 };
/* ICU's confidence (0-100) below which a detection is not believed. */
enum { MIN_CONFIDENCE = 10 };

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* What a validating pass found. */
typedef struct utf8_census {
    size_t invalid;   /* invalid sequences (each becomes one U+FFFD) */
    size_t multibyte; /* valid sequences of 2 to 4 bytes */
} utf8_census;

/* Length of the valid UTF-8 sequence at P (N > 0 bytes available, P[0] >=
 * 0x80), or 0 if it is invalid: overlong forms, surrogates and values past
 * U+10FFFF are invalid too. */
static size_t multibyte_length(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0xC2) return 0;
    if (c < 0xE0) return (n >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && p[1] < 0xA0) return 0; /* overlong */
        if (c == 0xED && p[1] >= 0xA0) return 0; /* surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && p[1] < 0x90) return 0;  /* overlong */
        if (c == 0xF4 && p[1] >= 0x90) return 0; /* past U+10FFFF */
        return 4;
    }
    return 0;
}

/* Bytes of the invalid run starting at P: its first byte plus the
 * continuation bytes that follow (at most 3), so one broken character is one
 * replacement. */
static size_t invalid_run_length(const unsigned char *p, size_t n)
{
    size_t i = 1;
    while (i < n && i < 4 && (p[i] & 0xC0) == 0x80) i++;
    return i;
}

/* Bytes of ASCII at the start of P (eight at a time while possible). */
static size_t ascii_prefix(const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t word;
        memcpy(&word, p + i, 8);
        if (word & 0x8080808080808080u) break;
    }
    while (i < n && p[i] < 0x80) i++;
    return i;
}

/* Count the invalid and the multi-byte sequences of N bytes at P; stop early
 * once STOP_AFTER invalid sequences are seen. */
static utf8_census census(const unsigned char *p, size_t n, size_t stop_after)
{
    utf8_census c = {0};
    size_t i = 0;
    while (i < n && c.invalid <= stop_after) {
        i += ascii_prefix(p + i, n - i);
        if (i >= n) break;
        size_t len = multibyte_length(p + i, n - i);
        if (len) {
            c.multibyte++;
            i += len;
        } else {
            c.invalid++;
            i += invalid_run_length(p + i, n - i);
        }
    }
    return c;
}

bool text_is_valid_utf8(const char *bytes, size_t len)
{
    return census((const unsigned char *)bytes, len, 0).invalid == 0;
}

/* Copy N bytes at P into OUT as UTF-8, replacing each of the INVALID invalid
 * sequences by U+FFFD. */
static text_status copy_repairing(const unsigned char *p, size_t n, size_t invalid,
                                  text_decoded *out)
{
    size_t capacity = n + invalid * (sizeof REPLACEMENT - 2) + 1;
    char *utf8 = malloc(capacity);
    if (!utf8) return TEXT_NO_MEMORY;
    size_t o = 0, i = 0;
    if (invalid == 0) { /* the common case: nothing to repair */
        memcpy(utf8, p, n);
        o = i = n;
    }
    while (i < n) {
        size_t ascii = ascii_prefix(p + i, n - i);
        memcpy(utf8 + o, p + i, ascii);
        o += ascii;
        i += ascii;
        if (i >= n) break;
        size_t len = multibyte_length(p + i, n - i);
        if (len) {
            memcpy(utf8 + o, p + i, len);
            o += len;
            i += len;
            continue;
        }
        memcpy(utf8 + o, REPLACEMENT, sizeof REPLACEMENT - 1);
        o += sizeof REPLACEMENT - 1;
        out->replaced++;
        i += invalid_run_length(p + i, n - i);
    }
    utf8[o] = '\0';
    out->utf8 = utf8;
    out->len = o;
    return TEXT_OK;
}

/* A to-Unicode callback that counts what the converter could not map and then
 * substitutes U+FFFD as ICU's own callback would. */
static void count_and_substitute(const void *context, UConverterToUnicodeArgs *args,
                                     const char *bytes, int32_t length,
                                     UConverterCallbackReason reason, UErrorCode *error)
{
    if (reason <= UCNV_IRREGULAR) { /* unassigned, illegal or irregular input */
        (*(size_t *)context)++;
        *error = U_ZERO_ERROR;
        ucnv_cbToUWriteUChars(args, u"\uFFFD", 1, 0, error);
        return;
    }
    (void)bytes;
    (void)length;
}

/* Convert N bytes at P from CHARSET to UTF-16 in *UNITS (malloc'd);
 * unmappable input becomes U+FFFD, counted in *REPLACED. */
static text_status to_utf16(const char *charset, const char *p, size_t n, UChar **units,
                            int32_t *n_units, size_t *replaced)
{
    UErrorCode error = U_ZERO_ERROR;
    UConverter *converter = ucnv_open(charset, &error);
    if (U_FAILURE(error)) return TEXT_ICU_ERROR;
    ucnv_setToUCallBack(converter, count_and_substitute, replaced, NULL, NULL, &error);
    /* Most charsets make at most one UTF-16 unit of a byte; the rare
     * exceptions are retried with the size ICU asks for. */
    int32_t capacity = (int32_t)n + 1;
    text_status status = TEXT_OK;
    for (int attempt = 0; attempt < 2 && status == TEXT_OK; attempt++) {
        UChar *grown = realloc(*units, (size_t)capacity * sizeof **units);
        if (!grown) {
            status = TEXT_NO_MEMORY;
            break;
        }
        *units = grown;
        error = U_ZERO_ERROR;
        *replaced = 0;
        ucnv_resetToUnicode(converter);
        *n_units = ucnv_toUChars(converter, *units, capacity, p, (int32_t)n, &error);
        if (error != U_BUFFER_OVERFLOW_ERROR) break;
        capacity = *n_units + 1;
    }
    if (status == TEXT_OK && U_FAILURE(error)) status = TEXT_ICU_ERROR;
    ucnv_close(converter);
    return status;
}

/* Convert N bytes at P from CHARSET to UTF-8 with ICU into OUT. */
static text_status convert_with_icu(const char *charset, const char *p, size_t n,
                                    text_decoded *out)
{
    if (n > INT32_MAX / 4) return TEXT_INVALID_ARGUMENT;
    UChar *units = NULL;
    int32_t n_units = 0, n_bytes = 0, substituted = 0;
    size_t replaced = 0;
    char *utf8 = NULL;
    text_status status = to_utf16(charset, p, n, &units, &n_units, &replaced);
    if (status == TEXT_OK) {
        UErrorCode error = U_ZERO_ERROR;
        u_strToUTF8WithSub(NULL, 0, &n_bytes, units, n_units, 0xFFFD, NULL, &error);
        utf8 = malloc((size_t)n_bytes + 1);
        error = U_ZERO_ERROR;
        if (utf8)
            u_strToUTF8WithSub(utf8, n_bytes + 1, &n_bytes, units, n_units, 0xFFFD,
                               &substituted, &error);
        status = !utf8 ? TEXT_NO_MEMORY : U_FAILURE(error) ? TEXT_ICU_ERROR : TEXT_OK;
    }
    free(units);
    if (status != TEXT_OK) {
        free(utf8);
        return status;
    }
    out->utf8 = utf8;
    out->len = (size_t)n_bytes;
    out->replaced = replaced + (size_t)substituted;
    snprintf(out->charset, sizeof out->charset, "%s", charset);
    return TEXT_OK;
}

/* The charset of a UTF-16/32 byte order mark, or NULL. UTF-32LE's BOM starts
 * like UTF-16LE's, so it is tested first. */
static const char *unicode_bom_charset(const unsigned char *p, size_t n, size_t *bom_len)
{
    static const struct {
        const char *charset;
        unsigned char bom[4];
        size_t len;
    } boms[] = {
        {"UTF-32LE", {0xFF, 0xFE, 0, 0}, 4},
        {"UTF-32BE", {0, 0, 0xFE, 0xFF}, 4},
        {"UTF-16LE", {0xFF, 0xFE}, 2},
        {"UTF-16BE", {0xFE, 0xFF}, 2},
    };
    for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++) {
        if (n >= boms[i].len && memcmp(p, boms[i].bom, boms[i].len) == 0) {
            *bom_len = boms[i].len;
            return boms[i].charset;
        }
    }
    return NULL;
}

/* ICU's guess at the charset of N bytes at P; NULL if it cannot tell with
 * some confidence or says UTF-8 (then the input is damaged UTF-8). The name
 * is static storage. */
static const char *detect_charset(const char *p, size_t n)
{
    UErrorCode error = U_ZERO_ERROR;
    UCharsetDetector *detector = ucsdet_open(&error);
    if (U_FAILURE(error)) return NULL;
    ucsdet_setText(detector, p, n > DETECT_SAMPLE_BYTES ? DETECT_SAMPLE_BYTES : (int32_t)n,
                   &error);
    const UCharsetMatch *match = ucsdet_detect(detector, &error);
    const char *name = NULL;
    if (U_SUCCESS(error) && match && ucsdet_getConfidence(match, &error) >= MIN_CONFIDENCE) {
        const char *detected = ucsdet_getName(match, &error);
        if (U_SUCCESS(error) && strcmp(detected, "UTF-8") != 0) name = detected;
    }
    ucsdet_close(detector);
    return name;
}

/* Is text with this census more likely in another charset than damaged UTF-8? */
static bool looks_like_another_charset(const utf8_census *c, size_t len)
{
    bool many = c->invalid > FEW_INVALID_SEQUENCES ||
                (c->invalid > 0 && c->invalid * INVALID_BYTES_RATIO > len);
    return many && c->multibyte < c->invalid * DAMAGED_UTF8_RATIO;
}

text_status text_decode(const char *bytes, size_t len, text_decoded *out)
{
    memset(out, 0, sizeof *out);
    const unsigned char *p = (const unsigned char *)bytes;
    size_t bom_len = 0;
    const char *bom_charset = unicode_bom_charset(p, len, &bom_len);
    if (bom_charset) {
        out->had_bom = true;
        return convert_with_icu(bom_charset, bytes + bom_len, len - bom_len, out);
    }
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        out->had_bom = true;
        p += 3;
        len -= 3;
    }
    utf8_census c = census(p, len, SIZE_MAX);
    if (!out->had_bom && looks_like_another_charset(&c, len)) {
        const char *charset = detect_charset((const char *)p, len);
        if (charset && convert_with_icu(charset, (const char *)p, len, out) == TEXT_OK)
            return TEXT_OK;
        memset(out, 0, sizeof *out);
    }
    strcpy(out->charset, "UTF-8");
    return copy_repairing(p, len, c.invalid, out);
}

void text_decoded_free(text_decoded *decoded)
{
    if (!decoded) return;
    free(decoded->utf8);
    memset(decoded, 0, sizeof *decoded);
}
