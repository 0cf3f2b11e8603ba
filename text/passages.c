/* passages.c — cut a text into paragraph-sized passages.
 *
 * Paragraphs are found by scanning for blank lines and form feeds, and sized
 * with a word estimate from one scan of their bytes (word_estimate.c), not
 * with a second run of the word iterator: the indexer runs that over every
 * passage anyway. Small paragraphs are merged; a paragraph over the bound is
 * cut into balanced pieces at ICU sentence boundaries, and a sentence over the
 * bound at ICU word boundaries. ICU runs only inside such long paragraphs.
 */
#include "text/passages.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "text/analyse_internal.h"
#include "text/word_estimate_internal.h"

/* A passage holds at most this many bytes per word of its bound (and at
 * least MIN_BYTE_BOUND bytes), so that text without spaces (a base64 blob, a
 * minified file) is cut too. */
enum { BYTES_PER_WORD = 24, MIN_BYTE_BOUND = 4096 };

/* A stretch of text and its words. */
typedef struct span {
    size_t start, end;
    uint32_t words;
} span;

typedef struct splitter {
    text_analyser *a;
    const char *text;
    size_t len;
    uint32_t min_words, max_words;
    size_t max_bytes;
    size_t window;            /* bytes the sentence iterator sees at once (> max_bytes) */
    char *flat;               /* a window with line breaks made spaces, for sentences */
    text_passage_fn fn;
    void *context;
    text_status status;       /* TEXT_OK until the callback stops or ICU fails */
    uint32_t ordinal;
    size_t line_offset;       /* LINE is the line number of byte LINE_OFFSET */
    uint32_t line;
    bool has_pending;         /* whole small paragraphs gathered, not yet a passage */
    span pending;
    bool has_held;            /* the last passage made, reported once the next is known */
    span held;
} splitter;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static size_t skip_space(const char *text, size_t start, size_t end)
{
    while (start < end && is_space(text[start])) start++;
    return start;
}

static size_t trim_end(const char *text, size_t start, size_t end)
{
    while (end > start && is_space(text[end - 1])) end--;
    return end;
}

/* The nearest code point boundary at or before POS (and not before LOW). */
static size_t code_point_floor(const splitter *s, size_t low, size_t pos)
{
    while (pos > low && pos < s->len && ((unsigned char)s->text[pos] & 0xC0) == 0x80) pos--;
    return pos;
}

/* ---------------------------------------------------------- reporting */

/* The 1-based line number of byte OFFSET; asked in increasing order. */
static uint32_t line_at(splitter *s, size_t offset)
{
    const char *p = s->text + s->line_offset, *end = s->text + offset;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        s->line++;
        p++;
    }
    s->line_offset = offset;
    return s->line;
}

static void report(splitter *s, const span *passage)
{
    if (s->status != TEXT_OK) return;
    text_passage p = {
        .ordinal = ++s->ordinal,
        .start = passage->start,
        .end = passage->end,
        .first_line = line_at(s, passage->start),
        .words = passage->words,
    };
    if (s->fn(s->context, &p) != 0) s->status = TEXT_STOPPED;
}

/* A passage is made: report the one held before it and hold this one, so
 * that a small remainder at the end of the text can still join it. */
static void make_passage(splitter *s, size_t start, size_t end, uint32_t words)
{
    end = trim_end(s->text, start, end);
    start = skip_space(s->text, start, end);
    if (start >= end) return;
    if (s->has_held) report(s, &s->held);
    s->held = (span){start, end, words};
    s->has_held = true;
}

static void flush_pending(splitter *s)
{
    if (!s->has_pending) return;
    s->has_pending = false;
    make_passage(s, s->pending.start, s->pending.end, s->pending.words);
}

static void finish(splitter *s)
{
    if (s->has_pending) {
        span *p = &s->pending;
        if (s->has_held && p->words < s->min_words &&
            s->held.words + p->words <= s->max_words && p->end - s->held.start <= s->max_bytes) {
            s->held.end = trim_end(s->text, p->start, p->end);
            s->held.words += p->words;
            s->has_pending = false;
        }
        flush_pending(s);
    }
    if (s->has_held) report(s, &s->held);
    s->has_held = false;
}

/* ------------------------------------------------------ long paragraphs */

/* Point ITERATOR at [START, END) of BYTES through *UT. */
static bool point(splitter *s, UBreakIterator *iterator, UText **ut, const char *bytes,
                  size_t len)
{
    UErrorCode error = U_ZERO_ERROR;
    *ut = utext_openUTF8(*ut, len ? bytes : "", (int64_t)len, &error);
    ubrk_setUText(iterator, *ut, &error);
    if (U_FAILURE(error)) s->status = TEXT_ICU_ERROR;
    return U_SUCCESS(error);
}

static bool open_iterators(splitter *s)
{
    UErrorCode error = U_ZERO_ERROR;
    if (!s->a->sentences) s->a->sentences = ubrk_open(UBRK_SENTENCE, "", NULL, 0, &error);
    if (!s->a->cut_words) s->a->cut_words = ubrk_open(UBRK_WORD, "", NULL, 0, &error);
    if (!s->flat) s->flat = malloc(s->window);
    if (U_FAILURE(error)) s->status = TEXT_ICU_ERROR;
    else if (!s->flat) s->status = TEXT_NO_MEMORY;
    return s->status == TEXT_OK;
}

