/* parse.h — the query language: a lexer and a recursive-descent parser that
 * turn the query text into a small syntax tree, before any analysis.
 *
 * Grammar (operators are upper case; the implicit operator between clauses
 * is AND, or OR with --any; precedence follows Xapian's QueryParser, so
 * `a b OR c d` is `(a b) OR (c d)`):
 *
 *   query    := or_expr
 *   or_expr  := and_expr ("OR" and_expr)*
 *   and_expr := sequence (("AND" | "AND NOT" | "NOT") sequence)*
 *   sequence := clause+                      implicit AND / OR between clauses
 *   clause   := ["+" | "-" | "NOT"] near
 *   near     := primary (("NEAR" | "NEAR/n") primary)*     primaries: words
 *   primary  := WORD | "PHRASE" | PREFIX* | FILTER | "(" or_expr ")"
 *   FILTER   := path:DIR | ext:EXT | after:YYYY-MM-DD | before:YYYY-MM-DD
 *
 * Lenient where a person would be: stray punctuation, a lone + or -, an
 * unmatched ')' and an unclosed quote are not errors. Words are kept as the
 * user typed them (hyphens, dots and all); analysis happens in plan.c.
 */
#ifndef KENSAKU_QUERY_PARSE_H
#define KENSAKU_QUERY_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum query_node_kind {
    QUERY_WORD,       /* a word as typed: analysed later, may become a phrase */
    QUERY_PHRASE,     /* the text between quotes */
    QUERY_PREFIX,     /* the text before a trailing '*' */
    QUERY_PATH,       /* path:DIR — a subtree (or one file) */
    QUERY_EXT,        /* ext:EXT — a file extension */
    QUERY_AFTER,      /* after:DATE — modified on or after that day (local time) */
    QUERY_BEFORE,     /* before:DATE — modified before that day (local time) */
    QUERY_ALL,        /* every file (the left side of a pure negation) */
    QUERY_AND,        /* every child */
    QUERY_OR,         /* any child */
    QUERY_AND_NOT,    /* child 0 without the files matching child 1 */
    QUERY_AND_MAYBE,  /* child 0; child 1 only adds weight */
    QUERY_NEAR        /* words within WINDOW words of each other, in one passage */
} query_node_kind;

typedef struct query_node query_node;
struct query_node {
    query_node_kind kind;
    const char *text;        /* leaves: points into the query string (not NUL-terminated) */
    size_t text_len;
    size_t offset;           /* byte offset of the node's first character in the query */
    uint32_t window;         /* NEAR: the n of NEAR/n (words allowed between) */
    int year, month, day;    /* AFTER/BEFORE: the date */
    size_t n_children;
    query_node **children;   /* owned */
};

#define QUERY_NEAR_DEFAULT 10
#define QUERY_NEAR_MAX 1000

typedef struct query_parse_options {
    bool any;      /* implicit operator OR (--any) instead of AND */
    bool literal;  /* no operators, quotes, filters or wildcards: plain words */
} query_parse_options;

typedef struct query_syntax_error {
    size_t offset;        /* byte offset in the query where the problem is */
    char message[160];    /* what was expected, e.g. "expected ')' to close the '(' at column 3" */
} query_syntax_error;

/* Parse QUERY (LEN bytes of UTF-8). On success *root is the tree (NULL when
 * the query holds nothing at all, e.g. only spaces) and 0 is returned; the
 * tree points into QUERY, which must outlive it. On a syntax error -1 is
 * returned and *error says where and why; on memory exhaustion -2. */
int query_parse(const char *query, size_t len, const query_parse_options *options,
                query_node **root, query_syntax_error *error);

void query_node_free(query_node *node);

/* The tree in a canonical one-line form, for tests and --debug:
 * (AND a (OR b "c d") (NOT e f)). Caller frees with free(). */
char *query_node_format(const query_node *node);

/* The 1-based column (in characters) of byte OFFSET in QUERY. */
size_t query_column(const char *query, size_t len, size_t offset);

/* Print a syntax error to OUT: the query, a caret under the column, the
 * message. East Asian wide characters count two columns for the caret. */
void query_print_error(FILE *out, const char *query, size_t len,
                       const query_syntax_error *error);

#endif
