/* snippet.c — choose the window of a passage to show and the spans to
 * highlight in it (see snippet.h).
 *
 * Steps: analyse the passage (a bounded region of it), collecting the token
 * boundaries where a window may start or end and every token that matches a
 * query term; resolve phrases, NEAR groups and CJK runs into match spans;
 * score candidate windows around the matches; copy the best window out with
 * "…" where text was cut and the spans merged.
 */
#include "query/snippet.h"

#include "query/array.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of a passage analysed in one go: a passage is a paragraph, so this
 * is normally all of it; a pathological one (a huge line of symbols between
 * two words) costs no more than this. */
#define ANALYSE_LIMIT (32 * 1024)
/* Tokens looked at in one region, whatever the passage holds. */
#define MAX_TOKENS 8192
/* When nothing matched in the first region of a huge passage: the region
 * analysed around the first place a query term seems to occur. */
#define FALLBACK_RADIUS 2048
/* How far back a region edge looks for white space to start at. */
#define EDGE_LOOKBACK 256
/* Trailing punctuation ("word.", "word),") kept after the last word. */
#define MAX_TRAILING 8
/* Keeps character arithmetic far from overflow. */
#define MAX_CHARS_LIMIT (1u << 30)

static const char ELLIPSIS[] = "\xe2\x80\xa6";
#define ELLIPSIS_LEN (sizeof ELLIPSIS - 1)

typedef struct occurrence {
    uint32_t group, slot;
    uint32_t position;       /* word or CJK character position */
    size_t start, end;       /* byte offsets in the passage */
} occurrence;

typedef struct match {
    size_t start, end;
    uint32_t group;
} match;

typedef struct cut {
    size_t offset;           /* byte offset in the passage */
    bool sentence;           /* starts: a sentence (or the passage) begins here */
} cut;

struct snippet_maker {
    text_analyser *analyser;
    /* the current call */
    const snippet_query *query;
    const char *passage;
    size_t passage_len;
    size_t base;             /* region being analysed: its first byte */
    size_t region_len;
    size_t tokens_seen;
    bool no_memory;
    /* buffers kept from call to call */
    cut *starts;             /* where a window may start, sorted */
    size_t n_starts, cap_starts;
    size_t *ends;            /* where a window may end, sorted */
    size_t n_ends, cap_ends;
    occurrence *occ;
    size_t n_occ, cap_occ;
    match *matches;
    size_t n_matches, cap_matches;
    bool ascii;              /* the region is ASCII: a byte is a code point */
    uint32_t *cp;            /* otherwise cp[i]: code points in [base, base + i) */
    size_t cap_cp;
    uint32_t *counts;        /* per group (scoring) or per slot (NEAR) */
    size_t cap_counts;
    size_t *order;           /* occurrence indices (NEAR) */
    size_t cap_order;
    char *out;
    size_t cap_out;
    size_t *spans;
    size_t n_spans, cap_spans;
};

/* Make room for NEED elements of SIZE bytes in *ARRAY. */
snippet_maker *snippet_maker_new(text_analyser *analyser)
{
    snippet_maker *maker = calloc(1, sizeof *maker);
    if (maker)
        maker->analyser = analyser;
    return maker;
}

void snippet_maker_free(snippet_maker *maker)
{
    if (!maker)
        return;
    free(maker->starts);
    free(maker->ends);
    free(maker->occ);
    free(maker->matches);
    free(maker->cp);
    free(maker->counts);
    free(maker->order);
    free(maker->out);
    free(maker->spans);
    free(maker);
}

/* ------------------------------------------------------------- analysis */

static bool is_cjk_token(const text_token *token)
{
    return token->kind == TEXT_TOKEN_CJK_BIGRAM || token->kind == TEXT_TOKEN_CJK_UNIGRAM;
}