/* Where to cut inside a single segment longer than the byte bound (a blob
 * without spaces): the last code point boundary at or before LIMIT that does
 * not separate a character from its combining marks. */
static size_t forced_cut(const splitter *s, size_t start, size_t limit, size_t end)
{
    for (size_t i = code_point_floor(s, start, limit); i > start;
         i = code_point_floor(s, start, i - 1)) {
        size_t j = i;
        UChar32 c;
        U8_NEXT(s->text, j, end, c);
        int gcb = u_getIntPropertyValue(c, UCHAR_GRAPHEME_CLUSTER_BREAK);
        if (c < 0 || (gcb != U_GCB_EXTEND && gcb != U_GCB_ZWJ && gcb != U_GCB_SPACING_MARK))
            return i;
    }
    return code_point_floor(s, start, limit) > start ? code_point_floor(s, start, limit) : end;
}

/* The sentence [START, END) alone is over the bound: cut it at the last word
 * boundary that keeps the piece within max_words and max_bytes. Fills CHUNK
 * (which starts at START) and returns the cut. */
static size_t cut_sentence(splitter *s, span *chunk, size_t start, size_t end)
{
    size_t limit = end - start > s->max_bytes ? code_point_floor(s, start, start + s->max_bytes)
                                              : end;
    size_t best = start;
    uint32_t words = 0, best_words = 0;
    if (!point(s, s->a->cut_words, &s->a->cut_text, s->text + start, limit - start)) return end;
    ubrk_first(s->a->cut_words);
    for (int32_t b = ubrk_next(s->a->cut_words); b != UBRK_DONE; b = ubrk_next(s->a->cut_words)) {
        bool is_word = ubrk_getRuleStatus(s->a->cut_words) >= UBRK_WORD_NONE_LIMIT;
        if (is_word && words == s->max_words) break;
        if (start + (size_t)b == limit && limit < end) break; /* the window's edge, not a word's */
        words += is_word;
        best = start + (size_t)b;
        best_words = words;
    }
    if (best == start) {
        best = forced_cut(s, start, limit, end);
        best_words = estimate_words(s->text, start, best);
    }
    chunk->end = best;
    chunk->words = best_words;
    return best;
}

/* Point the sentence iterator at [FROM, END), as much of it as the window
 * holds, with line breaks made spaces: ICU ends a sentence at every line
 * break, and hard-wrapped paragraphs have one every line. */
static bool point_sentences(splitter *s, size_t from, size_t end)
{
    size_t window_end = end - from > s->window ? code_point_floor(s, from, from + s->window) : end;
    size_t n = window_end - from;
    memcpy(s->flat, s->text + from, n);
    for (size_t i = 0; i < n; i++)
        if (s->flat[i] == '\n' || s->flat[i] == '\r' || s->flat[i] == '\v') s->flat[i] = ' ';
    return point(s, s->a->sentences, &s->a->cut_text, s->flat, n);
}

/* Grow CHUNK by whole sentences from FROM on, up to the bounds and, beyond
 * TARGET words, no further; returns where the passage ends. */
static size_t next_cut(splitter *s, span *chunk, size_t from, size_t end, uint32_t target)
{
    if (!point_sentences(s, from, end)) return end;
    int32_t a = ubrk_first(s->a->sentences);
    for (int32_t b = ubrk_next(s->a->sentences); b != UBRK_DONE;
         a = b, b = ubrk_next(s->a->sentences)) {
        size_t sentence_start = from + (size_t)a, sentence_end = from + (size_t)b;
        uint32_t words = estimate_words(s->text, sentence_start, sentence_end);
        if (chunk->words + words > s->max_words || sentence_end - chunk->start > s->max_bytes) {
            if (chunk->end > chunk->start) return chunk->end;
            return cut_sentence(s, chunk, sentence_start, end);
        }
        chunk->words += words;
        chunk->end = sentence_end;
        if (chunk->words >= target) return sentence_end;
    }
    return chunk->end > chunk->start ? chunk->end : end;
}

/* Bytes of context on either side of a cut that the word iterator is given
 * to tell whether the cut falls between two words. */
enum { CUT_CONTEXT = 256 };

/* A cut at a sentence boundary, or at a word boundary found in a window that
 * ended there, can still fall inside what the word iterator takes for one
 * word over the whole text: ICU's sentence rules break after a full stop
 * followed by a letter of another script ("e.하", "end.שלום") where its word
 * rules join across it, and a window's edge hides the digit that would join
 * "1," to "000". Move such a cut to the word boundary before it (if that is
 * after LOW) or else after it (if that is not past HIGH), so that no word is
 * split between two passages. */
