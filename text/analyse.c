/* analyse.c — segment UTF-8 text with ICU's word break iterator, normalise and
 * stem each token, and add CJK character bigrams and unigrams.
 *
 * Every byte of every indexed file passes here, so: pure ASCII text (most
 * documents) is segmented by a small scanner that finds exactly the words ICU
 * would (ascii_words.c), as ICU's iterator took most of the time; other text
 * goes through one word break iterator per analyser, re-pointed at each text
 * through a reused UText, and ICU is asked for a segment's rule status only
 * when its first and last bytes cannot tell (ASCII space and punctuation are
 * never words, an ASCII word's class follows from its last byte); the forms
 * of a token come from a per-analyser cache keyed by its raw bytes, and only
 * a miss normalises and stems; the cache memory a word needs is requested two
 * words before it is looked up. No allocation happens per token.
 */
#include "text/analyse.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "text/analyse_internal.h"
#include "text/ascii_words_internal.h"

/* What a word segment is, by ICU's rule status; part of the cache key. */
enum token_class {
    CLASS_LETTERS = 1, /* stemmed, may carry an elision */
    CLASS_NUMBER = 2,  /* ICU's number status: "38.101", "1,000", also "x86", "v2.0" */
    CLASS_IDEO = 3,    /* kana and ideographs, segmented by ICU's dictionary */
    CLASS_CJK_UNIT = 4 /* one CJK character (and its marks), for n-grams */
};

/* ---------------------------------------------------------- the analyser */

static char *copy_message(const char *text)
{
    return text ? strdup(text) : NULL;
}

text_status text_analyser_new(const text_config *config, text_analyser **analyser,
                              char **message)
{
    *analyser = NULL;
    if (message) *message = NULL;
    text_status status = text_config_validate(config, message);
    if (status != TEXT_OK) return status;

    text_analyser *a = calloc(1, sizeof *a);
    if (!a) return TEXT_NO_MEMORY;
    a->config = *config;
    a->cache = term_cache_new();
    if (!a->cache) status = TEXT_NO_MEMORY;
    if (status == TEXT_OK && strcmp(config->language, "none") != 0) {
        shim_status shim = shim_stemmer_new(config->language, &a->stemmer);
        if (shim != SHIM_OK) {
            status = shim == SHIM_NO_MEMORY ? TEXT_NO_MEMORY : TEXT_INVALID_ARGUMENT;
            if (message) *message = copy_message(shim_status_string(shim));
        }
    }
    /* English is the one stemmer known to keep first letters: its rules
     * change a word's ending only, but for an apostrophe at its start (and
     * none of kdoc's 237,000 distinct words changes its first byte). */
    a->stemmer_keeps_first =
        strcmp(config->language, "english") == 0 || strcmp(config->language, "en") == 0;
    /* ICU's normalisers and word iterator wait for the first text that is
     * not pure ASCII: a query often never needs them. */
    normaliser_init(&a->norm, config->fold_accents);
    if (status != TEXT_OK) {
        text_analyser_free(a);
        return status;
    }
    *analyser = a;
    return TEXT_OK;
}

void text_analyser_free(text_analyser *analyser)
{
    if (!analyser) return;
    if (analyser->words) ubrk_close(analyser->words);
    if (analyser->sentences) ubrk_close(analyser->sentences);
    if (analyser->cut_words) ubrk_close(analyser->cut_words);
    /* Not even a call into ICU when it was never used: its code would be
     * paged in for nothing (a query process often analyses ASCII only). */
    if (analyser->text) utext_close(analyser->text);
    if (analyser->cut_text) utext_close(analyser->cut_text);
    term_cache_free(analyser->cache);
    shim_stemmer_free(analyser->stemmer);
    free(analyser);
}

const text_config *text_analyser_config(const text_analyser *analyser)
{
    return &analyser->config;
}

/* ----------------------------------------------------------------- CJK */

bool text_is_cjk_codepoint(uint32_t c)
{
    if (c < 0x1100) return false;
    /* The common blocks first: unified ideographs, kana, Hangul syllables. */
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3041 && c <= 0x3096) ||
        (c >= 0x30A1 && c <= 0x30FA) || (c >= 0xAC00 && c <= 0xD7A3))
        return true;
    /* Letters of Japanese words that Unicode files under Common: the
     * prolonged sound marks (full and half width) and the iteration marks. */
    if (c == 0x30FC || c == 0xFF70 || c == 0x3005 || c == 0x3006 || c == 0x303B) return true;
    UErrorCode error = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript((UChar32)c, &error);
    return U_SUCCESS(error) && (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA ||
                                script == USCRIPT_KATAKANA || script == USCRIPT_HANGUL);
}

