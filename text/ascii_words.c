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

const unsigned char ascii_roles[256] = {
    ['0'] = ASCII_DIGIT, ['1'] = ASCII_DIGIT, ['2'] = ASCII_DIGIT, ['3'] = ASCII_DIGIT,
    ['4'] = ASCII_DIGIT, ['5'] = ASCII_DIGIT, ['6'] = ASCII_DIGIT, ['7'] = ASCII_DIGIT,
    ['8'] = ASCII_DIGIT, ['9'] = ASCII_DIGIT,
    ['A'] = ASCII_LETTER, ['B'] = ASCII_LETTER, ['C'] = ASCII_LETTER, ['D'] = ASCII_LETTER,
    ['E'] = ASCII_LETTER, ['F'] = ASCII_LETTER, ['G'] = ASCII_LETTER, ['H'] = ASCII_LETTER,
    ['I'] = ASCII_LETTER, ['J'] = ASCII_LETTER, ['K'] = ASCII_LETTER, ['L'] = ASCII_LETTER,
    ['M'] = ASCII_LETTER, ['N'] = ASCII_LETTER, ['O'] = ASCII_LETTER, ['P'] = ASCII_LETTER,
    ['Q'] = ASCII_LETTER, ['R'] = ASCII_LETTER, ['S'] = ASCII_LETTER, ['T'] = ASCII_LETTER,
    ['U'] = ASCII_LETTER, ['V'] = ASCII_LETTER, ['W'] = ASCII_LETTER, ['X'] = ASCII_LETTER,
    ['Y'] = ASCII_LETTER, ['Z'] = ASCII_LETTER,
    ['a'] = ASCII_LETTER, ['b'] = ASCII_LETTER, ['c'] = ASCII_LETTER, ['d'] = ASCII_LETTER,
    ['e'] = ASCII_LETTER, ['f'] = ASCII_LETTER, ['g'] = ASCII_LETTER, ['h'] = ASCII_LETTER,
    ['i'] = ASCII_LETTER, ['j'] = ASCII_LETTER, ['k'] = ASCII_LETTER, ['l'] = ASCII_LETTER,
    ['m'] = ASCII_LETTER, ['n'] = ASCII_LETTER, ['o'] = ASCII_LETTER, ['p'] = ASCII_LETTER,
    ['q'] = ASCII_LETTER, ['r'] = ASCII_LETTER, ['s'] = ASCII_LETTER, ['t'] = ASCII_LETTER,
    ['u'] = ASCII_LETTER, ['v'] = ASCII_LETTER, ['w'] = ASCII_LETTER, ['x'] = ASCII_LETTER,
    ['y'] = ASCII_LETTER, ['z'] = ASCII_LETTER,
    ['@'] = ASCII_LETTER,
    ['_'] = ASCII_CONNECTOR,
    ['.'] = ASCII_MID_BOTH, ['\''] = ASCII_MID_BOTH,
    [','] = ASCII_MID_NUMBER, [';'] = ASCII_MID_NUMBER,
};

/* A word is a run of bytes that join (WB5, WB8-WB10, WB13a-b), and of such
 * runs linked by one middle character between two letters (WB6-7) or two
 * digits (WB11-12). LAST ends the word so far, MID follows it, NEXT follows
 * MID. */
static bool links(unsigned last, unsigned mid, unsigned next)
{
    if (last == ASCII_LETTER) return mid == ASCII_MID_BOTH && next == ASCII_LETTER;
    if (last == ASCII_DIGIT)
        return (mid == ASCII_MID_BOTH || mid == ASCII_MID_NUMBER) && next == ASCII_DIGIT;
    return false;
}

/* The end of the word that starts at S[START] (a byte that joins). */
static size_t word_end(const unsigned char *s, size_t len, size_t start)
{
    size_t i = start + 1;
    for (;;) {
        while (i < len && ascii_role_joins(ascii_roles[s[i]])) i++;
        if (i + 1 < len &&
            links(ascii_roles[s[i - 1]], ascii_roles[s[i]], ascii_roles[s[i + 1]])) {
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
    unsigned last = ascii_roles[s[end - 1]];
    if (last == ASCII_CONNECTOR) {
        if (end - start == 1) return false;
        last = ascii_roles[s[end - 2]];
    }
    *kind = last == ASCII_DIGIT ? ASCII_WORD_NUMBER : ASCII_WORD_LETTERS;
    return true;
}

bool ascii_next_word(const char *text, size_t len, size_t *from, ascii_word *word)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = *from;
    while (i < len) {
        if (!ascii_role_joins(ascii_roles[s[i]])) {
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
