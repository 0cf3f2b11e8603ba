/* word_estimate.c — count words with one scan over Unicode's word-break
 * properties instead of ICU's iterator (see word_estimate_internal.h).
 */
#include "text/word_estimate_internal.h"

#include <stdbool.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "text/ascii_words_internal.h"

/* What a character does to the count. The ASCII roles come first, with the
 * values of text/ascii_words_internal.h, so that its table serves ASCII text
 * here as it is. */
enum char_role {
    ROLE_BREAK = ASCII_BREAK,         /* ends any word: space, punctuation, symbols */
    ROLE_LETTER = ASCII_LETTER,       /* ALetter, Hebrew_Letter */
    ROLE_DIGIT = ASCII_DIGIT,         /* Numeric */
    ROLE_CONNECTOR = ASCII_CONNECTOR, /* ExtendNumLet ("_"): joins whatever it touches */
    ROLE_MID_BOTH = ASCII_MID_BOTH,   /* joins two letters or two digits: MidNumLet, Single_Quote */
    ROLE_MID_NUM = ASCII_MID_NUMBER,  /* joins two digits: MidNum (",", ";") */
    ROLE_MID_LETTER,                  /* joins two letters: MidLetter */
    ROLE_IGNORE,                      /* Extend, Format, ZWJ: invisible to the rules (WB4) */
    ROLE_IDEO,                        /* ideographs, kana, other letters left to a dictionary */
    ROLE_SOUTHEAST                    /* Thai, Lao, Khmer, Burmese (Line_Break=SA) */
};

static enum char_role role_of(UChar32 c)
{
    if (c < 0) return ROLE_BREAK;
    switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK)) {
    case U_WB_ALETTER:
    case U_WB_HEBREW_LETTER: return ROLE_LETTER;
    case U_WB_NUMERIC: return ROLE_DIGIT;
    case U_WB_EXTENDNUMLET: return ROLE_CONNECTOR;
    case U_WB_MIDLETTER: return ROLE_MID_LETTER;
    case U_WB_MIDNUM: return ROLE_MID_NUM;
    case U_WB_MIDNUMLET:
    case U_WB_SINGLE_QUOTE: return ROLE_MID_BOTH;
    case U_WB_EXTEND:
    case U_WB_FORMAT:
    case U_WB_ZWJ: return ROLE_IGNORE;
    case U_WB_KATAKANA: return ROLE_IDEO;
    default: break;
    }
    if (u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT)
        return ROLE_SOUTHEAST;
    return u_isalnum(c) ? ROLE_IDEO : ROLE_BREAK;
}

/* Inside-word states of the counter. Runs of dictionary characters are
 * counted apart (see counter). */
enum state {
    OUTSIDE,         /* not in a word */
    AFTER_LETTER,    /* in a word, last character a letter */
    AFTER_DIGIT,     /* in a word, last character a digit */
    AFTER_CONNECT,   /* in a word, last character a connector */
    CONNECTORS_ONLY, /* one connector, no letter or digit: no word ("_"; but "__" is one) */
    LETTER_JOINER,   /* a letter, then a joiner that may join it to another letter */
    DIGIT_JOINER,    /* a digit, then a joiner that may join it to another digit */
    N_STATES
};

/* Transitions for every role but the dictionary ones: the next state, plus
 * NEW when a word starts. A table rather than branches: this runs over every
 * byte of every indexed file. */
#define NEW 0x80
#define L_ (NEW | AFTER_LETTER)
#define D_ (NEW | AFTER_DIGIT)
static const unsigned char transition[N_STATES][ROLE_IDEO] = {
    /* BREAK, LETTER, DIGIT, CONNECTOR, MID_BOTH, MID_NUM, MID_LETTER, IGNORE */
    [OUTSIDE] = {OUTSIDE, L_, D_, CONNECTORS_ONLY, OUTSIDE, OUTSIDE, OUTSIDE, OUTSIDE},
    [AFTER_LETTER] = {OUTSIDE, AFTER_LETTER, AFTER_DIGIT, AFTER_CONNECT,
                      LETTER_JOINER, OUTSIDE, LETTER_JOINER, AFTER_LETTER},
    [AFTER_DIGIT] = {OUTSIDE, AFTER_LETTER, AFTER_DIGIT, AFTER_CONNECT,
                     DIGIT_JOINER, DIGIT_JOINER, OUTSIDE, AFTER_DIGIT},
    [AFTER_CONNECT] = {OUTSIDE, AFTER_LETTER, AFTER_DIGIT, AFTER_CONNECT,
                       OUTSIDE, OUTSIDE, OUTSIDE, AFTER_CONNECT},
    [CONNECTORS_ONLY] = {OUTSIDE, L_, D_, NEW | AFTER_CONNECT,
                         OUTSIDE, OUTSIDE, OUTSIDE, CONNECTORS_ONLY},
    [LETTER_JOINER] = {OUTSIDE, AFTER_LETTER, D_, CONNECTORS_ONLY,
                       OUTSIDE, OUTSIDE, OUTSIDE, LETTER_JOINER},
    [DIGIT_JOINER] = {OUTSIDE, L_, AFTER_DIGIT, CONNECTORS_ONLY,
                      OUTSIDE, OUTSIDE, OUTSIDE, DIGIT_JOINER},
};
#undef L_
#undef D_