/* Marks that belong to the CJK character before them: kana voicing marks
 * (combining and half-width), variation selectors (ideographic variants),
 * and the vowel and final consonant jamo that follow a leading consonant in
 * decomposed (NFD) Hangul, so that a decomposed syllable is one character
 * as its composed form is. */
static bool is_cjk_extender(UChar32 c)
{
    return c == 0x3099 || c == 0x309A || c == 0xFF9E || c == 0xFF9F ||
           (c >= 0x1160 && c <= 0x11FF) || (c >= 0xD7B0 && c <= 0xD7FB) ||
           (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

/* True if the LEN bytes at S hold a character that yields CJK n-grams. */
static bool has_cjk(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0xE1) {
            i++;
            continue;
        }
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c >= 0 && text_is_cjk_codepoint((uint32_t)c)) return true;
    }
    return false;
}

/* ------------------------------------------------------------ the forms */

/* Stem TERM into OUT; without a stemmer, or if stemming fails, the stem is
 * the term itself. */
static const char *stem_of(text_analyser *a, const char *term, size_t term_len, char *out,
                           size_t *stem_len)
{
    size_t len = 0;
    if (a->stemmer && shim_stemmer_stem(a->stemmer, term, term_len, out, ANALYSER_STEM_MAX,
                                        &len) == SHIM_OK && len > 0) {
        *stem_len = len;
        return out;
    }
    *stem_len = term_len;
    return term;
}

void text_analyser_stem_none(text_analyser *analyser)
{
    analyser->stem_limited = true;
    analyser->stem_any = false;
    memset(analyser->stem_first, 0, sizeof analyser->stem_first);
}

void text_analyser_stem_also(text_analyser *analyser, const char *stem, size_t len)
{
    if (len == 0) return;
    unsigned char first = (unsigned char)stem[0];
    analyser->stem_first[first >> 6] |= (uint64_t)1 << (first & 63);
    analyser->stem_any = true;
}

void text_analyser_stem_all(text_analyser *analyser)
{
    analyser->stem_limited = false;
}

/* Is the stem of TERM wanted (see text_analyser_stem_none)? */
static bool stem_wanted(const text_analyser *a, const char *term)
{
    if (!a->stem_limited || !a->stemmer) return true;
    if (!a->stemmer_keeps_first) return a->stem_any;
    unsigned char first = (unsigned char)term[0];
    return first == '\'' || (a->stem_first[first >> 6] >> (first & 63) & 1);
}

/* Normalise and stem RAW (a cache miss) into the analyser's scratch space.
 * False when a stem was left out (stem_wanted): such forms are not to be
 * cached. */
static bool compute_forms(text_analyser *a, const char *raw, size_t raw_len, unsigned cls,
                          term_forms *f)
{
    *f = (term_forms){.term = a->term, .variant = "", .variant_stem = ""};
    f->term_len = normalise_token(&a->norm, raw, raw_len, a->term);
    if (f->term_len == 0) {
        a->term[0] = '\0';
        f->stem = a->term;
        return true;
    }
    f->has_cjk = cls == CLASS_IDEO || (cls == CLASS_LETTERS && has_cjk(raw, raw_len));
    bool stemmed = cls == CLASS_LETTERS && !f->has_cjk;
    f->stem = a->term;
    f->stem_len = f->term_len;
    bool complete = true;
    if (stemmed && stem_wanted(a, a->term))
        f->stem = stem_of(a, a->term, f->term_len, a->stem, &f->stem_len);
    else if (stemmed)
        complete = false;
    size_t elision = stemmed ? elision_length(a->term, f->term_len) : 0;
    if (elision) {
        f->variant = f->variant_stem = a->term + elision;
        f->variant_len = f->variant_stem_len = f->term_len - elision;
        if (stem_wanted(a, f->variant))
            f->variant_stem = stem_of(a, f->variant, f->variant_len, a->variant_stem,
                                      &f->variant_stem_len);
        else
            complete = false;
    }
    return complete;
}