static bool term_matches(const snippet_term *term, const text_token *token)
{
    bool cjk = is_cjk_token(token);
    switch (term->kind) {
    case SNIPPET_CJK:
        return cjk && token->term_len == term->len && memcmp(token->term, term->text, term->len) == 0;
    case SNIPPET_PREFIX:
        return !cjk && token->term_len >= term->len &&
               memcmp(token->term, term->text, term->len) == 0;
    case SNIPPET_STEM:
        return !cjk && text_token_matches(token, term->text, term->len, true);
    case SNIPPET_EXACT:
        return !cjk && text_token_matches(token, term->text, term->len, false);
    }
    return false;
}

static int on_token(void *context, const text_token *token)
{
    snippet_maker *m = context;
    if (++m->tokens_seen > MAX_TOKENS)
        return 1;
    size_t start = m->base + token->start, end = m->base + token->end;
    /* Bigrams overlap their characters, and a variant repeats the token
     * before it: neither adds a boundary. */
    if (!token->variant && token->kind != TEXT_TOKEN_CJK_BIGRAM) {
        if (!array_reserve(&m->starts, &m->cap_starts, m->n_starts + 1, sizeof *m->starts) ||
            !array_reserve(&m->ends, &m->cap_ends, m->n_ends + 1, sizeof *m->ends)) {
            m->no_memory = true;
            return 1;
        }
        m->starts[m->n_starts++] = (cut){start, false};
        m->ends[m->n_ends++] = end;
    }
    const snippet_query *q = m->query;
    for (size_t i = 0; i < q->n_terms; i++) {
        const snippet_term *term = &q->terms[i];
        if (!term_matches(term, token))
            continue;
        if (!array_reserve(&m->occ, &m->cap_occ, m->n_occ + 1, sizeof *m->occ)) {
            m->no_memory = true;
            return 1;
        }
        m->occ[m->n_occ++] = (occurrence){term->group, term->slot, token->position, start, end};
    }
    return 0;
}

