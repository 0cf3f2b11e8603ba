/* fuzz_utf8.h — a UTF-8 validator of the fuzz targets' own.
 *
 * Written from RFC 3629 rather than taken from text/decode.c, so that the
 * targets check the project's output (and text_is_valid_utf8) against an
 * independent judge: no overlong forms, no surrogates, nothing past U+10FFFF.
 */
#ifndef KENSAKU_FUZZ_UTF8_H
#define KENSAKU_FUZZ_UTF8_H

#include <stdbool.h>
#include <stddef.h>

static inline bool fuzz_is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

static inline bool fuzz_valid_utf8(const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t n;
        unsigned char low = 0x80, high = 0xBF; /* the range of the second byte */
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) low = 0xA0;  /* overlong */
            if (c == 0xED) high = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) low = 0x90;  /* overlong */
            if (c == 0xF4) high = 0x8F; /* past U+10FFFF */
        } else {
            return false;
        }
        if (len - i < n || p[i + 1] < low || p[i + 1] > high)
            return false;
        for (size_t k = 2; k < n; k++)
            if (!fuzz_is_continuation(p[i + k]))
                return false;
        i += n;
    }
    return true;
}

/* Is OFFSET a code point boundary of the LEN bytes at TEXT (the end is one)? */
static inline bool fuzz_at_boundary(const char *text, size_t len, size_t offset)
{
    return offset == len || (offset < len && !fuzz_is_continuation((unsigned char)text[offset]));
}

#endif