/* The forms of a token the cache does not know (see token_forms). Apart, so
 * that the lookup stays inlined where tokens are reported. */
static void new_token_forms(text_analyser *a, const char *raw, size_t raw_len, unsigned cls,
                            uint64_t hash, term_forms *f)
{
    if (compute_forms(a, raw, raw_len, cls, f))
        term_cache_add(a->cache, hash, raw, raw_len, cls, f);
}

/* The forms of the token RAW of class CLS (HASH from term_cache_hash), from
 * the cache when possible. Valid until the next call. */
static void token_forms(text_analyser *a, const char *raw, size_t raw_len, unsigned cls,
                        uint64_t hash, term_forms *f)
{
    if (!term_cache_find(a->cache, hash, raw, raw_len, cls, f))
        new_token_forms(a, raw, raw_len, cls, hash, f);
}

/* ------------------------------------------------------------ reporting */

/* Where tokens go, and whether the callback has asked to stop. */
typedef struct report {
    text_token_fn fn;
    void *context;
    bool stopped;
} report;

static void emit(report *r, const text_token *token)
{
    if (!r->stopped && r->fn(r->context, token) != 0) r->stopped = true;
}

/* The CJK run being turned into n-grams: characters are adjacent when one
 * ends where the next starts, and a gap moves the position on by one more, so
 * n-grams on either side of punctuation never form a phrase. */
typedef struct cjk_run {
    uint32_t next_position;
    bool have_previous;
    size_t previous_start, previous_end;
    char previous[TEXT_MAX_TOKEN_BYTES + 1]; /* the previous character, normalised */
    size_t previous_len;
    char ngram[2 * TEXT_MAX_TOKEN_BYTES + 1];
} cjk_run;

/* The normalised form of the CJK character [START, END): itself for the
 * common blocks (NFKC_Casefold leaves them alone), else from the cache. */
static void cjk_unit_form(text_analyser *a, const char *text, size_t start, size_t end,
                          UChar32 first, term_forms *f)
{
    bool plain = end - start == 3 &&
                 ((first >= 0x4E00 && first <= 0x9FFF) || (first >= 0x3041 && first <= 0x3096) ||
                  (first >= 0x30A1 && first <= 0x30FA) || (first >= 0xAC00 && first <= 0xD7A3));
    if (!plain) {
        const char *raw = text + start;
        size_t len = end - start;
        token_forms(a, raw, len, CLASS_CJK_UNIT, term_cache_hash(raw, len, CLASS_CJK_UNIT), f);
        return;
    }
    memcpy(a->term, text + start, 3);
    a->term[3] = '\0';
    *f = (term_forms){.term = a->term, .term_len = 3};
}

/* Report one CJK character: the bigram it ends (when adjacent to the one
 * before) and its unigram. */
static void emit_cjk_unit(cjk_run *run, const term_forms *f, size_t start, size_t end,
                          report *r)
{
    text_token token = {.kind = TEXT_TOKEN_CJK_BIGRAM};
    if (run->have_previous && run->previous_end == start) {
        memcpy(run->ngram, run->previous, run->previous_len);
        memcpy(run->ngram + run->previous_len, f->term, f->term_len + 1);
        token.term = token.stem = run->ngram;
        token.term_len = token.stem_len = run->previous_len + f->term_len;
        token.position = run->next_position - 1;
        token.start = run->previous_start;
        token.end = end;
        emit(r, &token);
    } else if (run->have_previous) {
        run->next_position++;
    }
    memcpy(run->previous, f->term, f->term_len + 1);
    run->previous_len = f->term_len;
    run->previous_start = start;
    run->previous_end = end;
    run->have_previous = true;

    token.kind = TEXT_TOKEN_CJK_UNIGRAM;
    token.term = token.stem = run->previous;
    token.term_len = token.stem_len = f->term_len;
    token.position = run->next_position++;
    token.start = start;
    token.end = end;
    emit(r, &token);
}

