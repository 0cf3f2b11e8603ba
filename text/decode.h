/* decode.h — bytes of unknown encoding in, valid UTF-8 out.
 *
 * UTF-8 is validated; a BOM is dropped; invalid sequences become U+FFFD and are
 * counted, never fatal. Text that is not UTF-8 (UTF-16/32 with a BOM, or more
 * than a few invalid bytes: Latin-1, Windows-1252, Shift_JIS, EUC-JP, GB18030,
 * ...) is identified with ICU's charset detector and converted. "More than a
 * few": over 8 invalid sequences or over 1% of the bytes, and fewer than four
 * valid multi-byte characters for each invalid one (otherwise it is damaged
 * UTF-8, which the detector would misread). A UTF-8 BOM rules detection out.
 */
#ifndef KENSAKU_TEXT_DECODE_H
#define KENSAKU_TEXT_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

#define TEXT_CHARSET_MAX 32

typedef struct text_decoded {
    char *utf8;                     /* valid UTF-8, NUL-terminated; owned, see text_decoded_free */
    size_t len;                     /* bytes in utf8, excluding the NUL */
    size_t replaced;                /* invalid sequences replaced by U+FFFD */
    char charset[TEXT_CHARSET_MAX]; /* "UTF-8", or the charset it was converted from */
    bool had_bom;                   /* a byte order mark was found and dropped */
} text_decoded;

/* Decode LEN bytes at BYTES into OUT (which the caller then frees with
 * text_decoded_free). Thread-safe. */
text_status text_decode(const char *bytes, size_t len, text_decoded *out);

/* Free what text_decode allocated and zero OUT. NULL-safe. */
void text_decoded_free(text_decoded *decoded);

/* True if LEN bytes at BYTES are valid UTF-8 (no BOM check). */
bool text_is_valid_utf8(const char *bytes, size_t len);

#endif