/* The count so far. */
typedef struct counter {
    uint32_t words;
    unsigned state;         /* an enum state */
    uint32_t ideo_run;      /* characters in the current dictionary run */
    uint32_t southeast_run;
} counter;

static void end_runs(counter *k)
{
    k->words += (k->ideo_run + 1) / 2 + (k->southeast_run + 3) / 4;
    k->ideo_run = k->southeast_run = 0;
}

/* One character that is not ASCII. */
static void step(counter *k, enum char_role role)
{
    if (role == ROLE_IGNORE) return;
    if (role == ROLE_IDEO || role == ROLE_SOUTHEAST) {
        uint32_t *run = role == ROLE_IDEO ? &k->ideo_run : &k->southeast_run;
        uint32_t *other = role == ROLE_IDEO ? &k->southeast_run : &k->ideo_run;
        if (*other) end_runs(k);
        (*run)++;
        k->state = OUTSIDE;
        return;
    }
    if (k->ideo_run || k->southeast_run) end_runs(k);
    unsigned char next = transition[k->state][role];
    k->words += next >> 7;
    k->state = next & 0x7F;
}

/* The state after two ASCII bytes, whatever came before, but for one thing
 * they cannot tell: whether a connector ending them ends a run that is
 * already a word (RUN_IS_WORD). */
static unsigned state_after(unsigned char before_last, unsigned char last, bool run_is_word)
{
    if (ascii_roles[last] == ROLE_CONNECTOR) return run_is_word ? AFTER_CONNECT : CONNECTORS_ONLY;
    unsigned state = transition[OUTSIDE][ascii_roles[before_last]] & 0x7F;
    return transition[state][ascii_roles[last]] & 0x7F;
}

/* WORD_ESTIMATE_SCALAR builds the table-only version, to check one against
 * the other. */
#if defined(__SSE2__) && !defined(WORD_ESTIMATE_SCALAR)
#include <emmintrin.h>

/* Two ASCII bytes that lead to each state, standing in for whatever did. */
static const char context_of[N_STATES][2] = {
    [OUTSIDE] = {' ', ' '}, [AFTER_LETTER] = {' ', 'a'}, [AFTER_DIGIT] = {' ', '0'},
    [AFTER_CONNECT] = {'a', '_'}, [CONNECTORS_ONLY] = {' ', '_'},
    [LETTER_JOINER] = {'a', '.'}, [DIGIT_JOINER] = {'0', ','},
};

/* Bit I set where byte I of the 16 at X lies in [LO, HI] (ASCII only). */
static inline unsigned in_range(__m128i x, char lo, char hi)
{
    __m128i above = _mm_cmpgt_epi8(x, _mm_set1_epi8((char)(lo - 1)));
    __m128i below = _mm_cmplt_epi8(x, _mm_set1_epi8((char)(hi + 1)));
    return (unsigned)_mm_movemask_epi8(_mm_and_si128(above, below));
}

static inline unsigned equal_to(__m128i x, char c)
{
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(c)));
}

/* Bits set in a 16-bit mask (without relying on a POPCNT instruction, which
 * the baseline x86-64 target lacks and GCC then calls a library routine for). */
static inline unsigned popcount16(unsigned x)
{
    x = x - ((x >> 1) & 0x5555);
    x = (x & 0x3333) + ((x >> 2) & 0x3333);
    x = (x + (x >> 4)) & 0x0F0F;
    return (x + (x >> 8)) & 0x1F;
}

/* The masks of one block of 16 ASCII bytes. */
typedef struct block_masks {
    unsigned letter, digit, connector, joiner, num_joiner;
} block_masks;

static block_masks classify(__m128i x)
{
    block_masks m;
    m.letter = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z') | equal_to(x, '@');
    m.digit = in_range(x, '0', '9');
    m.connector = equal_to(x, '_');
    m.joiner = equal_to(x, '.') | equal_to(x, '\'');
    m.num_joiner = equal_to(x, ',') | equal_to(x, ';');
    return m;
}

