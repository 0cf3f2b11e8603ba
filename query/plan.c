/* plan.c — turn the syntax tree into leaf queries, a boolean tree over them,
 * the ranking query and the highlighting groups (see plan.h).
 *
 * Words are analysed by text/ with the database's own analyser, and the
 * Xapian terms come from schema_query_term(), so a query term is exactly
 * what the indexer stored for the same text.
 */
#include "query/plan.h"

#include "query/array.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/utf8.h>

#include "schema/schema.h"

/* The weight of a word's exact form beside its stem's (see exact_bonus).
 * Chosen on Cranfield with BM25 k1 = 2.5, b = 0.75 (search.c): MAP 0.2862
 * without it, 0.2985 with 0.25; 0.1 to 0.3 all give 0.297 to 0.300, 1.0
 * (the exact form counted as much as the stem) 0.291. */
#define EXACT_BONUS 0.25

/* ------------------------------------------------------------- building */

/* Capacities of the plan's arrays, kept beside it while building. */
typedef struct capacities {
    size_t leaves, groups, terms, weights, words, strings;
} capacities;

typedef struct builder {
    const plan_context *context;
    const char *query;
    plan *p;
    char *message;          /* first failure */
    bool failed;
    capacities caps;
} builder;

static void fail(builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(builder *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    b->failed = true;
    va_list args;
    va_start(args, fmt);
    if (vasprintf(&b->message, fmt, args) < 0)
        b->message = NULL;
    va_end(args);
}

static bool grow(builder *b, void *array, size_t *cap, size_t need, size_t size)
{
    if (array_reserve(array, cap, need, size))
        return true;
    fail(b, "out of memory");
    return false;
}

/* A copy of TEXT kept with the plan; NULL on failure. */
static const char *keep(builder *b, const char *text, size_t len)
{
    plan *p = b->p;
    if (!grow(b, &p->strings, &b->caps.strings, p->n_strings + 1, sizeof *p->strings))
        return NULL;
    char *copy = strndup(text, len);
    if (!copy) {
        fail(b, "out of memory");
        return NULL;
    }
    p->strings[p->n_strings++] = copy;
    return copy;
}

/* -------------------------------------------------------------- queries */

/* *QUERY as just made by a shim call that returned STATUS. */
static shim_query *check(builder *b, shim_status status, shim_query **query)
{
    if (status != SHIM_OK) {
        fail(b, "cannot build the query: %s", shim_status_string(status));
        shim_query_free(*query);
        return NULL;
    }
    return *query;
}

static shim_query *term_query(builder *b, const char *term, size_t len)
{
    shim_query *q = NULL;
    return b->failed ? NULL : check(b, shim_query_term(term, len, 1, 0, &q), &q);
}

/* Combine the N queries at QS with OP and free them (NULL entries are
 * skipped; no entries left gives NULL). */
static shim_query *combine_owned(builder *b, shim_query_op op, shim_query **qs, size_t n,
                                 uint32_t window)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (qs[i])
            qs[kept++] = qs[i];
    shim_query *q = NULL;
    if (kept == 1 && op != SHIM_QUERY_PHRASE && op != SHIM_QUERY_NEAR)
        return qs[0];
    if (kept > 0 && !b->failed)
        q = check(b, shim_query_combine(op, qs, kept, window, &q), &q);
    for (size_t i = 0; i < kept; i++)
        shim_query_free(qs[i]);
    return q;
}

static shim_query *combine2(builder *b, shim_query_op op, shim_query *left, shim_query *right)
{
    shim_query *qs[2] = {left, right};
    return combine_owned(b, op, qs, 2, 0);
}

/* A new handle for the same query (shim queries are immutable). */
static shim_query *share(builder *b, const shim_query *query)
{
    shim_query *q = NULL;
    shim_query *const qs[1] = {(shim_query *)query};
    return b->failed ? NULL : check(b, shim_query_combine(SHIM_QUERY_OR, qs, 1, 0, &q), &q);
}

static shim_query *boolean(builder *b, shim_query *query)
{
    shim_query *q = NULL;
    if (!query)
        return NULL;
    if (!b->failed)
        q = check(b, shim_query_scale(query, 0.0, &q), &q);
    shim_query_free(query);
    return q;
}

static shim_query *match_all(builder *b)
{
    shim_query *q = NULL;
    return b->failed ? NULL : boolean(b, check(b, shim_query_match_all(&q), &q));
}

/* -------------------------------------------------------- highlighting */

static uint32_t new_group(builder *b, snippet_group_kind kind, uint32_t n_slots, uint32_t window)
{
    plan *p = b->p;
    if (!grow(b, &p->groups, &b->caps.groups, p->n_groups + 1, sizeof *p->groups))
        return 0;
    p->groups[p->n_groups] = (snippet_group){kind, n_slots, window, 1.0};
    return (uint32_t)p->n_groups++;
}

