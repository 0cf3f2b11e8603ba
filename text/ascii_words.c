/* ascii_words.c — ICU's word segments of pure ASCII text, by a hand-written
 * scanner (see ascii_words_internal.h for the rules it follows).
 */
#include "text/ascii_words_internal.h"

#include <stdint.h>
#include <string.h>

bool ascii_only(const char *text, size_t len)
{
    /* Eight bytes at a time, four words per round: the high bits of all of
     * them are or-ed together and tested once. */
    const uint64_t high_bits = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 32 <= len; i += 32) {
        uint64_t w[4];
        memcpy(w, text + i, sizeof w);
        if ((w[0] | w[1] | w[2] | w[3]) & high_bits) return false;
    }
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, text + i, sizeof w);
        if (w & high_bits) return false;
    }
    for (; i < len; i++)
        if ((unsigned char)text[i] >= 0x80) return false;
    return true;
}

/* What a byte does in a word, by its Word_Break property (ICU's tailoring). */
enum role {
    ROLE_BREAK = 0,  /* space, control, most punctuation, ':' and every non-ASCII byte */
    ROLE_LETTER,     /* ALetter: A-Z, a-z, and '@' in ICU's rules */
    ROLE_DIGIT,      /* Numeric */
    ROLE_CONNECTOR,  /* ExtendNumLet: '_' */
    ROLE_MID_BOTH,   /* MidNumLet, Single_Quote: '.', '\'' between letters or digits */
    ROLE_MID_NUMBER  /* MidNum: ',', ';' between digits */
};

static const unsigned char roles[256] = {
    ['0'] = ROLE_DIGIT, ['1'] = ROLE_DIGIT, ['2'] = ROLE_DIGIT, ['3'] = ROLE_DIGIT,
    ['4'] = ROLE_DIGIT, ['5'] = ROLE_DIGIT, ['6'] = ROLE_DIGIT, ['7'] = ROLE_DIGIT,
    ['8'] = ROLE_DIGIT, ['9'] = ROLE_DIGIT,
    ['A'] = ROLE_LETTER, ['B'] = ROLE_LETTER, ['C'] = ROLE_LETTER, ['D'] = ROLE_LETTER,
    ['E'] = ROLE_LETTER, ['F'] = ROLE_LETTER, ['G'] = ROLE_LETTER, ['H'] = ROLE_LETTER,
    ['I'] = ROLE_LETTER, ['J'] = ROLE_LETTER, ['K'] = ROLE_LETTER, ['L'] = ROLE_LETTER,
    ['M'] = ROLE_LETTER, ['N'] = ROLE_LETTER, ['O'] = ROLE_LETTER, ['P'] = ROLE_LETTER,
    ['Q'] = ROLE_LETTER, ['R'] = ROLE_LETTER, ['S'] = ROLE_LETTER, ['T'] = ROLE_LETTER,
    ['U'] = ROLE_LETTER, ['V'] = ROLE_LETTER, ['W'] = ROLE_LETTER, ['X'] = ROLE_LETTER,
    ['Y'] = ROLE_LETTER, ['Z'] = ROLE_LETTER,
    ['a'] = ROLE_LETTER, ['b'] = ROLE_LETTER, ['c'] = ROLE_LETTER, ['d'] = ROLE_LETTER,
    ['e'] = ROLE_LETTER, ['f'] = ROLE_LETTER, ['g'] = ROLE_LETTER, ['h'] = ROLE_LETTER,
    ['i'] = ROLE_LETTER, ['j'] = ROLE_LETTER, ['k'] = ROLE_LETTER, ['l'] = ROLE_LETTER,
    ['m'] = ROLE_LETTER, ['n'] = ROLE_LETTER, ['o'] = ROLE_LETTER, ['p'] = ROLE_LETTER,
    ['q'] = ROLE_LETTER, ['r'] = ROLE_LETTER, ['s'] = ROLE_LETTER, ['t'] = ROLE_LETTER,
    ['u'] = ROLE_LETTER, ['v'] = ROLE_LETTER, ['w'] = ROLE_LETTER, ['x'] = ROLE_LETTER,
    ['y'] = ROLE_LETTER, ['z'] = ROLE_LETTER,
    ['@'] = ROLE_LETTER,
    ['_'] = ROLE_CONNECTOR,
    ['.'] = ROLE_MID_BOTH, ['\''] = ROLE_MID_BOTH,
    [','] = ROLE_MID_NUMBER, [';'] = ROLE_MID_NUMBER,
};

/* Letters, digits and '_' join whatever of them they touch (WB5, WB8-WB10,
 * WB13a-b), so a word is a run of them... */
static bool joins(unsigned role)
{
    return role >= ROLE_LETTER && role <= ROLE_CONNECTOR;
}

/* ...and of such runs linked by one middle character between two letters
 * (WB6-7) or two digits (WB11-12). LAST ends the word so far, MID follows
 * it, NEXT follows MID. */
static bool links(unsigned last, unsigned mid, unsigned next)
{
    if (last == ROLE_LETTER) return mid == ROLE_MID_BOTH && next == ROLE_LETTER;
    if (last == ROLE_DIGIT)
        return (mid == ROLE_MID_BOTH || mid == ROLE_MID_NUMBER) && next == ROLE_DIGIT;
    return false;
}

/* The end of the word that starts at S[START] (a byte that joins). */
static size_t word_end(const unsigned char *s, size_t len, size_t start)
{
    size_t i = start + 1;
    for (;;) {
        while (i < len && joins(roles[s[i]])) i++;
        if (i + 1 < len && links(roles[s[i - 1]], roles[s[i]], roles[s[i + 1]])) {
            i += 2;
            continue;
        }
        return i;
    }
}

/* The status ICU gives the word S[START, END): that of its last rule, which
 * ends on the word's last character, or on its last two when that one is
 * '_' ("a_" letters, "1_" a number, "__" letters). False for a lone '_',
 * which no rule matches: ICU calls it punctuation. */
static bool word_kind(const unsigned char *s, size_t start, size_t end, ascii_word_kind *kind)
{
    unsigned last = roles[s[end - 1]];
    if (last == ROLE_CONNECTOR) {
        if (end - start == 1) return false;
        last = roles[s[end - 2]];
    }
    *kind = last == ROLE_DIGIT ? ASCII_WORD_NUMBER : ASCII_WORD_LETTERS;
    return true;
}

bool ascii_next_word(const char *text, size_t len, size_t *from, ascii_word *word)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = *from;
    while (i < len) {
        if (!joins(roles[s[i]])) {
            i++;
            continue;
        }
        size_t start = i;
        i = word_end(s, len, start);
        if (word_kind(s, start, i, &word->kind)) {
            word->start = start;
            word->end = i;
            *from = i;
            return true;
        }
    }
    *from = len;
    return false;
}
