/* analyse_internal.h — the analyser's insides, shared by analyse.c and
 * passages.c (private to text/).
 */
#ifndef KENSAKU_TEXT_ANALYSE_INTERNAL_H
#define KENSAKU_TEXT_ANALYSE_INTERNAL_H

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "shim/shim.h"
#include "text/analyse.h"
#include "text/normalise_internal.h"
#include "text/term_cache_internal.h"

/* Room for a stem: Snowball stems are no longer than their word but for a
 * few bytes of respelling. */
#define ANALYSER_STEM_MAX (2 * TEXT_MAX_TOKEN_BYTES + 8)

struct text_analyser {
    text_config config;
    shim_stemmer *stemmer;         /* NULL when the language is "none" */
    term_cache *cache;             /* raw token bytes -> forms */
    normaliser norm;
    /* Word analysis: one iterator, re-pointed at each text through one UText;
     * pure ASCII text is segmented without it (ascii_words.c) unless
     * FORCE_ICU is set. */
    UBreakIterator *words;
    UText *text;
    bool force_icu;
    /* Stemming limited to the words whose stems may matter to the caller
     * (text_analyser_stem_none): those starting with a byte of STEM_FIRST
     * when the stemmer keeps first letters, otherwise any word once STEM_ANY. */
    bool stem_limited;
    bool stem_any;
    bool stemmer_keeps_first;      /* the stem of a word begins with its first letter */
    uint64_t stem_first[4];        /* a bit per byte value */
    /* Forms of a token that the cache could not keep. */
    char term[TEXT_MAX_TOKEN_BYTES + 1];
    char stem[ANALYSER_STEM_MAX];
    char variant_stem[ANALYSER_STEM_MAX];
    /* Passage splitting (passages.c): its own iterators, so that a passage
     * callback may analyse text while the splitter is still at work. */
    UBreakIterator *sentences;
    UBreakIterator *cut_words;
    UText *cut_text;
};

/* Segment every text with ICU's word iterator (FORCE true), or let pure ASCII
 * text take the scanner that gives the same words faster (false, the
 * default). For the tests, which compare the two. */
void text_analyser_force_icu(text_analyser *analyser, bool force);

#endif
