/* passages.h — cut a text into paragraph-sized passages.
 *
 * Paragraphs end at blank lines; small paragraphs are merged until
 * passage_min_words; paragraphs over passage_max_words are cut at ICU sentence
 * boundaries (and, for a sentence longer than the bound, at word boundaries).
 * A passage never starts or ends inside a UTF-8 sequence, and passages cover
 * the text's words in order without overlap.
 */
#ifndef KENSAKU_TEXT_PASSAGES_H
#define KENSAKU_TEXT_PASSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "analyse.h"

typedef struct text_passage {
    uint32_t ordinal;     /* 1, 2, ... within the text */
    size_t start;         /* byte offset of the passage's first byte */
    size_t end;           /* byte offset just past its last byte (trailing blank lines excluded) */
    uint32_t first_line;  /* 1-based line number of START (lines end at \n; \r\n counts once) */
    /* Word and number tokens in the passage, counted by a byte scan with
     * Unicode's word-break properties rather than the word iterator: equal
     * to text_analyse's count for scripts that separate words (ICU's rules
     * for ASCII are followed exactly), an estimate for CJK and Thai, whose
     * words come from dictionaries. Over-long words count though they give no
     * token. Never 0 for a passage that has a token. */
    uint32_t words;
} text_passage;

/* Return 0 to go on, anything else to stop (TEXT_STOPPED). */
typedef int (*text_passage_fn)(void *context, const text_passage *passage);

/* Split LEN bytes of valid UTF-8 with ANALYSER's passage bounds and report each
 * passage in order. Passages start and end at non-blank characters; what lies
 * between them is white space only. A small paragraph at the end joins the
 * passage before it when that stays within the bounds; a long paragraph is cut
 * into pieces of about equal size, the first taking in the small paragraphs
 * before it. A passage is also kept under max_words * 24 bytes (4 KiB at
 * least), so text without spaces is cut too, never inside a character or
 * between a letter and its combining marks. The callback may analyse text with
 * the same analyser, but must not split passages with it. */
text_status text_split_passages(text_analyser *analyser, const char *text, size_t len,
                                text_passage_fn fn, void *context);

#endif