/* Report the n-grams of the CJK characters in the word [START, END). */
static void emit_cjk_ngrams(text_analyser *a, const char *text, size_t start, size_t end,
                            cjk_run *run, report *r)
{
    size_t i = start;
    while (i < end && !r->stopped) {
        size_t unit_start = i;
        UChar32 c;
        U8_NEXT(text, i, end, c);
        if (c < 0 || !text_is_cjk_codepoint((uint32_t)c)) continue;
        for (size_t j = i; j < end; i = j) {
            UChar32 mark;
            U8_NEXT(text, j, end, mark);
            if (!is_cjk_extender(mark)) break;
        }
        term_forms f;
        cjk_unit_form(a, text, unit_start, i, c, &f);
        if (f.term_len > 0) emit_cjk_unit(run, &f, unit_start, i, r);
    }
}

/* A word found by ICU, waiting to be reported. */
typedef struct word {
    size_t start, end;
    unsigned cls;
    uint32_t position;
    uint64_t hash;
} word;

/* Report word W: the token, its elision-free variant and its CJK n-grams. */
static void emit_word(text_analyser *a, const char *text, const word *w, cjk_run *run,
                      report *r)
{
    term_forms f;
    token_forms(a, text + w->start, w->end - w->start, w->cls, w->hash, &f);
    if (f.term_len == 0) return;
    text_token token;
    token.kind = w->cls == CLASS_NUMBER ? TEXT_TOKEN_NUMBER : TEXT_TOKEN_WORD;
    token.term = f.term;
    token.term_len = f.term_len;
    token.stem = f.stem;
    token.stem_len = f.stem_len;
    token.position = w->position;
    token.start = w->start;
    token.end = w->end;
    token.variant = false;
    emit(r, &token);
    if (f.variant_len > 0) {
        token.term = f.variant;
        token.term_len = f.variant_len;
        token.stem = f.variant_stem;
        token.stem_len = f.variant_stem_len;
        token.variant = true;
        emit(r, &token);
    }
    if (f.has_cjk) emit_cjk_ngrams(a, text, w->start, w->end, run, r);
}

/* Words are reported two words after ICU finds them. Meanwhile the cache
 * memory their lookup reads first is requested (term_cache_prefetch), so that
 * the lookup finds it at hand instead of stalling: without this, waiting for
 * that memory took most of the analyser's own time. */
enum { LOOKAHEAD = 2, RING = 4 };

typedef struct pipeline {
    word words[RING];       /* a ring, indexed modulo RING */
    unsigned oldest, next;  /* counting up */
} pipeline;

static void pipeline_push(text_analyser *a, const char *text, pipeline *p, const word *w,
                          cjk_run *run, report *r)
{
    word *slot = &p->words[p->next++ % RING];
    *slot = *w;
    slot->hash = term_cache_hash(text + w->start, w->end - w->start, w->cls);
    term_cache_prefetch(a->cache, slot->hash);
    if (p->next - p->oldest > LOOKAHEAD)
        emit_word(a, text, &p->words[p->oldest++ % RING], run, r);
}

static void pipeline_drain(text_analyser *a, const char *text, pipeline *p, cjk_run *run,
                           report *r)
{
    while (p->oldest != p->next && !r->stopped)
        emit_word(a, text, &p->words[p->oldest++ % RING], run, r);
}

/* ------------------------------------------------------------ segmenting */

/* A segment that starts with an ASCII byte is a word only when that byte's
 * role joins (a letter, a digit, '_' or '@': see ascii_words_internal.h);
 * otherwise it is space or punctuation.
 *
 * The class of a word segment that starts and ends with ASCII, by the role
 * of its last byte, as ICU's rules give it (they end a word on a number rule
 * when its last character is a digit, on a letter rule when it is a letter or
 * '@'); 0 when only ICU can tell (a segment ending in '_'). This saves asking
 * ICU for the rule status of most words; checked against ICU on whole corpora. */
static const unsigned char class_by_ascii_role[ASCII_MID_NUMBER + 1] = {
    [ASCII_LETTER] = CLASS_LETTERS,
    [ASCII_DIGIT] = CLASS_NUMBER,
};

/* The class of a word segment by ICU's rule status; 0 for space and punctuation. */
static unsigned class_of(int32_t status)
{
    if (status < UBRK_WORD_NONE_LIMIT) return 0;
    if (status < UBRK_WORD_NUMBER_LIMIT) return CLASS_NUMBER;
    if (status < UBRK_WORD_LETTER_LIMIT) return CLASS_LETTERS;
    return CLASS_IDEO; /* UBRK_WORD_KANA and UBRK_WORD_IDEO */
}

/* Point the word iterator at TEXT (or, with LEN 0, at nothing, so that it
 * never holds on to a caller's buffer). */