static void add_match_term(builder *b, uint32_t group, uint32_t slot, snippet_match_kind kind,
                           const char *text, size_t len)
{
    plan *p = b->p;
    const char *copy = keep(b, text, len);
    if (!copy || !grow(b, &p->terms, &b->caps.terms, p->n_terms + 1, sizeof *p->terms))
        return;
    p->terms[p->n_terms++] = (snippet_term){group, slot, kind, copy, len};
}

static void add_weight_term(builder *b, uint32_t group, const char *term, size_t len)
{
    plan *p = b->p;
    const char *copy = keep(b, term, len);
    if (!copy ||
        !grow(b, &p->weight_terms, &b->caps.weights, p->n_weight_terms + 1, sizeof *p->weight_terms))
        return;
    size_t cap = b->caps.weights;
    size_t *grown = realloc(p->weight_groups, cap * sizeof *grown);
    if (!grown) {
        fail(b, "out of memory");
        return;
    }
    p->weight_groups = grown;
    p->weight_terms[p->n_weight_terms] = copy;
    p->weight_groups[p->n_weight_terms++] = group;
}

/* -------------------------------------------------------------- analysis */

typedef struct qtoken {
    text_token token;        /* term and stem point into the buffers below */
    char term[TEXT_MAX_TOKEN_BYTES * 2 + 1];
    char stem[TEXT_MAX_TOKEN_BYTES * 2 + 1];
    bool cjk_word;           /* a dictionary word of CJK characters */
} qtoken;

typedef struct token_list {
    builder *b;
    qtoken *items;
    size_t n, cap;
} token_list;

static bool is_cjk(const text_token *t)
{
    return t->kind == TEXT_TOKEN_CJK_BIGRAM || t->kind == TEXT_TOKEN_CJK_UNIGRAM;
}

static bool starts_with_cjk(const char *text, size_t len)
{
    int32_t i = 0;
    UChar32 c;
    U8_NEXT((const uint8_t *)text, i, (int32_t)len, c);
    return c >= 0 && text_is_cjk_codepoint((uint32_t)c);
}

static int collect_token(void *context, const text_token *token)
{
    token_list *list = context;
    if (token->term_len >= sizeof list->items[0].term || token->stem_len >= sizeof list->items[0].stem)
        return 0; /* longer than any indexed term: it cannot match anyway */
    if (!grow(list->b, &list->items, &list->cap, list->n + 1, sizeof *list->items))
        return 1;
    qtoken *q = &list->items[list->n++];
    q->token = *token; /* term and stem are pointed at the copies by settle() */
    memcpy(q->term, token->term, token->term_len);
    q->term[token->term_len] = '\0';
    memcpy(q->stem, token->stem, token->stem_len);
    q->stem[token->stem_len] = '\0';
    q->cjk_word = !is_cjk(token) && starts_with_cjk(token->term, token->term_len);
    return 0;
}

/* Point each token at its own copies (the array may have moved since). */
static void settle(token_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        list->items[i].token.term = list->items[i].term;
        list->items[i].token.stem = list->items[i].stem;
    }
}

static bool analyse(builder *b, const char *text, size_t len, token_list *list)
{
    list->b = b;
    list->items = NULL;
    list->n = list->cap = 0;
    text_status status = text_analyse(b->context->analyser, text, len, 1, collect_token, list, NULL);
    if (!b->failed && status != TEXT_OK)
        fail(b, "cannot analyse the query: %s", text_status_string(status));
    settle(list);
    return !b->failed;
}

/* The Xapian term for T (stemmed: Z + stem). 0 if it does not fit. */
static size_t query_term(const qtoken *t, bool stemmed, char out[SCHEMA_TERM_MAX])
{
    return schema_query_term(&t->token, stemmed, out);
}

/* ------------------------------------------------------------ word parts */

/* The exact forms of the word T[0..n) (variants included), weighted at
 * EXACT_BONUS: a stemmed word also matches its unstemmed form, so that the
 * form typed ranks a little above its relatives. Every passage holding the
 * exact form holds the stem too, so what matches is unchanged. */
static shim_query *exact_bonus(builder *b, const qtoken *t, size_t n, bool positive,
                               uint32_t group)
{
    shim_query *forms[8] = {NULL};
    size_t n_forms = 0;
    for (size_t k = 0; k < n && n_forms < 8; k++) {
        char term[SCHEMA_TERM_MAX];
        size_t len = query_term(&t[k], false, term);
        if (!len)
            continue;
        forms[n_forms++] = term_query(b, term, len);
        if (positive)
            add_weight_term(b, group, term, len);
    }
    shim_query *exact = combine_owned(b, SHIM_QUERY_SYNONYM, forms, n_forms, 0), *scaled = NULL;
    if (exact && !b->failed)
        scaled = check(b, shim_query_scale(exact, EXACT_BONUS, &scaled), &scaled);
    shim_query_free(exact);
    return scaled;
}

