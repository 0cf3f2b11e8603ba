/* ascii_words_internal.h — the word segments of pure ASCII text, found without
 * ICU's word break iterator (private to text/).
 *
 * ICU's iterator took most of the analysis time, and most documents (English
 * prose, code and its documentation) are pure ASCII, where its rules come
 * down to a few lines. This scanner gives exactly the word segments, and
 * their number-or-letters status, that ICU 72's UBRK_WORD iterator (root
 * locale) gives for ASCII text; the tests compare the two on random strings
 * rich in punctuation and on real files. ICU's rules (UAX #29 as tailored in
 * ICU's word.txt), restricted to ASCII:
 *
 *   - letters (A-Z, a-z and '@', which ICU adds so that "user@example.org" is
 *     one word), digits and '_' join whatever of them they touch: "x86_64";
 *   - '.' and '\'' join two letters ("e.g", "don't") or two digits ("1.2");
 *   - ',' and ';' join two digits only ("1,000");
 *   - everything else breaks, ':' too (ICU leaves it out of MidLetter).
 *
 * A segment's status is that of ICU's last rule: a number when it ends with a
 * digit ("a1", "v1.2"), letters when it ends with a letter ("3.14abc"); ending
 * with '_', the class of the character before it, letters after another '_'
 * ("1__", "__init__"); a lone "_" is no word.
 */
#ifndef KENSAKU_TEXT_ASCII_WORDS_INTERNAL_H
#define KENSAKU_TEXT_ASCII_WORDS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

/* What a byte does in a word under the rules above. The one table of them:
 * the scanner below, the word counter (word_estimate.c) and the analyser's
 * shortcuts around ICU's iterator all read it. */
typedef enum ascii_role {
    ASCII_BREAK = 0,  /* space, control, most punctuation, ':'; every byte from 0x80 */
    ASCII_LETTER,     /* ALetter: A-Z, a-z, and '@' in ICU's rules */
    ASCII_DIGIT,      /* Numeric */
    ASCII_CONNECTOR,  /* ExtendNumLet: '_' */
    ASCII_MID_BOTH,   /* MidNumLet, Single_Quote: '.', '\'' between letters or digits */
    ASCII_MID_NUMBER  /* MidNum: ',', ';' between digits */
} ascii_role;

/* The role of each byte value (an ascii_role). */
extern const unsigned char ascii_roles[256];

/* True for the roles that join whatever of them they touch, and so start a
 * word segment: letters, digits and '_'. */
static inline bool ascii_role_joins(unsigned role)
{
    return role >= ASCII_LETTER && role <= ASCII_CONNECTOR;
}

/* True if every byte of the LEN bytes at TEXT is below 0x80. */
bool ascii_only(const char *text, size_t len);

/* What ICU's rule status says a word segment is. */
typedef enum ascii_word_kind {
    ASCII_WORD_LETTERS, /* UBRK_WORD_LETTER: "word", "e.g", "3.14abc" */
    ASCII_WORD_NUMBER   /* UBRK_WORD_NUMBER: "1,000", "x86", "v1.2" */
} ascii_word_kind;

typedef struct ascii_word {
    size_t start, end; /* byte offsets: [start, end) */
    ascii_word_kind kind;
} ascii_word;

/* The first word segment of the ASCII TEXT[*FROM, LEN) into *WORD, and *FROM
 * moved past it; false when no word is left. Start with *FROM at 0 and call
 * again for each next word. */
bool ascii_next_word(const char *text, size_t len, size_t *from, ascii_word *word);

#endif