/* Where a run of letters, digits and connectors becomes a word: at its first
 * letter or digit, or at its second connector in a row (ICU takes "__" for a
 * word, "_" not). CONNECTOR_CARRY: the byte before the block is a connector. */
static unsigned word_triggers(const block_masks *m, unsigned connector_carry)
{
    return m->letter | m->digit | (m->connector & ((m->connector << 1) | connector_carry));
}

/* Bit I set where byte I lies in a run that is a word by then: a trigger
 * stands at or before it in the same run; CARRY: so did the byte before the
 * block. Doubling steps spread each trigger along its run. */
static unsigned run_is_word(const block_masks *m, unsigned triggers, unsigned carry)
{
    unsigned run = m->letter | m->digit | m->connector;
    unsigned seen = triggers | (carry & run & 1);
    for (unsigned step = 1; step < 16; step <<= 1) {
        seen |= (seen << step) & run;
        run &= run << step;
    }
    return seen & 0xFFFF;
}

/* Count the word starts in whole 16-byte blocks of ASCII from *I on, as the
 * transition table would, 16 bytes at a time: a word starts where a run of
 * letters, digits and connectors becomes one (word_triggers), unless a joiner
 * between two letters or two digits joins it to the word before. */
static void ascii_blocks(counter *k, const char *text, size_t *i, size_t end)
{
    size_t at = *i;
    if (end - at < 16) return;
    /* Bit 0: the byte before the block, bit 1 (letters, digits): the one before that. */
    const char *context = context_of[k->state];
    block_masks carry = classify(_mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                               context[0], context[1]));
    unsigned seen_carry = run_is_word(&carry, word_triggers(&carry, 0), 0) >> 15;
    unsigned connector_carry = carry.connector >> 15;
    unsigned letter_carry = carry.letter >> 14, digit_carry = carry.digit >> 14;
    unsigned joiner_carry = carry.joiner >> 15, num_joiner_carry = carry.num_joiner >> 15;
    uint32_t words = k->words;
    for (; end - at >= 16; at += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(text + at));
        if (_mm_movemask_epi8(x) != 0) break; /* not all ASCII */
        block_masks m = classify(x);
        unsigned triggers = word_triggers(&m, connector_carry);
        unsigned seen = run_is_word(&m, triggers, seen_carry);
        unsigned starts = triggers & ~((seen << 1) | seen_carry);
        unsigned joiner_before = (m.joiner << 1) | joiner_carry;
        unsigned num_joiner_before = (m.num_joiner << 1) | num_joiner_carry;
        unsigned joined = (m.letter & joiner_before & ((m.letter << 2) | letter_carry)) |
                          (m.digit & (joiner_before | num_joiner_before) &
                           ((m.digit << 2) | digit_carry));
        words += popcount16(starts & ~joined & 0xFFFF);
        seen_carry = seen >> 15;
        connector_carry = m.connector >> 15;
        letter_carry = m.letter >> 14;
        digit_carry = m.digit >> 14;
        joiner_carry = m.joiner >> 15;
        num_joiner_carry = m.num_joiner >> 15;
    }
    if (at != *i) {
        k->state = state_after((unsigned char)text[at - 2], (unsigned char)text[at - 1],
                               seen_carry);
        k->words = words;
        *i = at;
    }
}
#else
static void ascii_blocks(counter *k, const char *text, size_t *i, size_t end)
{
    (void)k, (void)text, (void)i, (void)end;
}
#endif

/* A stretch of ASCII from *I on: no dictionary runs, no ignorable characters. */
static void ascii_steps(counter *k, const char *text, size_t *i, size_t end)
{
    if (k->ideo_run || k->southeast_run) end_runs(k);
    ascii_blocks(k, text, i, end);
    unsigned state = k->state;
    uint32_t words = k->words;
    size_t at = *i;
    unsigned char byte;
    while (at < end && (byte = (unsigned char)text[at]) < 0x80) {
        unsigned char next = transition[state][ascii_roles[byte]];
        words += next >> 7;
        state = next & 0x7F;
        at++;
    }
    k->state = state;
    k->words = words;
    *i = at;
}

uint32_t estimate_words(const char *text, size_t start, size_t end)
{
    counter k = {.state = OUTSIDE};
    size_t i = start;
    while (i < end) {
        if ((unsigned char)text[i] < 0x80) {
            ascii_steps(&k, text, &i, end);
            continue;
        }
        UChar32 c;
        U8_NEXT(text, i, end, c);
        step(&k, role_of(c));
    }
    end_runs(&k);
    return k.words;
}