/* Words (not CJK) T[0..n): one slot per position, variants as alternatives.
 * One slot: the word (stemmed if STEMMED); more: a phrase of exact forms. */
static shim_query *word_part(builder *b, const qtoken *t, size_t n, bool stemmed, bool positive)
{
    size_t n_slots = 0;
    for (size_t i = 0; i < n; i++)
        n_slots += i == 0 || t[i].token.position != t[i - 1].token.position;
    bool phrase = n_slots > 1;
    bool stem = stemmed && !phrase;
    uint32_t group = positive ? new_group(b, phrase ? SNIPPET_PHRASE : SNIPPET_EACH,
                                          (uint32_t)n_slots, 0)
                              : 0;
    shim_query **slots = calloc(n_slots, sizeof *slots);
    if (!slots) {
        fail(b, "out of memory");
        return NULL;
    }
    size_t slot = 0;
    for (size_t i = 0; i < n && !b->failed; slot++) {
        size_t j = i;
        while (j < n && t[j].token.position == t[i].token.position)
            j++;
        shim_query *alternatives[8] = {NULL};
        size_t n_alt = 0;
        for (size_t k = i; k < j && n_alt < 8; k++) {
            char term[SCHEMA_TERM_MAX];
            size_t len = query_term(&t[k], stem, term);
            if (!len)
                continue;
            alternatives[n_alt++] = term_query(b, term, len);
            if (positive) {
                add_match_term(b, group, (uint32_t)slot, stem ? SNIPPET_STEM : SNIPPET_EXACT,
                               stem ? t[k].stem : t[k].term,
                               stem ? t[k].token.stem_len : t[k].token.term_len);
                add_weight_term(b, group, term, len);
            }
        }
        slots[slot] = combine_owned(b, SHIM_QUERY_SYNONYM, alternatives, n_alt, 0);
        if (stem)
            slots[slot] = combine2(b, SHIM_QUERY_OR, slots[slot],
                                   exact_bonus(b, &t[i], j - i, positive, group));
        i = j;
    }
    shim_query *q = NULL;
    if (!b->failed)
        q = phrase ? combine_owned(b, SHIM_QUERY_PHRASE, slots, n_slots, 0) : slots[0];
    else
        for (size_t i = 0; i < n_slots; i++)
            shim_query_free(slots[i]);
    free(slots);
    return q;
}

/* The dictionary words of a CJK run lying within bytes [START, END): they
 * add weight (OR-ed) to the run's bigram match, so that a passage holding the
 * query's words ranks above one holding only its characters. */
static shim_query *cjk_words(builder *b, const qtoken *t, size_t n, size_t start, size_t end,
                             bool stemmed, bool positive, uint32_t group)
{
    shim_query *words[16] = {NULL};
    size_t n_words = 0;
    for (size_t i = 0; i < n && n_words < 16; i++) {
        if (!t[i].cjk_word || t[i].token.start < start || t[i].token.end > end)
            continue;
        char term[SCHEMA_TERM_MAX];
        size_t len = query_term(&t[i], stemmed, term);
        if (!len)
            continue;
        words[n_words++] = term_query(b, term, len);
        if (positive)
            add_weight_term(b, group, term, len);
    }
    return combine_owned(b, SHIM_QUERY_OR, words, n_words, 0);
}

/* One chain of overlapping bigrams T[first..last] (consecutive positions):
 * the bigram phrase, ranked up by the dictionary words inside it. */
