/* plan.h — from the syntax tree to what is run against the index.
 *
 * Every word, phrase, NEAR group, prefix and filter of the query becomes a
 * leaf: a passage-level Xapian query built from the words as text/ analyses
 * them with the database's configuration (stemmed words as Z terms, phrases
 * of exact terms, CJK runs as bigram phrases weighted by their dictionary
 * words). The boolean structure above the leaves is kept as a tree and
 * evaluated on sets of files (fileset.c), because the file is the unit of
 * matching; the positive leaves OR-ed together rank the passages of the
 * matching files. When the query is such that a file matches exactly when
 * one of its passages matches (one leaf, an OR of leaves, filters around
 * them), the plan says so and the file sets are skipped.
 */
#ifndef KENSAKU_QUERY_PLAN_H
#define KENSAKU_QUERY_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/parse.h"
#include "query/snippet.h"
#include "shim/shim.h"
#include "text/analyse.h"

/* Most terms a prefix* expands to (the most frequent are kept). */
#define PLAN_MAX_EXPANSION 100

typedef enum plan_op {
    PLAN_LEAF,
    PLAN_ALL,        /* every file */
    PLAN_AND,
    PLAN_OR,
    PLAN_AND_NOT,    /* child 0 minus child 1 */
    PLAN_AND_MAYBE   /* child 0; child 1 ranks only */
} plan_op;

typedef struct plan_node plan_node;
struct plan_node {
    plan_op op;
    size_t leaf;             /* PLAN_LEAF: index into plan.leaves */
    size_t n_children;
    plan_node **children;    /* owned */
};

typedef struct plan_leaf {
    shim_query *query;       /* passage-level query; owned */
    bool filter;             /* a file attribute: path, ext, date */
    bool positive;           /* outside every NOT: ranks and is highlighted */
    char *estimate_term;     /* a term whose frequency bounds the leaf's (NULL: unknown); owned */
    bool single_term;        /* QUERY is exactly that term (its postlist is the leaf's passages) */
} plan_leaf;

/* A word the user typed, for "did you mean". */
typedef struct plan_word {
    size_t offset, len;      /* in the query text */
    char *normalised;        /* owned */
} plan_word;

typedef struct plan {
    plan_node *root;             /* never NULL after a successful build */
    plan_leaf *leaves;
    size_t n_leaves;
    shim_query *rank;            /* ranks passages of matching files; owned */
    /* Non-NULL when a passage matches it exactly when its file matches the
     * query: then no file sets are needed. Owned. */
    shim_query *direct;
    /* Highlighting: groups and terms for snippet_make (the weights are
     * filled in after the search, from weight_terms). */
    snippet_group *groups;
    size_t n_groups;
    snippet_term *terms;
    size_t n_terms;
    /* The Xapian terms whose idf add up to each group's weight:
     * weight_terms[i] belongs to group weight_groups[i]. Borrowed from strings. */
    const char **weight_terms;
    size_t *weight_groups;
    size_t n_weight_terms;
    plan_word *words;
    size_t n_words;
    char **strings;              /* storage for the texts above */
    size_t n_strings;
} plan;

typedef struct plan_context {
    text_analyser *analyser;     /* the database's analyser */
    bool stemming;               /* the database has Z terms (language != none) */
    const char *cwd;             /* for relative path: filters */
    const char *home;            /* for path:~/... (may be NULL) */
} plan_context;

/* Build the plan of the tree ROOT parsed from QUERY. Returns 0; 1 when the
 * query holds nothing to search for (only punctuation, say); -1 on failure
 * with *message (caller frees) saying why. */
int plan_build(const plan_context *context, const char *query, const query_node *root,
               plan *out, char **message);

void plan_free(plan *p);

/* Does every file the tree accepts hold a passage matching some positive
 * leaf? When not (a filter alone, a pure negation), ranking also needs a
 * query matching every passage. */
bool plan_node_guarantees_positive(const plan *p, const plan_node *node);

#endif