static bool is_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_continuation(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* A region edge at or before AT: just after white space if there is some
 * shortly before, else at a code point boundary. *clean says whether the
 * edge is a true word boundary (so tokens touching it are whole). */
static size_t region_edge(const char *text, size_t len, size_t at, bool *clean)
{
    if (at >= len) {
        *clean = true;
        return len;
    }
    if (at == 0) {
        *clean = true;
        return 0;
    }
    for (size_t back = 0; back < EDGE_LOOKBACK && back < at; back++)
        if (is_space_byte(text[at - back - 1])) {
            *clean = true;
            return at - back;
        }
    while (at > 0 && is_continuation(text[at]))
        at--;
    *clean = false;
    return at;
}

/* qsort, skipped when the elements are in order already (the common case:
 * tokens come in text order), and never handed a NULL array. */
static void sort(void *base, size_t n, size_t size, int (*compare)(const void *, const void *))
{
    const char *p = base;
    size_t i = 1;
    while (i < n && compare(p + (i - 1) * size, p + i * size) <= 0)
        i++;
    if (i < n)
        qsort(base, n, size, compare);
}

static int compare_cut(const void *a, const void *b)
{
    size_t x = ((const cut *)a)->offset, y = ((const cut *)b)->offset;
    return (x > y) - (x < y);
}

static int compare_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Sort and deduplicate the boundaries; drop those at an unclean region edge,
 * where a word may have been cut. */
static void tidy_boundaries(snippet_maker *m, bool clean_start, bool clean_end)
{
    sort(m->starts, m->n_starts, sizeof *m->starts, compare_cut);
    sort(m->ends, m->n_ends, sizeof *m->ends, compare_size);
    size_t n = 0;
    for (size_t i = 0; i < m->n_starts; i++) {
        if (n && m->starts[n - 1].offset == m->starts[i].offset)
            continue;
        if (!clean_start && m->starts[i].offset == m->base)
            continue;
        m->starts[n++] = m->starts[i];
    }
    m->n_starts = n;
    n = 0;
    size_t region_end = m->base + m->region_len;
    for (size_t i = 0; i < m->n_ends; i++) {
        if (n && m->ends[n - 1] == m->ends[i])
            continue;
        if (!clean_end && m->ends[i] == region_end)
            continue;
        m->ends[n++] = m->ends[i];
    }
    m->n_ends = n;
}

/* A CJK full stop, exclamation or question mark at P (3 bytes)? */
static bool is_cjk_terminator(const char *p, size_t left)
{
    if (left < 3)
        return false;
    const unsigned char *u = (const unsigned char *)p;
    return (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x82) ||            /* 。 */
           (u[0] == 0xEF && u[1] == 0xBC && (u[2] == 0x81 || u[2] == 0x9F)); /* ！ ？ */
}

/* Does the gap [FROM, TO) between two tokens end a sentence? A terminator
 * followed by white space (closing quotes and brackets may stand between),
 * a CJK full stop, or a blank line. */
static bool gap_ends_sentence(const char *text, size_t from, size_t to)
{
    bool terminator = false;
    int newlines = 0;
    for (size_t i = from; i < to; i++) {
        char c = text[i];
        if (c == '.' || c == '!' || c == '?')
            terminator = true;
        else if (is_space_byte(c)) {
            if (terminator || (c == '\n' && ++newlines >= 2))
                return true;
        } else if (is_cjk_terminator(text + i, to - i))
            return true;
        else if (c != '"' && c != '\'' && c != ')' && c != ']')
            terminator = false;
    }
    return false;
}

/* Flag the starts that begin a sentence. */
static void mark_sentences(snippet_maker *m)
{
    size_t e = 0, prev_end = m->base;
    bool have_prev = false;
    for (size_t i = 0; i < m->n_starts; i++) {
        size_t s = m->starts[i].offset;
        while (e < m->n_ends && m->ends[e] <= s) {
            prev_end = m->ends[e++];
            have_prev = true;
        }
        if (!have_prev)
            m->starts[i].sentence = m->base == 0 || gap_ends_sentence(m->passage, m->base, s);
        else
            m->starts[i].sentence = gap_ends_sentence(m->passage, prev_end, s);
    }
}

/* Code points before each byte of the region, unless it is all ASCII (most
 * passages of most collections: a test the compiler vectorises, where the
 * counts cost a store per byte). */
static bool count_code_points(snippet_maker *m)
{
    const char *text = m->passage + m->base;
    unsigned char high = 0;
    for (size_t i = 0; i < m->region_len; i++)
        high |= (unsigned char)text[i];
    m->ascii = high < 0x80;
    if (m->ascii)
        return true;
    if (!array_reserve(&m->cp, &m->cap_cp, m->region_len + 1, sizeof *m->cp))
        return false;
    uint32_t n = 0;
    for (size_t i = 0; i < m->region_len; i++) {
        m->cp[i] = n;
        n += !is_continuation(text[i]);
    }
    m->cp[m->region_len] = n;
    return true;
}

static uint32_t cp_at(const snippet_maker *m, size_t offset)
{
    return m->ascii ? (uint32_t)(offset - m->base) : m->cp[offset - m->base];
}

/* Analyse [FROM, TO) of the passage. */
static int analyse_region(snippet_maker *m, size_t from, size_t to, bool clean_start,
                          bool clean_end, const char **error)
{
    m->base = from;
    m->region_len = to - from;
    m->tokens_seen = 0;
    m->n_starts = m->n_ends = m->n_occ = m->n_matches = 0;
    /* Tokens are compared with the query's stems only (term_matches): the
     * other words need not be stemmed. */
    text_analyser_stem_none(m->analyser);
    for (size_t i = 0; i < m->query->n_terms; i++)
        if (m->query->terms[i].kind == SNIPPET_STEM)
            text_analyser_stem_also(m->analyser, m->query->terms[i].text, m->query->terms[i].len);
    text_status status = text_analyse(m->analyser, m->passage + from, to - from, 1, on_token,
                                      m, NULL);
    text_analyser_stem_all(m->analyser);
    if (m->no_memory || (status != TEXT_OK && status != TEXT_STOPPED)) {
        *error = m->no_memory ? "out of memory" : text_status_string(status);
        return -1;
    }
    tidy_boundaries(m, clean_start, clean_end);
    mark_sentences(m);
    if (!count_code_points(m)) {
        *error = "out of memory";
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- matches */

static int compare_occurrence(const void *a, const void *b)
{
    const occurrence *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->slot != y->slot)
        return x->slot < y->slot ? -1 : 1;
    if (x->position != y->position)
        return x->position < y->position ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

static bool add_match(snippet_maker *m, size_t start, size_t end, uint32_t group)
{
    if (!array_reserve(&m->matches, &m->cap_matches, m->n_matches + 1, sizeof *m->matches))
        return false;
    m->matches[m->n_matches++] = (match){start, end, group};
    return true;
}

/* The occurrence of [LO, HI) (sorted by position) at POSITION, or NULL. */
static const occurrence *find_position(const occurrence *occ, size_t lo, size_t hi,
                                       uint32_t position)
{
    size_t end = hi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (occ[mid].position < position)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < end && occ[lo].position == position ? &occ[lo] : NULL;
}

/* Phrase: slot 0 at p, slot 1 at p + 1, ...: one span from first to last. */
static bool resolve_phrase(snippet_maker *m, const snippet_group *g, uint32_t group,
                           const size_t *slot_lo, const size_t *slot_hi)
{
    for (size_t i = slot_lo[0]; i < slot_hi[0]; i++) {
        const occurrence *first = &m->occ[i], *last = first;
        for (uint32_t s = 1; s < g->n_slots && last; s++)
            last = slot_lo[s] < slot_hi[s]
                       ? find_position(m->occ, slot_lo[s], slot_hi[s], first->position + s)
                       : NULL;
        if (last && !add_match(m, first->start, last->end, group))
            return false;
    }
    return true;
}

static int compare_order(const void *a, const void *b, void *context)
{
    const occurrence *occ = context;
    const occurrence *x = &occ[*(const size_t *)a], *y = &occ[*(const size_t *)b];
    if (x->position != y->position)
        return x->position < y->position ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

/* NEAR: every occurrence inside a window of positions holding all slots. */
static bool resolve_near(snippet_maker *m, const snippet_group *g, uint32_t group, size_t lo,
                         size_t hi)
{
    size_t n = hi - lo;
    if (!array_reserve(&m->order, &m->cap_order, n, sizeof *m->order) ||
        !array_reserve(&m->counts, &m->cap_counts, g->n_slots, sizeof *m->counts))
        return false;
    for (size_t i = 0; i < n; i++)
        m->order[i] = lo + i;
    qsort_r(m->order, n, sizeof *m->order, compare_order, m->occ);
    memset(m->counts, 0, g->n_slots * sizeof *m->counts);
    uint32_t present = 0;
    size_t j = 0, marked_to = 0; /* order[..marked_to) already emitted */
    for (size_t i = 0; i < n; i++) {
        uint32_t p = m->occ[m->order[i]].position;
        while (j < n && m->occ[m->order[j]].position - p < g->window) {
            if (m->counts[m->occ[m->order[j]].slot]++ == 0)
                present++;
            j++;
        }
        if (present == g->n_slots) {
            for (size_t k = i > marked_to ? i : marked_to; k < j; k++) {
                const occurrence *o = &m->occ[m->order[k]];
                if (!add_match(m, o->start, o->end, group))
                    return false;
            }
            if (j > marked_to)
                marked_to = j;
        }
        if (--m->counts[m->occ[m->order[i]].slot] == 0)
            present--;
    }
    return true;
}

static int compare_match(const void *a, const void *b)
{
    const match *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

/* Turn the occurrences into match spans, sorted by start. */
static bool resolve_matches(snippet_maker *m)
{
    const snippet_query *q = m->query;
    sort(m->occ, m->n_occ, sizeof *m->occ, compare_occurrence);
    size_t lo = 0;
    for (uint32_t g = 0; g < q->n_groups && lo < m->n_occ; g++) {
        const snippet_group *group = &q->groups[g];
        size_t hi = lo;
        while (hi < m->n_occ && m->occ[hi].group == g)
            hi++;
        if (hi == lo)
            continue;
        bool ok = true;
        if (group->kind == SNIPPET_EACH) {
            for (size_t i = lo; i < hi && ok; i++)
                ok = add_match(m, m->occ[i].start, m->occ[i].end, g);
        } else if (group->kind == SNIPPET_NEAR) {
            ok = resolve_near(m, group, g, lo, hi);
        } else {
            size_t slot_lo[64], slot_hi[64];
            uint32_t slots = group->n_slots < 64 ? group->n_slots : 64;
            size_t i = lo;
            for (uint32_t s = 0; s < slots; s++) {
                slot_lo[s] = i;
                while (i < hi && m->occ[i].slot == s)
                    i++;
                slot_hi[s] = i;
            }
            ok = slots == group->n_slots ? resolve_phrase(m, group, g, slot_lo, slot_hi) : true;
        }
        if (!ok)
            return false;
        lo = hi;
    }
    sort(m->matches, m->n_matches, sizeof *m->matches, compare_match);
    return true;
}

/* ----------------------------------------------------------------- window */

typedef struct window {
    size_t start, end;       /* byte offsets in the passage */
    double score;
    size_t lead;             /* bytes before the first match in the window */
    bool valid;
} window;

static double group_weight(const snippet_query *q, uint32_t g)
{
    double w = q->groups[g].weight;
    return w > 0 ? w : 1.0;
}

/* The index of the first of N sorted records (STRIDE bytes apart, a size_t
 * at FIELD in each) whose field is past OFFSET, or at it unless AFTER. */
static size_t first_record_from(const void *records, size_t n, size_t stride, size_t field,
                                size_t offset, bool after)
{
    const char *base = records;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t value;
        memcpy(&value, base + mid * stride + field, sizeof value);
        if (value < offset || (after && value == offset))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The index of the first end > OFFSET. */
static size_t first_end_after(const snippet_maker *m, size_t offset)
{
    return first_record_from(m->ends, m->n_ends, sizeof *m->ends, 0, offset, true);
}

/* The index of the first start >= OFFSET. */
static size_t first_start_at(const snippet_maker *m, size_t offset)
{
    return first_record_from(m->starts, m->n_starts, sizeof *m->starts, offsetof(cut, offset),
                             offset, false);
}

/* The index of the first match starting at or after OFFSET. */
static size_t first_match_at(const snippet_maker *m, size_t offset)
{
    return first_record_from(m->matches, m->n_matches, sizeof *m->matches,
                             offsetof(match, start), offset, false);
}

/* The window starting at starts[S]: as many words as fit in MAX_CHARS
 * (at least one), scored by the matches it holds. */
static window score_window(snippet_maker *m, size_t s, size_t max_chars, double sentence_bonus)
{
    window w = {m->starts[s].offset, 0, 0, SIZE_MAX, false};
    size_t e = first_end_after(m, w.start);
    if (e == m->n_ends)
        return w;
    uint32_t limit = cp_at(m, w.start) + (uint32_t)max_chars;
    size_t lo = e, hi = m->n_ends; /* the last end within the limit */
    while (lo + 1 < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp_at(m, m->ends[mid]) <= limit)
            lo = mid;
        else
            hi = mid;
    }
    w.end = m->ends[lo];
    w.valid = true;

    const snippet_query *q = m->query;
    memset(m->counts, 0, q->n_groups * sizeof *m->counts);
    for (size_t i = first_match_at(m, w.start); i < m->n_matches; i++) {
        const match *x = &m->matches[i];
        if (x->start >= w.end)
            break;
        if (x->end > w.end)
            continue;
        if (w.lead == SIZE_MAX)
            w.lead = x->start - w.start;
        double value = group_weight(q, x->group);
        uint32_t seen = m->counts[x->group]++;
        /* First occurrence in full; repeats a tenth, halving each time. */
        if (seen > 0) {
            value *= 0.1;
            for (uint32_t r = 1; r < seen && value > 1e-9; r++)
                value *= 0.5;
        }
        w.score += value;
    }
    if (m->starts[s].sentence)
        w.score += sentence_bonus;
    return w;
}

/* The last sentence start at or before starts[S] from which the text up to
 * character END still fits in MAX_CHARS; SIZE_MAX if none. */
static size_t sentence_before(const snippet_maker *m, size_t s, uint32_t end, size_t max_chars)
{
    for (size_t i = s + 1; i-- > 0;) {
        if (end - cp_at(m, m->starts[i].offset) > max_chars)
            break;
        if (m->starts[i].sentence)
            return i;
    }
    return SIZE_MAX;
}

/* Keep the better window: the higher score; on a tie the one that shows
 * less before its first match (a sentence start closer to it), then the
 * earlier one. */
static void consider(window *best, window candidate)
{
    if (!candidate.valid)
        return;
    if (!best->valid || candidate.score > best->score + 1e-9) {
        *best = candidate;
        return;
    }
    if (candidate.score < best->score - 1e-9)
        return;
    if (candidate.lead < best->lead ||
        (candidate.lead == best->lead && candidate.start < best->start))
        *best = candidate;
}

/* The best window: from the passage start, and around each run of matches
 * that fits (centred, or from the sentence it starts in). */
static window choose_window(snippet_maker *m, size_t max_chars)
{
    const snippet_query *q = m->query;
    double min_weight = 0;
    for (uint32_t g = 0; g < q->n_groups; g++) {
        double w = group_weight(q, g);
        if (g == 0 || w < min_weight)
            min_weight = w;
    }
    /* Worth more than any number of repeats, less than one more term. */
    double sentence_bonus = 0.3 * (min_weight > 0 ? min_weight : 1.0);
    window best = {0, 0, 0, SIZE_MAX, false};
    if (m->n_starts == 0 || m->n_ends == 0)
        return best;
    if (cp_at(m, m->ends[m->n_ends - 1]) - cp_at(m, m->starts[0].offset) <= max_chars)
        return score_window(m, 0, max_chars, sentence_bonus); /* it all fits */
    consider(&best, score_window(m, 0, max_chars, sentence_bonus));
    size_t j = 0;
    for (size_t i = 0; i < m->n_matches; i++) {
        const match *first = &m->matches[i];
        if (i > 0 && m->matches[i - 1].start == first->start)
            continue;
        uint32_t from = cp_at(m, first->start);
        if (j < i)
            j = i;
        while (j + 1 < m->n_matches && cp_at(m, m->matches[j + 1].end) - from <= max_chars)
            j++;
        size_t span_end = first->end;
        for (size_t k = i; k <= j; k++)
            if (m->matches[k].end > span_end && cp_at(m, m->matches[k].end) - from <= max_chars)
                span_end = m->matches[k].end;
        uint32_t used = cp_at(m, span_end) - from;
        uint32_t slack = used < max_chars ? (uint32_t)(max_chars - used) : 0;
        uint32_t target = from > slack / 2 ? from - slack / 2 : 0;
        size_t s = first_start_at(m, first->start);
        if (s == m->n_starts)
            continue;
        size_t centred = s;
        while (centred > 0 && cp_at(m, m->starts[centred - 1].offset) >= target)
            centred--;
        consider(&best, score_window(m, centred, max_chars, sentence_bonus));
        /* The sentence the match is in, when the matches still fit after it. */
        size_t sentence = sentence_before(m, s, cp_at(m, span_end), max_chars);
        if (sentence != SIZE_MAX && sentence != centred)
            consider(&best, score_window(m, sentence, max_chars, sentence_bonus));
    }
    return best;
}

/* ----------------------------------------------------------------- output */

/* Keep trailing punctuation after the last word ("word." "word),") when it
 * runs to white space or the next word within a few characters. */
static size_t extend_end(const snippet_maker *m, size_t end, size_t chars_left)
{
    const char *text = m->passage;
    size_t region_end = m->base + m->region_len;
    size_t next_start = SIZE_MAX;
    size_t s = first_start_at(m, end);
    if (s < m->n_starts)
        next_start = m->starts[s].offset;
    size_t p = end, chars = 0;
    while (p < region_end && p < next_start && !is_space_byte(text[p])) {
        if (++chars > MAX_TRAILING || chars > chars_left)
            return end;
        p++;
        while (p < region_end && is_continuation(text[p]))
            p++;
    }
    return p;
}

static bool has_text_before(const char *text, size_t at)
{
    while (at > 0 && is_space_byte(text[at - 1]))
        at--;
    return at > 0;
}

static bool has_text_after(const char *text, size_t len, size_t at)
{
    while (at < len && is_space_byte(text[at]))
        at++;
    return at < len;
}

static uint32_t count_newlines(const char *text, size_t len)
{
    uint32_t n = 0;
    const char *p = text, *end = text + len;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
        n++;
        p++;
    }
    return n;
}

static bool add_span(snippet_maker *m, size_t start, size_t end)
{
    if (m->n_spans > 0 && start <= m->spans[2 * m->n_spans - 1]) {
        if (end > m->spans[2 * m->n_spans - 1])
            m->spans[2 * m->n_spans - 1] = end;
        return true;
    }
    if (!array_reserve(&m->spans, &m->cap_spans, 2 * m->n_spans + 2, sizeof *m->spans))
        return false;
    m->spans[2 * m->n_spans] = start;
    m->spans[2 * m->n_spans + 1] = end;
    m->n_spans++;
    return true;
}

static int emit(snippet_maker *m, window w, size_t max_chars, snippet *out)
{
    size_t used = cp_at(m, w.end) - cp_at(m, w.start);
    size_t end = extend_end(m, w.end, max_chars > used ? max_chars - used : 0);
    bool before = has_text_before(m->passage, w.start);
    bool after = has_text_after(m->passage, m->passage_len, end);
    size_t prefix = before ? ELLIPSIS_LEN : 0;
    size_t len = prefix + (end - w.start) + (after ? ELLIPSIS_LEN : 0);
    if (!array_reserve(&m->out, &m->cap_out, len + 1, 1))
        return -1;
    memcpy(m->out, ELLIPSIS, prefix);
    memcpy(m->out + prefix, m->passage + w.start, end - w.start);
    if (after)
        memcpy(m->out + prefix + (end - w.start), ELLIPSIS, ELLIPSIS_LEN);
    m->out[len] = '\0';
    m->n_spans = 0;
    for (size_t i = first_match_at(m, w.start); i < m->n_matches; i++) {
        const match *x = &m->matches[i];
        if (x->start >= w.end)
            break;
        if (x->end <= w.end && !add_span(m, x->start - w.start + prefix, x->end - w.start + prefix))
            return -1;
    }
    out->text = m->out;
    out->len = len;
    out->spans = m->spans;
    out->n_spans = m->n_spans;
    out->lines_before = count_newlines(m->passage, w.start);
    return 0;
}

/* A passage without a single word boundary: show nothing of it but "…". */
static int emit_empty(snippet_maker *m, snippet *out)
{
    if (!array_reserve(&m->out, &m->cap_out, ELLIPSIS_LEN + 1, 1))
        return -1;
    bool any = has_text_after(m->passage, m->passage_len, 0);
    memcpy(m->out, ELLIPSIS, any ? ELLIPSIS_LEN : 0);
    m->out[any ? ELLIPSIS_LEN : 0] = '\0';
    *out = (snippet){m->out, any ? ELLIPSIS_LEN : 0, m->spans, 0, 0};
    return 0;
}

/* ------------------------------------------------------- huge passages */

/* The first place after FROM where a term's text seems to occur (ASCII
 * letters compared without case), or SIZE_MAX. Cheap and approximate: it
 * only chooses which region to analyse. */
static size_t locate_term(const snippet_maker *m, size_t from)
{
    size_t best = SIZE_MAX;
    const char *text = m->passage;
    for (size_t t = 0; t < m->query->n_terms; t++) {
        const snippet_term *term = &m->query->terms[t];
        if (term->len == 0)
            continue;
        unsigned char first = (unsigned char)term->text[0];
        unsigned char upper = first >= 'a' && first <= 'z' ? (unsigned char)(first - 32) : first;
        size_t stop = best < m->passage_len ? best : m->passage_len;
        for (size_t i = from; i + term->len <= stop; i++) {
            unsigned char c = (unsigned char)text[i];
            if (c != first && c != upper)
                continue;
            size_t k = 1;
            while (k < term->len) {
                unsigned char a = (unsigned char)text[i + k], b = (unsigned char)term->text[k];
                if (a >= 'A' && a <= 'Z')
                    a = (unsigned char)(a + 32);
                if (a != b)
                    break;
                k++;
            }
            if (k == term->len) {
                best = i;
                break;
            }
        }
    }
    return best;
}

int snippet_make(snippet_maker *m, const snippet_query *query, const char *passage, size_t len,
                 size_t max_chars, snippet *out, const char **error)
{
    *error = NULL;
    m->query = query;
    m->passage = passage;
    m->passage_len = len;
    m->no_memory = false;
    if (max_chars == 0)
        max_chars = 1;
    if (max_chars > MAX_CHARS_LIMIT)
        max_chars = MAX_CHARS_LIMIT;
    if (!array_reserve(&m->counts, &m->cap_counts, query->n_groups ? query->n_groups : 1,
              sizeof *m->counts)) {
        *error = "out of memory";
        return -1;
    }
    bool clean_end;
    size_t to = region_edge(passage, len, ANALYSE_LIMIT, &clean_end);
    if (analyse_region(m, 0, to, true, clean_end, error) != 0 || !resolve_matches(m))
        goto fail;
    if (m->n_matches == 0 && to < len) {
        /* A huge passage with no match near its start: look where a term
         * seems to be, analyse around there, else go back to the start. */
        size_t at = locate_term(m, to);
        if (at != SIZE_MAX) {
            bool clean_from, clean_to;
            size_t from = region_edge(passage, len, at > FALLBACK_RADIUS ? at - FALLBACK_RADIUS : 0,
                                      &clean_from);
            size_t stop = region_edge(passage, len, at + FALLBACK_RADIUS, &clean_to);
            if (analyse_region(m, from, stop, clean_from, clean_to, error) != 0 ||
                !resolve_matches(m))
                goto fail;
            if (m->n_matches == 0 &&
                (analyse_region(m, 0, to, true, clean_end, error) != 0 || !resolve_matches(m)))
                goto fail;
        }
    }
    window w = choose_window(m, max_chars);
    if (!w.valid)
        return emit_empty(m, out) == 0 ? 0 : (*error = "out of memory", -1);
    if (emit(m, w, max_chars, out) != 0) {
        *error = "out of memory";
        return -1;
    }
    return 0;
fail:
    if (!*error)
        *error = "out of memory";
    return -1;
}