static shim_query *bigram_chain(builder *b, const qtoken *all, size_t n_all,
                                const qtoken *const *chain, size_t n, bool stemmed, bool positive)
{
    uint32_t group = positive ? new_group(b, n > 1 ? SNIPPET_PHRASE : SNIPPET_EACH, (uint32_t)n, 0) : 0;
    shim_query **bigrams = calloc(n, sizeof *bigrams);
    if (!bigrams) {
        fail(b, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char term[SCHEMA_TERM_MAX];
        size_t len = query_term(chain[i], false, term);
        bigrams[i] = len ? term_query(b, term, len) : NULL;
        if (positive)
            add_match_term(b, group, (uint32_t)i, SNIPPET_CJK, chain[i]->term,
                           chain[i]->token.term_len);
    }
    shim_query *phrase = n > 1 ? combine_owned(b, SHIM_QUERY_PHRASE, bigrams, n, 0) : bigrams[0];
    free(bigrams);
    shim_query *words = cjk_words(b, all, n_all, chain[0]->token.start, chain[n - 1]->token.end,
                                  stemmed, positive, group);
    return words ? combine2(b, SHIM_QUERY_AND_MAYBE, phrase, words) : phrase;
}

/* A lone CJK character: its unigram, ranked up by a word of that character. */
static shim_query *unigram(builder *b, const qtoken *all, size_t n_all, const qtoken *u,
                           bool stemmed, bool positive)
{
    uint32_t group = positive ? new_group(b, SNIPPET_EACH, 1, 0) : 0;
    char term[SCHEMA_TERM_MAX];
    size_t len = query_term(u, false, term);
    shim_query *q = len ? term_query(b, term, len) : NULL;
    if (positive)
        add_match_term(b, group, 0, SNIPPET_CJK, u->term, u->token.term_len);
    shim_query *words = cjk_words(b, all, n_all, u->token.start, u->token.end, stemmed, positive,
                                  group);
    return words ? combine2(b, SHIM_QUERY_AND_MAYBE, q, words) : q;
}

/* The CJK tokens T[0..n) of one run: a bigram phrase per chain of adjacent
 * characters, a unigram per character standing alone; AND-ed. */
static shim_query *cjk_part(builder *b, const qtoken *t, size_t n, bool stemmed, bool positive)
{
    const qtoken **chain = calloc(n ? n : 1, sizeof *chain);
    shim_query **parts = calloc(n ? n : 1, sizeof *parts);
    if (!chain || !parts) {
        free(chain);
        free(parts);
        fail(b, "out of memory");
        return NULL;
    }
    size_t n_parts = 0, n_chain = 0;
    for (size_t i = 0; i <= n && !b->failed; i++) {
        const qtoken *x = i < n ? &t[i] : NULL;
        if (x && x->token.kind != TEXT_TOKEN_CJK_BIGRAM)
            continue;
        const qtoken *prev = n_chain ? chain[n_chain - 1] : NULL;
        bool continues = x && prev && x->token.start < prev->token.end &&
                         x->token.position == prev->token.position + 1;
        if (!continues && n_chain) {
            parts[n_parts++] = bigram_chain(b, t, n, chain, n_chain, stemmed, positive);
            n_chain = 0;
        }
        if (x)
            chain[n_chain++] = x;
    }
    /* Characters no bigram covers stand alone. */
    for (size_t i = 0; i < n && !b->failed; i++) {
        if (t[i].token.kind != TEXT_TOKEN_CJK_UNIGRAM)
            continue;
        bool in_bigram = false;
        for (size_t k = 0; k < n && !in_bigram; k++)
            in_bigram = t[k].token.kind == TEXT_TOKEN_CJK_BIGRAM &&
                        t[k].token.start <= t[i].token.start && t[i].token.end <= t[k].token.end;
        if (!in_bigram)
            parts[n_parts++] = unigram(b, t, n, &t[i], stemmed, positive);
    }
    shim_query *q = combine_owned(b, SHIM_QUERY_AND, parts, n_parts, 0);
    free(chain);
    free(parts);
    return q;
}

/* Text as typed (a word, or a phrase when PHRASE): its parts AND-ed within a
 * passage. NULL with no failure when nothing in it can be searched. */
static shim_query *text_leaf(builder *b, const char *text, size_t len, bool phrase, bool positive,
                             char **estimate, bool *single)
{
    token_list list;
    if (!analyse(b, text, len, &list))
        return NULL;
    /* One word without variants: the leaf is the estimate term itself. */
    *single = list.n == 1 && !is_cjk(&list.items[0].token) && !list.items[0].cjk_word;
    bool stemmed = b->context->stemming && !phrase;
    shim_query **parts = calloc(list.n ? list.n : 1, sizeof *parts);
    if (!parts) {
        fail(b, "out of memory");
        free(list.items);
        return NULL;
    }
    size_t n_parts = 0;
    for (size_t i = 0; i < list.n && !b->failed;) {
        bool cjk = is_cjk(&list.items[i].token) || list.items[i].cjk_word;
        size_t j = i;
        while (j < list.n && (is_cjk(&list.items[j].token) || list.items[j].cjk_word) == cjk)
            j++;
        if (!*estimate) {
            char term[SCHEMA_TERM_MAX];
            const qtoken *first = &list.items[i];
            if (cjk)
                for (size_t k = i; k < j; k++)
                    if (list.items[k].token.kind == TEXT_TOKEN_CJK_BIGRAM) {
                        first = &list.items[k];
                        break;
                    }
            size_t tlen = query_term(first, stemmed && !cjk && j - i == 1, term);
            if (tlen && !(*estimate = strndup(term, tlen)))
                fail(b, "out of memory");
        }
        parts[n_parts++] = cjk ? cjk_part(b, &list.items[i], j - i, b->context->stemming && !phrase, positive)
                               : word_part(b, &list.items[i], j - i, stemmed, positive);
        i = j;
    }
    shim_query *q = combine_owned(b, SHIM_QUERY_AND, parts, n_parts, 0);
    free(parts);
    free(list.items);
    return q;
}

/* NEAR: the exact forms of every word of every operand, within n words. */
static shim_query *near_leaf(builder *b, const query_node *node, bool positive, char **estimate)
{
    token_list all = {b, NULL, 0, 0};
    for (size_t c = 0; c < node->n_children && !b->failed; c++) {
        token_list one;
        const query_node *word = node->children[c];
        if (!analyse(b, word->text, word->text_len, &one))
            break;
        for (size_t i = 0; i < one.n; i++)
            if (!is_cjk(&one.items[i].token) &&
                grow(b, &all.items, &all.cap, all.n + 1, sizeof *all.items)) {
                all.items[all.n] = one.items[i];
                /* Positions restart per operand: make them distinct. */
                all.items[all.n++].token.position += (uint32_t)(c * 1000);
            }
        free(one.items);
    }
    settle(&all);
    size_t n_slots = 0;
    for (size_t i = 0; i < all.n; i++)
        n_slots += i == 0 || all.items[i].token.position != all.items[i - 1].token.position;
    shim_query *q = NULL;
    if (n_slots < 2 || b->failed) {
        /* One word left: it is simply that word, exactly. */
        q = n_slots ? word_part(b, all.items, all.n, false, positive) : NULL;
        free(all.items);
        return q;
    }
    uint32_t window = node->window + (uint32_t)n_slots;
    uint32_t group = positive ? new_group(b, SNIPPET_NEAR, (uint32_t)n_slots, window) : 0;
    shim_query **slots = calloc(n_slots, sizeof *slots);
    if (!slots)
        fail(b, "out of memory");
    size_t slot = 0;
    for (size_t i = 0; i < all.n && slots && !b->failed; slot++) {
        size_t j = i;
        while (j < all.n && all.items[j].token.position == all.items[i].token.position)
            j++;
        shim_query *alternatives[8] = {NULL};
        size_t n_alt = 0;
        for (size_t k = i; k < j && n_alt < 8; k++) {
            char term[SCHEMA_TERM_MAX];
            size_t len = query_term(&all.items[k], false, term);
            if (!len)
                continue;
            alternatives[n_alt++] = term_query(b, term, len);
            if (!*estimate && !(*estimate = strndup(term, len)))
                fail(b, "out of memory");
            if (positive) {
                add_match_term(b, group, (uint32_t)slot, SNIPPET_EXACT, all.items[k].term,
                               all.items[k].token.term_len);
                add_weight_term(b, group, term, len);
            }
        }
        slots[slot] = combine_owned(b, SHIM_QUERY_SYNONYM, alternatives, n_alt, 0);
        i = j;
    }
    if (slots && !b->failed)
        q = combine_owned(b, SHIM_QUERY_NEAR, slots, n_slots, window);
    else if (slots)
        for (size_t i = 0; i < n_slots; i++)
            shim_query_free(slots[i]);
    free(slots);
    free(all.items);
    return q;
}

static shim_query *prefix_leaf(builder *b, const query_node *node, bool positive)
{
    char prefix[TEXT_MAX_TOKEN_BYTES * 2 + 1];
    size_t len = text_normalise_word(b->context->analyser, node->text, node->text_len, prefix,
                                     sizeof prefix);
    if (len == 0)
        return NULL;
    if (positive)
        add_match_term(b, new_group(b, SNIPPET_EACH, 1, 0), 0, SNIPPET_PREFIX, prefix, len);
    shim_query *q = NULL;
    return b->failed ? NULL : check(b, shim_query_wildcard(prefix, PLAN_MAX_EXPANSION, &q), &q);
}

/* --------------------------------------------------------------- filters */

/* PATH made absolute (against CWD, or HOME for "~/") with ".", ".." and
 * repeated or trailing slashes removed, as the indexer stores paths. */
static char *absolute_path(const char *path, size_t len, const char *cwd, const char *home)
{
    const char *base = "";
    if (len >= 1 && path[0] == '~' && (len == 1 || path[1] == '/') && home) {
        base = home;
        path++;
        len--;
    } else if (len == 0 || path[0] != '/')
        base = cwd ? cwd : "/";
    size_t base_len = strlen(base);
    char *joined = malloc(base_len + len + 2);
    char *out = malloc(base_len + len + 2);
    if (!joined || !out) {
        free(joined);
        free(out);
        return NULL;
    }
    memcpy(joined, base, base_len);
    joined[base_len] = '/';
    memcpy(joined + base_len + 1, path, len);
    size_t n = base_len + 1 + len, o = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && joined[i] == '/')
            i++;
        size_t j = i;
        while (j < n && joined[j] != '/')
            j++;
        size_t part = j - i;
        if (part == 0 || (part == 1 && joined[i] == '.')) {
            /* nothing */
        } else if (part == 2 && joined[i] == '.' && joined[i + 1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else {
            out[o++] = '/';
            memcpy(out + o, joined + i, part);
            o += part;
        }
        i = j;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    free(joined);
    return out;
}

/* path:P — files below P (its XP term) or P itself (its XF term). */
static shim_query *path_leaf(builder *b, const query_node *node, char **estimate)
{
    char *path = absolute_path(node->text, node->text_len, b->context->cwd, b->context->home);
    if (!path) {
        fail(b, "out of memory");
        return NULL;
    }
    shim_query *q;
    if (strcmp(path, "/") == 0)
        q = match_all(b);
    else {
        char dir[SCHEMA_TERM_MAX], file[SCHEMA_TERM_MAX];
        size_t dir_len = schema_path_term(SCHEMA_PREFIX_DIR, path, strlen(path), dir);
        size_t file_len = schema_path_term(SCHEMA_PREFIX_FILE, path, strlen(path), file);
        q = combine2(b, SHIM_QUERY_OR, term_query(b, dir, dir_len), term_query(b, file, file_len));
        if (!(*estimate = strndup(dir, dir_len)))
            fail(b, "out of memory");
    }
    free(path);
    return q;
}

static shim_query *ext_leaf(builder *b, const query_node *node, char **estimate)
{
    const char *ext = node->text;
    size_t len = node->text_len;
    while (len > 0 && ext[0] == '.') {
        ext++;
        len--;
    }
    char term[SCHEMA_TERM_MAX];
    size_t prefix = strlen(SCHEMA_PREFIX_EXT);
    if (len == 0 || prefix + len > SHIM_MAX_TERM_BYTES)
        return NULL;
    memcpy(term, SCHEMA_PREFIX_EXT, prefix);
    for (size_t i = 0; i < len; i++) {
        char c = ext[i];
        term[prefix + i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    term[prefix + len] = '\0';
    if (!(*estimate = strndup(term, prefix + len)))
        fail(b, "out of memory");
    return term_query(b, term, prefix + len);
}

/* after:D — modified on or after D's midnight; before:D — before it (local time). */
static shim_query *date_leaf(builder *b, const query_node *node)
{
    struct tm tm = {0};
    tm.tm_year = node->year - 1900;
    tm.tm_mon = node->month - 1;
    tm.tm_mday = node->day;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    char bound[18];
    /* Stored mtimes are whole seconds: "before midnight" is "at most half a
     * second before", which keeps the bound inclusive and exact. */
    double seconds = node->kind == QUERY_AFTER ? (double)t : (double)t - 0.5;
    size_t len = shim_sortable_serialise(seconds, bound);
    shim_query *q = NULL;
    shim_status status = node->kind == QUERY_AFTER
                             ? shim_query_value_range(SCHEMA_SLOT_MTIME, bound, len, NULL, 0, &q)
                             : shim_query_value_range(SCHEMA_SLOT_MTIME, NULL, 0, bound, len, &q);
    return check(b, status, &q);
}

/* ----------------------------------------------------------------- tree */

static plan_node *new_node(builder *b, plan_op op)
{
    plan_node *node = calloc(1, sizeof *node);
    if (!node)
        fail(b, "out of memory");
    else
        node->op = op;
    return node;
}

static void node_free(plan_node *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->n_children; i++)
        node_free(node->children[i]);
    free(node->children);
    free(node);
}

static plan_node *leaf_node(builder *b, shim_query *query, bool filter, bool positive,
                            char *estimate, bool single)
{
    plan *p = b->p;
    plan_node *node = NULL;
    if (query && !b->failed &&
        grow(b, &p->leaves, &b->caps.leaves, p->n_leaves + 1, sizeof *p->leaves) &&
        (node = new_node(b, PLAN_LEAF))) {
        node->leaf = p->n_leaves;
        p->leaves[p->n_leaves++] = (plan_leaf){query, filter, positive, estimate,
                                               single && estimate != NULL};
        return node;
    }
    shim_query_free(query);
    free(estimate);
    return NULL;
}

static void remember_word(builder *b, const query_node *node)
{
    char normalised[TEXT_MAX_TOKEN_BYTES * 2 + 1];
    size_t len = text_normalise_word(b->context->analyser, node->text, node->text_len, normalised,
                                     sizeof normalised);
    plan *p = b->p;
    if (len == 0 || !grow(b, &p->words, &b->caps.words, p->n_words + 1, sizeof *p->words))
        return;
    char *copy = strndup(normalised, len);
    if (!copy) {
        fail(b, "out of memory");
        return;
    }
    p->words[p->n_words++] = (plan_word){node->offset, node->text_len, copy};
}

static plan_node *convert(builder *b, const query_node *node, bool positive);

static plan_node *convert_leaf(builder *b, const query_node *node, bool positive)
{
    char *estimate = NULL;
    shim_query *q = NULL;
    bool filter = false, single = false;
    switch (node->kind) {
    case QUERY_WORD:
        q = text_leaf(b, node->text, node->text_len, false, positive, &estimate, &single);
        if (q && positive)
            remember_word(b, node);
        break;
    case QUERY_PHRASE:
        q = text_leaf(b, node->text, node->text_len, true, positive, &estimate, &single);
        break;
    case QUERY_PREFIX:
        q = prefix_leaf(b, node, positive);
        break;
    case QUERY_NEAR:
        q = near_leaf(b, node, positive, &estimate);
        break;
    case QUERY_PATH:
        q = path_leaf(b, node, &estimate);
        filter = true;
        break;
    case QUERY_EXT:
        q = ext_leaf(b, node, &estimate);
        filter = single = true;
        break;
    case QUERY_AFTER:
    case QUERY_BEFORE:
        q = date_leaf(b, node);
        filter = true;
        break;
    default:
        break;
    }
    return leaf_node(b, q, filter, positive && !filter, estimate, single);
}

/* Children converted, empty ones dropped. */
static plan_node *convert_children(builder *b, const query_node *node, plan_op op, bool positive)
{
    plan_node *out = new_node(b, op);
    if (!out)
        return NULL;
    out->children = calloc(node->n_children, sizeof *out->children);
    if (!out->children) {
        fail(b, "out of memory");
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < node->n_children && !b->failed; i++) {
        bool sign = positive && !(op == PLAN_AND_NOT && i > 0);
        plan_node *child = convert(b, node->children[i], sign);
        if (child)
            out->children[out->n_children++] = child;
        else if ((op == PLAN_AND_NOT || op == PLAN_AND_MAYBE) && i == 0)
            out->children[out->n_children++] = NULL; /* keep the position */
    }
    return out;
}

static plan_node *convert(builder *b, const query_node *node, bool positive)
{
    static const plan_op ops[] = {
        [QUERY_AND] = PLAN_AND, [QUERY_OR] = PLAN_OR,
        [QUERY_AND_NOT] = PLAN_AND_NOT, [QUERY_AND_MAYBE] = PLAN_AND_MAYBE,
    };
    if (b->failed)
        return NULL;
    switch (node->kind) {
    case QUERY_ALL:
        return new_node(b, PLAN_ALL);
    case QUERY_AND: case QUERY_OR: case QUERY_AND_NOT: case QUERY_AND_MAYBE:
        break;
    default:
        return convert_leaf(b, node, positive);
    }
    plan_op op = ops[node->kind];
    plan_node *out = convert_children(b, node, op, positive);
    if (!out)
        return NULL;
    if (op == PLAN_AND_NOT || op == PLAN_AND_MAYBE) {
        plan_node *left = out->n_children ? out->children[0] : NULL;
        plan_node *right = out->n_children > 1 ? out->children[1] : NULL;
        if (!right) { /* nothing to remove or to add weight with */
            free(out->children);
            free(out);
            return left;
        }
        if (!left) {
            if (op == PLAN_AND_MAYBE) { /* the optional part becomes the query */
                free(out->children);
                free(out);
                return right;
            }
            out->children[0] = new_node(b, PLAN_ALL); /* a pure negation */
            if (!out->children[0]) {
                node_free(right);
                free(out->children);
                free(out);
                return NULL;
            }
        }
        return out;
    }
    if (out->n_children == 0) {
        node_free(out);
        return NULL;
    }
    if (out->n_children == 1) {
        plan_node *only = out->children[0];
        free(out->children);
        free(out);
        return only;
    }
    return out;
}

/* ------------------------------------------------------- whole queries */

static bool filter_only(const plan *p, const plan_node *node)
{
    if (node->op == PLAN_ALL)
        return true;
    if (node->op == PLAN_LEAF)
        return p->leaves[node->leaf].filter;
    for (size_t i = 0; i < node->n_children; i++)
        if (!filter_only(p, node->children[i]))
            return false;
    return true;
}

/* The boolean query of a tree of filters (no weight). */
static shim_query *filter_query(builder *b, const plan_node *node)
{
    if (node->op == PLAN_ALL)
        return match_all(b);
    if (node->op == PLAN_LEAF)
        return boolean(b, share(b, b->p->leaves[node->leaf].query));
    if (node->op == PLAN_AND_MAYBE)
        return filter_query(b, node->children[0]);
    shim_query_op op = node->op == PLAN_AND ? SHIM_QUERY_AND
                       : node->op == PLAN_OR ? SHIM_QUERY_OR
                                             : SHIM_QUERY_AND_NOT;
    shim_query **qs = calloc(node->n_children, sizeof *qs);
    if (!qs) {
        fail(b, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < node->n_children; i++)
        qs[i] = filter_query(b, node->children[i]);
    shim_query *q = combine_owned(b, op, qs, node->n_children, 0);
    free(qs);
    return q;
}

/* The query whose passages are exactly those of the files the tree
 * accepts, or NULL when there is none simpler than file sets: ORs of leaves,
 * restricted by filters (a filter holds for all passages of a file alike). */
static shim_query *direct_query(builder *b, const plan_node *node)
{
    const plan *p = b->p;
    if (filter_only(p, node))
        return NULL;
    switch (node->op) {
    case PLAN_LEAF:
        return share(b, p->leaves[node->leaf].query);
    case PLAN_OR: {
        shim_query **qs = calloc(node->n_children, sizeof *qs);
        if (!qs) {
            fail(b, "out of memory");
            return NULL;
        }
        bool ok = true;
        for (size_t i = 0; i < node->n_children && ok; i++)
            ok = (qs[i] = direct_query(b, node->children[i])) != NULL;
        shim_query *q = NULL;
        if (ok)
            q = combine_owned(b, SHIM_QUERY_OR, qs, node->n_children, 0);
        else
            for (size_t i = 0; i < node->n_children; i++)
                shim_query_free(qs[i]);
        free(qs);
        return q;
    }
    case PLAN_AND: {
        const plan_node *main = NULL;
        for (size_t i = 0; i < node->n_children; i++)
            if (!filter_only(p, node->children[i])) {
                if (main)
                    return NULL;
                main = node->children[i];
            }
        shim_query *q = direct_query(b, main);
        if (!q)
            return NULL;
        for (size_t i = 0; i < node->n_children; i++)
            if (node->children[i] != main)
                q = combine2(b, SHIM_QUERY_FILTER, q, filter_query(b, node->children[i]));
        return q;
    }
    case PLAN_AND_NOT: {
        if (!filter_only(p, node->children[1]))
            return NULL;
        shim_query *q = direct_query(b, node->children[0]);
        return q ? combine2(b, SHIM_QUERY_AND_NOT, q, filter_query(b, node->children[1])) : NULL;
    }
    default:
        return NULL;
    }
}

bool plan_node_guarantees_positive(const plan *p, const plan_node *node)
{
    switch (node->op) {
    case PLAN_LEAF:
        return !p->leaves[node->leaf].filter;
    case PLAN_ALL:
        return false;
    case PLAN_AND:
        for (size_t i = 0; i < node->n_children; i++)
            if (plan_node_guarantees_positive(p, node->children[i]))
                return true;
        return false;
    case PLAN_OR:
        for (size_t i = 0; i < node->n_children; i++)
            if (!plan_node_guarantees_positive(p, node->children[i]))
                return false;
        return true;
    default:
        return plan_node_guarantees_positive(p, node->children[0]);
    }
}

/* OR of the positive leaves, plus every passage at weight 0 when a matching
 * file may have no passage matching any of them. */
static shim_query *rank_query(builder *b)
{
    plan *p = b->p;
    shim_query **qs = calloc(p->n_leaves + 1, sizeof *qs);
    if (!qs) {
        fail(b, "out of memory");
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < p->n_leaves; i++)
        if (p->leaves[i].positive)
            qs[n++] = share(b, p->leaves[i].query);
    if (n == 0 || !plan_node_guarantees_positive(p, p->root))
        qs[n++] = match_all(b);
    shim_query *q = combine_owned(b, SHIM_QUERY_OR, qs, n, 0);
    free(qs);
    return q;
}

int plan_build(const plan_context *context, const char *query, const query_node *root,
               plan *out, char **message)
{
    memset(out, 0, sizeof *out);
    *message = NULL;
    builder b = {context, query, out, NULL, false, {0, 0, 0, 0, 0, 0}};
    if (root)
        out->root = convert(&b, root, true);
    if (!b.failed && !out->root) {
        plan_free(out);
        return 1;
    }
    if (!b.failed) {
        out->direct = direct_query(&b, out->root);
        if (!out->direct && filter_only(out, out->root))
            out->direct = filter_query(&b, out->root);
        out->rank = out->direct ? share(&b, out->direct) : rank_query(&b);
    }
    if (b.failed) {
        *message = b.message ? b.message : strdup("out of memory");
        plan_free(out);
        return -1;
    }
    return 0;
}

void plan_free(plan *p)
{
    if (!p)
        return;
    node_free(p->root);
    for (size_t i = 0; i < p->n_leaves; i++) {
        shim_query_free(p->leaves[i].query);
        free(p->leaves[i].estimate_term);
    }
    free(p->leaves);
    shim_query_free(p->rank);
    shim_query_free(p->direct);
    free(p->groups);
    free(p->terms);
    free(p->weight_terms);
    free(p->weight_groups);
    for (size_t i = 0; i < p->n_words; i++)
        free(p->words[i].normalised);
    free(p->words);
    for (size_t i = 0; i < p->n_strings; i++)
        free(p->strings[i]);
    free(p->strings);
    memset(p, 0, sizeof *p);
}
