/* snippet.h — the part of a passage to show, and what to highlight in it.
 *
 * The passage text is analysed again with the database's analyser (text/),
 * so a token is highlighted exactly when it matches a query term as the
 * index saw it: stemmed forms ("abducted" for "abduction"), whole phrases
 * only, CJK bigram runs as one span, NOT terms never (they are simply not in
 * the snippet query). The window is chosen by scoring candidate windows with
 * the query terms' weights (each group's first occurrence counts fully,
 * repeats less and less) with a bonus for starting at a sentence, as Xapian's
 * MSet::snippet and SQLite FTS5's snippet() do in their own ways. Windows
 * start and end only at token boundaries, which ICU's word breaker puts at
 * grapheme boundaries, so a UTF-8 sequence or a grapheme cluster is never cut.
 * The work per passage is bounded whatever its size.
 */
#ifndef KENSAKU_QUERY_SNIPPET_H
#define KENSAKU_QUERY_SNIPPET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/analyse.h"

/* How a query term is compared with a token of the passage. */
typedef enum snippet_match_kind {
    SNIPPET_STEM,    /* the token's stem equals TEXT (a stemmed word) */
    SNIPPET_EXACT,   /* the token's normalised form equals TEXT (phrases, quoted words) */
    SNIPPET_PREFIX,  /* the normalised form starts with TEXT (prefix*) */
    SNIPPET_CJK      /* a CJK bigram or unigram equal to TEXT */
} snippet_match_kind;

/* How the slots of a group must occur to be highlighted. */
typedef enum snippet_group_kind {
    SNIPPET_EACH,    /* every occurrence of any slot, each its own span */
    SNIPPET_PHRASE,  /* slot i at position p + i, one span for the whole phrase */
    SNIPPET_NEAR     /* all slots within WINDOW positions; each occurrence its own span */
} snippet_group_kind;

/* One alternative for one slot of one group. */
typedef struct snippet_term {
    uint32_t group;
    uint32_t slot;
    snippet_match_kind kind;
    const char *text;   /* normalised or stemmed form; owned by whoever built the query */
    size_t len;
} snippet_term;

typedef struct snippet_group {
    snippet_group_kind kind;
    uint32_t n_slots;
    uint32_t window;    /* NEAR: the highest position minus the lowest must be < WINDOW */
    double weight;      /* how much the group's first occurrence is worth (> 0) */
} snippet_group;

/* The positive part of a query, as the highlighter needs it. */
typedef struct snippet_query {
    const snippet_term *terms;
    size_t n_terms;
    const snippet_group *groups;
    size_t n_groups;
} snippet_query;

/* A snippet: borrowed from the maker, valid until its next snippet_make(). */
typedef struct snippet {
    const char *text;        /* UTF-8, "…" where the passage was cut; NUL-terminated */
    size_t len;
    const size_t *spans;     /* n_spans pairs [start, end) of byte offsets into TEXT */
    size_t n_spans;
    uint32_t lines_before;   /* newlines in the passage before the window */
} snippet;

typedef struct snippet_maker snippet_maker;

/* A maker keeps its buffers from one snippet to the next. ANALYSER is
 * borrowed and must outlive the maker. NULL when out of memory. */
snippet_maker *snippet_maker_new(text_analyser *analyser);
void snippet_maker_free(snippet_maker *maker);

/* The snippet of the LEN bytes of valid UTF-8 at PASSAGE for QUERY, at most
 * MAX_CHARS characters of passage text (more only when a single word is
 * longer). Returns 0, or -1 when out of memory or when the analyser fails
 * (the message is then in *error, static storage). */
int snippet_make(snippet_maker *maker, const snippet_query *query, const char *passage,
                 size_t len, size_t max_chars, snippet *out, const char **error);

#endif
