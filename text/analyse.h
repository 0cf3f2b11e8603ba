/* analyse.h — tokens out of UTF-8 text: segment, normalise, stem.
 *
 * ICU's word break iterator runs over the UTF-8 text itself (utext_openUTF8),
 * so every token carries its byte offsets into the analysed text. Words,
 * numbers and ideographs are tokens; punctuation and spaces are not. Each token
 * is normalised (NFKC case fold, accents folded when configured, typographic
 * apostrophes made ASCII) and stemmed with the configured Snowball stemmer.
 * Han, Hiragana, Katakana and Hangul runs also yield overlapping character
 * bigrams and single characters, positioned by character, so a CJK string is
 * found wherever it stands as a substring.
 *
 * The indexer, the query parser and the snippet highlighter all call this, so
 * what is indexed, searched and highlighted always agree. An analyser is not
 * thread-safe: use one per thread.
 */
#ifndef KENSAKU_TEXT_ANALYSE_H
#define KENSAKU_TEXT_ANALYSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Tokens longer than this (normalised, in bytes) are skipped, not truncated. */
#define TEXT_MAX_TOKEN_BYTES 64

typedef enum text_token_kind {
    TEXT_TOKEN_WORD,        /* a word, in any script (dictionary-segmented for CJK and Thai) */
    TEXT_TOKEN_NUMBER,      /* ICU's number status: "38.101", "1,000", also "x86", "v2.0" */
    TEXT_TOKEN_CJK_BIGRAM,  /* two adjacent Han/Hiragana/Katakana/Hangul characters */
    TEXT_TOKEN_CJK_UNIGRAM  /* one such character */
} text_token_kind;

typedef struct text_token {
    text_token_kind kind;
    const char *term;      /* normalised form, NUL-terminated; borrowed for the callback */
    size_t term_len;
    const char *stem;      /* stemmed form of TERM (== TERM for numbers, CJK, unstemmed words) */
    size_t stem_len;
    /* Words and numbers: word position, counting from the FIRST_POSITION given
     * to text_analyse. CJK bigrams and unigrams: character position in the CJK
     * runs, counting from 1 per call, so the bigrams of a string form a phrase. */
    uint32_t position;
    size_t start;          /* byte offset of the token's first byte in the text */
    size_t end;            /* byte offset just past its last byte */
    /* An extra form at the same position and offsets as the token before it
     * (the word without its elision: "l'élève" also yields "eleve"). */
    bool variant;
} text_token;

/* Called once per token, in text order (a word's variant, then its bigrams
 * and unigrams, follow the word). Return 0 to go on, anything else to stop
 * (text_analyse then returns TEXT_STOPPED). The callback must not call
 * text_analyse on the same analyser. */
typedef int (*text_token_fn)(void *context, const text_token *token);

typedef struct text_analyser text_analyser;

/* A new analyser for CONFIG. On failure *message (if not NULL) receives a
 * description; caller frees with free(). */
text_status text_analyser_new(const text_config *config, text_analyser **analyser,
                              char **message);

void text_analyser_free(text_analyser *analyser);

/* The configuration the analyser was made with. Borrowed: lives as long as ANALYSER. */
const text_config *text_analyser_config(const text_analyser *analyser);

/* Analyse LEN bytes of valid UTF-8 (as text_decode returns) and report each
 * token to FN. Word positions start at FIRST_POSITION (>= 1); a word skipped
 * as over-long still takes its position, so no phrase matches across it.
 * *next_position (may be NULL) receives the position after the last word.
 * TEXT_INVALID_ARGUMENT for texts over 2 GiB (ICU's offsets are 32-bit). */
text_status text_analyse(text_analyser *analyser, const char *text, size_t len,
                         uint32_t first_position, text_token_fn fn, void *context,
                         uint32_t *next_position);

/* Normalise a single word the way text_analyse would (for query prefixes
 * such as "abduct*": no segmentation, no stemming, no elision variant). OUT
 * receives the normalised form, NUL-terminated; returns its length, or 0 if
 * nothing remains, it is longer than TEXT_MAX_TOKEN_BYTES (no indexed term
 * is) or than OUT_SIZE - 1, or WORD is not valid UTF-8. */
size_t text_normalise_word(text_analyser *analyser, const char *word, size_t len, char *out,
                           size_t out_size);

/* Stemming costs a good part of analysing a passage whose words are mostly
 * new to the analyser, and a highlighter only compares the words' stems with
 * a query's few. After text_analyser_stem_none, words are reported with
 * their normalised form as their stem, except those whose stem may equal a
 * stem given to text_analyser_stem_also since; text_analyser_stem_all goes
 * back to stemming every word. Which words may is told without stemming
 * them: when the stemmer always keeps a word's first letter (English), the
 * words starting with the first byte of a given stem; otherwise every word
 * once a stem is given. */
void text_analyser_stem_none(text_analyser *analyser);
void text_analyser_stem_also(text_analyser *analyser, const char *stem, size_t len);
void text_analyser_stem_all(text_analyser *analyser);

/* Does TOKEN match a query term? STEMMED compares TERM with the token's stem,
 * otherwise with its normalised form. */
bool text_token_matches(const text_token *token, const char *term, size_t term_len,
                        bool stemmed);

/* True if the code point is Han, Hiragana, Katakana or Hangul, or one of the
 * Common-script marks written inside Japanese words (ー ｰ 々 〆 〻): a CJK
 * character that yields n-grams. Kana voicing marks and variation selectors
 * that follow such a character belong to its n-grams. */
bool text_is_cjk_codepoint(uint32_t codepoint);

#endif