static bool point_iterator(text_analyser *a, const char *text, size_t len)
{
    UErrorCode error = U_ZERO_ERROR;
    if (!a->words) {
        a->words = ubrk_open(UBRK_WORD, "", NULL, 0, &error);
        if (U_FAILURE(error)) {
            if (a->words) ubrk_close(a->words);
            a->words = NULL;
            return false;
        }
    }
    a->text = utext_openUTF8(a->text, len ? text : "", (int64_t)len, &error);
    ubrk_setUText(a->words, a->text, &error);
    return U_SUCCESS(error);
}

/* Segment TEXT with ICU's word iterator and push its words, numbered from
 * *POSITION on. */
static bool push_icu_words(text_analyser *a, const char *text, size_t len, uint32_t *position,
                           pipeline *pending, cjk_run *run, report *r)
{
    if (!point_iterator(a, text, len)) return false;
    int32_t start = ubrk_first(a->words);
    for (int32_t end = ubrk_next(a->words); end != UBRK_DONE && !r->stopped;
         start = end, end = ubrk_next(a->words)) {
        unsigned char first = (unsigned char)text[start], last = (unsigned char)text[end - 1];
        if (first < 0x80 && !ascii_role_joins(ascii_roles[first])) continue;
        unsigned cls = first < 0x80 && last < 0x80 ? class_by_ascii_role[ascii_roles[last]] : 0;
        if (cls == 0) cls = class_of(ubrk_getRuleStatus(a->words));
        if (cls == 0) continue;
        /* A skipped (over-long) token keeps its position, so that a phrase
         * never matches across it. */
        word w = {(size_t)start, (size_t)end, cls, (*position)++, 0};
        pipeline_push(a, text, pending, &w, run, r);
    }
    point_iterator(a, NULL, 0);
    return true;
}

/* Push the words of the pure ASCII TEXT, found by the scanner that gives
 * ICU's segments and classes without ICU (ascii_words.c). */
static void push_ascii_words(text_analyser *a, const char *text, size_t len,
                             uint32_t *position, pipeline *pending, cjk_run *run, report *r)
{
    size_t from = 0;
    ascii_word found;
    while (!r->stopped && ascii_next_word(text, len, &from, &found)) {
        unsigned cls = found.kind == ASCII_WORD_NUMBER ? CLASS_NUMBER : CLASS_LETTERS;
        word w = {found.start, found.end, cls, (*position)++, 0};
        pipeline_push(a, text, pending, &w, run, r);
    }
}

void text_analyser_force_icu(text_analyser *analyser, bool force)
{
    analyser->force_icu = force;
}

text_status text_analyse(text_analyser *analyser, const char *text, size_t len,
                         uint32_t first_position, text_token_fn fn, void *context,
                         uint32_t *next_position)
{
    text_analyser *a = analyser;
    uint32_t position = first_position ? first_position : 1;
    if (next_position) *next_position = position;
    if (len == 0) return TEXT_OK;
    if (len > INT32_MAX) return TEXT_INVALID_ARGUMENT; /* ICU's break indices are 32-bit */

    report r = {.fn = fn, .context = context};
    cjk_run run = {.next_position = 1};
    pipeline pending = {.oldest = 0, .next = 0};
    if (!a->force_icu && ascii_only(text, len))
        push_ascii_words(a, text, len, &position, &pending, &run, &r);
    else if (!push_icu_words(a, text, len, &position, &pending, &run, &r))
        return TEXT_ICU_ERROR;
    pipeline_drain(a, text, &pending, &run, &r);
    if (next_position) *next_position = position;
    return r.stopped ? TEXT_STOPPED : TEXT_OK;
}

/* ------------------------------------------------------ single words */

size_t text_normalise_word(text_analyser *analyser, const char *word, size_t len, char *out,
                           size_t out_size)
{
    size_t n = normalise_token(&analyser->norm, word, len, analyser->term);
    if (n == 0 || n + 1 > out_size) return 0;
    memcpy(out, analyser->term, n + 1);
    return n;
}

bool text_token_matches(const text_token *token, const char *term, size_t term_len,
                        bool stemmed)
{
    if (stemmed) return token->stem_len == term_len && memcmp(token->stem, term, term_len) == 0;
    return token->term_len == term_len && memcmp(token->term, term, term_len) == 0;
}