static size_t word_safe_cut(splitter *s, size_t low, size_t cut, size_t high)
{
    size_t from = cut - low > CUT_CONTEXT ? code_point_floor(s, low, cut - CUT_CONTEXT) : low;
    size_t to = high - cut > CUT_CONTEXT ? code_point_floor(s, cut, cut + CUT_CONTEXT) : high;
    if (!point(s, s->a->cut_words, &s->a->cut_text, s->text + from, to - from)) return cut;
    int32_t at = (int32_t)(cut - from);
    if (ubrk_isBoundary(s->a->cut_words, at)) return cut;
    /* The window's own ends are no word boundaries, unless they are LOW or HIGH. */
    int32_t before = ubrk_preceding(s->a->cut_words, at);
    if (before != UBRK_DONE && before > 0) return from + (size_t)before;
    int32_t after = ubrk_following(s->a->cut_words, at);
    if (after != UBRK_DONE && (from + (size_t)after < to || to == high)) return from + (size_t)after;
    return cut;
}

/* A paragraph over the bound: cut it into pieces of about equal size, the
 * first of which takes in the small paragraphs gathered before it. */
static void split_long_paragraph(splitter *s, size_t start, size_t end, uint32_t words)
{
    if (!open_iterators(s)) return;
    span chunk = {start, start, 0};
    if (s->has_pending) {
        chunk = s->pending;
        words += chunk.words;
        s->has_pending = false;
    }
    size_t from = start;
    while (from < end && s->status == TEXT_OK) {
        uint32_t pieces = (words + s->max_words - 1) / s->max_words;
        uint32_t target = pieces > 1 ? (words + pieces - 1) / pieces : s->max_words;
        size_t cut = next_cut(s, &chunk, from, end, target);
        /* A cut at or before FROM ends the pending paragraphs: a paragraph
         * break, already between two words. */
        if (cut > from && cut < end && s->status == TEXT_OK) cut = word_safe_cut(s, from, cut, end);
        make_passage(s, chunk.start, cut, chunk.words);
        words = words > chunk.words ? words - chunk.words : 0;
        from = skip_space(s->text, cut > from ? cut : from, end);
        chunk = (span){from, from, 0};
    }
    point(s, s->a->sentences, &s->a->cut_text, NULL, 0);
    point(s, s->a->cut_words, &s->a->cut_text, NULL, 0);
}

/* ----------------------------------------------------------- paragraphs */

static void add_paragraph(splitter *s, size_t start, size_t end)
{
    uint32_t words = estimate_words(s->text, start, end);
    if (words > s->max_words || end - start > s->max_bytes) {
        split_long_paragraph(s, start, end, words);
        return;
    }
    span *p = &s->pending;
    if (s->has_pending && (p->words + words > s->max_words || end - p->start > s->max_bytes))
        flush_pending(s);
    if (!s->has_pending) {
        *p = (span){start, end, words};
        s->has_pending = true;
    } else {
        p->end = end;
        p->words += words;
    }
    if (p->words >= s->min_words) flush_pending(s);
}

/* Paragraphs end at blank lines (white space only) and at form feeds. */
static void scan_paragraphs(splitter *s)
{
    const char *t = s->text;
    /* Form feeds are rare: look for them in each line only if there are any. */
    bool any_form_feed = memchr(t, '\f', s->len) != NULL;
    bool in_paragraph = false;
    size_t paragraph_start = 0, paragraph_end = 0;
    for (size_t pos = 0; pos < s->len && s->status == TEXT_OK;) {
        const char *newline = memchr(t + pos, '\n', s->len - pos);
        size_t line_end = newline ? (size_t)(newline - t) : s->len;
        const char *form_feed = any_form_feed ? memchr(t + pos, '\f', line_end - pos) : NULL;
        if (form_feed) line_end = (size_t)(form_feed - t);
        size_t content_end = trim_end(t, pos, line_end);
        bool blank = skip_space(t, pos, content_end) == content_end;
        if (!blank) {
            if (!in_paragraph) paragraph_start = pos;
            in_paragraph = true;
            paragraph_end = content_end;
        }
        if (in_paragraph && (blank || form_feed)) {
            add_paragraph(s, paragraph_start, paragraph_end);
            in_paragraph = false;
        }
        pos = line_end + 1;
    }
    if (in_paragraph && s->status == TEXT_OK) add_paragraph(s, paragraph_start, paragraph_end);
}

text_status text_split_passages(text_analyser *analyser, const char *text, size_t len,
                                text_passage_fn fn, void *context)
{
    const text_config *config = text_analyser_config(analyser);
    splitter s = {
        .a = analyser, .text = text, .len = len,
        .min_words = config->passage_min_words, .max_words = config->passage_max_words,
        .fn = fn, .context = context, .status = TEXT_OK, .line = 1,
    };
    s.max_bytes = (size_t)config->passage_max_words * BYTES_PER_WORD;
    if (s.max_bytes < MIN_BYTE_BOUND) s.max_bytes = MIN_BYTE_BOUND;
    s.window = 2 * s.max_bytes;
    scan_paragraphs(&s);
    if (s.status == TEXT_OK) finish(&s);
    free(s.flat);
    return s.status;
}
