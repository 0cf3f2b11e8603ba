/* parse.c — lexer and recursive-descent parser for the query language
 * (grammar in parse.h). The parser only builds the tree; words are analysed
 * with the database's analyser later (plan.c), so parsing never needs ICU's
 * segmentation and its errors are only about structure.
 */
#include "query/parse.h"

#include "query/array.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Deeper nesting than this is an error rather than a stack overflow. */
#define MAX_DEPTH 64

/* ------------------------------------------------------------------ lexer */

typedef enum token_type {
    TOK_END,
    TOK_WORD,
    TOK_PHRASE,
    TOK_PREFIX,
    TOK_FILTER,
    TOK_LPAREN,
    TOK_RPAREN,
    TOK_PLUS,
    TOK_MINUS,
    TOK_AND,
    TOK_OR,
    TOK_NOT,
    TOK_NEAR
} token_type;

typedef struct token {
    token_type type;
    size_t offset;           /* byte offset of the token in the query */
    const char *text;        /* word, phrase, prefix or filter value */
    size_t text_len;
    size_t value_offset;     /* filters: where the value starts (for errors) */
    query_node_kind filter;  /* filters: which one */
    uint32_t window;         /* NEAR */
} token;

typedef struct lexer {
    const char *query;
    size_t len;
    size_t pos;
    bool literal;
    bool after_modifier;     /* the previous token was + or - glued to this chunk */
} lexer;

typedef struct parser {
    lexer lex;
    token tok;               /* the lookahead */
    bool any;
    int depth;
    query_syntax_error *error;
    bool failed;
    bool no_memory;
} parser;

/* Length of the white space at P (0 if none): ASCII white space, NBSP and
 * the ideographic space that Japanese input methods type. */
static size_t space_len(const char *p, size_t left)
{
    unsigned char c = (unsigned char)p[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (left >= 2 && c == 0xC2 && (unsigned char)p[1] == 0xA0)
        return 2;
    if (left >= 3 && c == 0xE3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
        return 3;
    return 0;
}

/* Length of a quote character at P: '"' or the typographic double quotes. */
static size_t quote_len(const char *p, size_t left)
{
    if (p[0] == '"')
        return 1;
    if (left >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
        ((unsigned char)p[2] == 0x9C || (unsigned char)p[2] == 0x9D))
        return 3;
    return 0;
}

/* Does a word chunk end at P? */
static bool chunk_ends(const lexer *lx, size_t pos)
{
    if (pos >= lx->len)
        return true;
    const char *p = lx->query + pos;
    size_t left = lx->len - pos;
    if (space_len(p, left))
        return true;
    if (lx->literal)
        return false;
    return *p == '(' || *p == ')' || quote_len(p, left);
}

/* Is a '+' or '-' just before POS a modifier? Only when something it can
 * apply to follows at once: "-word", "-\"a phrase\"", "-(a b)". */
static bool modifies(const lexer *lx, size_t pos)
{
    return pos < lx->len && !space_len(lx->query + pos, lx->len - pos) &&
           lx->query[pos] != ')';
}

static size_t skip_space(const lexer *lx, size_t pos)
{
    size_t n;
    while (pos < lx->len && (n = space_len(lx->query + pos, lx->len - pos)))
        pos += n;
    return pos;
}

static bool chunk_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

static const struct {
    const char *prefix;
    query_node_kind kind;
} filters[] = {
    {"path:", QUERY_PATH},
    {"ext:", QUERY_EXT},
    {"after:", QUERY_AFTER},
    {"before:", QUERY_BEFORE},
};

/* Record the first error only: later ones are consequences of it. */
static void parse_error(parser *ps, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void parse_error(parser *ps, size_t offset, const char *fmt, ...)
{
    if (ps->failed)
        return;
    ps->failed = true;
    ps->error->offset = offset;
    va_list args;
    va_start(args, fmt);
    vsnprintf(ps->error->message, sizeof ps->error->message, fmt, args);
    va_end(args);
}

/* A quoted phrase starting at the quote at POS. An unclosed quote runs to
 * the end of the query: a forgotten quote is not worth an error. */
static void lex_phrase(lexer *lx, token *t, size_t open_len)
{
    size_t start = lx->pos + open_len, p = start, q = 0;
    while (p < lx->len && !(q = quote_len(lx->query + p, lx->len - p)))
        p++;
    t->type = TOK_PHRASE;
    t->text = lx->query + start;
    t->text_len = p - start;
    lx->pos = p < lx->len ? p + q : p;
}

/* A filter: PREFIX already matched at the chunk start; the value runs to the
 * end of the chunk, or is quoted (path:"My Documents"). */
static void lex_filter(lexer *lx, token *t, size_t prefix_len, query_node_kind kind)
{
    size_t value = lx->pos + prefix_len, q;
    t->type = TOK_FILTER;
    t->filter = kind;
    t->value_offset = value;
    if (value < lx->len && (q = quote_len(lx->query + value, lx->len - value))) {
        size_t p = value + q, close = 0;
        while (p < lx->len && !(close = quote_len(lx->query + p, lx->len - p)))
            p++;
        t->text = lx->query + value + q;
        t->text_len = p - (value + q);
        lx->pos = p < lx->len ? p + close : p;
        return;
    }
    size_t end = value;
    while (!chunk_ends(lx, end))
        end++;
    t->text = lx->query + value;
    t->text_len = end - value;
    lx->pos = end;
}

/* NEAR or NEAR/n; false for a malformed count (the caller reports it). */
static bool lex_near(const char *s, size_t n, uint32_t *window)
{
    *window = QUERY_NEAR_DEFAULT;
    if (n == 4)
        return true;
    if (n < 6 || s[4] != '/' || n > 9)
        return false;
    uint32_t w = 0;
    for (size_t i = 5; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        w = w * 10 + (uint32_t)(s[i] - '0');
    }
    if (w > QUERY_NEAR_MAX)
        return false;
    *window = w;
    return true;
}

/* Classify the chunk [lx->pos, end): operator, modifier, filter, prefix or word. */
static void lex_chunk(parser *ps, token *t, size_t end)
{
    lexer *lx = &ps->lex;
    const char *s = lx->query + lx->pos;
    size_t n = end - lx->pos;
    bool glued = lx->after_modifier;
    lx->after_modifier = false;
    t->text = s;
    t->text_len = n;
    if (lx->literal) {
        t->type = TOK_WORD;
        lx->pos = end;
        return;
    }
    if ((s[0] == '+' || s[0] == '-') && !glued && modifies(lx, lx->pos + 1)) {
        t->type = s[0] == '+' ? TOK_PLUS : TOK_MINUS;
        lx->pos += 1;
        lx->after_modifier = true;
        return;
    }
    if (!glued) {
        if (chunk_is(s, n, "AND") || chunk_is(s, n, "OR") || chunk_is(s, n, "NOT")) {
            t->type = s[0] == 'A' ? TOK_AND : s[0] == 'O' ? TOK_OR : TOK_NOT;
            lx->pos = end;
            return;
        }
        if (n >= 4 && memcmp(s, "NEAR", 4) == 0 && (n == 4 || s[4] == '/')) {
            t->type = TOK_NEAR;
            lx->pos = end;
            if (!lex_near(s, n, &t->window))
                parse_error(ps, t->offset, "expected NEAR or NEAR/n with n from 0 to %d", QUERY_NEAR_MAX);
            return;
        }
    }
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        size_t plen = strlen(filters[i].prefix);
        if (n >= plen && memcmp(s, filters[i].prefix, plen) == 0) {
            lex_filter(lx, t, plen, filters[i].kind);
            return;
        }
    }
    lx->pos = end;
    size_t stem = n;
    while (stem > 0 && s[stem - 1] == '*')
        stem--;
    if (stem < n && stem > 0) {
        t->type = TOK_PREFIX;
        t->text_len = stem;
        return;
    }
    t->type = TOK_WORD;
}

static void lex_next(parser *ps)
{
    lexer *lx = &ps->lex;
    token *t = &ps->tok;
    memset(t, 0, sizeof *t);
    if (!lx->after_modifier)
        lx->pos = skip_space(lx, lx->pos);
    t->offset = lx->pos;
    if (lx->pos >= lx->len) {
        t->type = TOK_END;
        return;
    }
    const char *p = lx->query + lx->pos;
    size_t q;
    if (!lx->literal) {
        if (*p == '(' || *p == ')') {
            t->type = *p == '(' ? TOK_LPAREN : TOK_RPAREN;
            lx->pos++;
            lx->after_modifier = false;
            return;
        }
        if ((q = quote_len(p, lx->len - lx->pos))) {
            lx->after_modifier = false;
            lex_phrase(lx, t, q);
            return;
        }
    }
    size_t end = lx->pos;
    while (!chunk_ends(lx, end))
        end++;
    lex_chunk(ps, t, end);
}

/* ------------------------------------------------------------------- tree */

static query_node *node_new(parser *ps, query_node_kind kind, size_t offset)
{
    query_node *node = calloc(1, sizeof *node);
    if (!node)
        ps->no_memory = ps->failed = true;
    else {
        node->kind = kind;
        node->offset = offset;
    }
    return node;
}

void query_node_free(query_node *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->n_children; i++)
        query_node_free(node->children[i]);
    free(node->children);
    free(node);
}

static bool node_add(parser *ps, query_node *parent, query_node *child)
{
    query_node **grown = realloc(parent->children,
                                 (parent->n_children + 1) * sizeof *grown);
    if (!grown) {
        ps->no_memory = ps->failed = true;
        query_node_free(child);
        return false;
    }
    parent->children = grown;
    parent->children[parent->n_children++] = child;
    return true;
}

/* A node of KIND over LEFT and RIGHT; AND and OR are kept flat. Takes
 * ownership of both, frees both on failure. */
static query_node *combine(parser *ps, query_node_kind kind, query_node *left,
                           query_node *right)
{
    if (!left || !right) {
        query_node_free(left);
        query_node_free(right);
        return NULL;
    }
    query_node *node = left;
    if (!((kind == QUERY_AND || kind == QUERY_OR) && left->kind == kind)) {
        node = node_new(ps, kind, left->offset);
        if (!node || !node_add(ps, node, left)) {
            query_node_free(node);
            query_node_free(right);
            return NULL;
        }
    }
    if (!node_add(ps, node, right)) {
        query_node_free(node);
        return NULL;
    }
    return node;
}

/* ----------------------------------------------------------------- parser */

static const char *describe(const token *t)
{
    switch (t->type) {
    case TOK_END: return "the end of the query";
    case TOK_RPAREN: return "')'";
    case TOK_AND: return "AND";
    case TOK_OR: return "OR";
    case TOK_NOT: return "NOT";
    case TOK_NEAR: return "NEAR";
    default: return "something else";
    }
}

/* Report that an operand was expected where the lookahead stands. AFTER names
 * the operator before it (NULL at the start of an expression). */
static void expected_operand(parser *ps, const char *after)
{
    if (after)
        parse_error(ps, ps->tok.offset, "expected a word, a phrase or '(' after %s", after);
    else
        parse_error(ps, ps->tok.offset, "expected a word, a phrase or '(' before %s",
                    describe(&ps->tok));
}

static bool starts_clause(const parser *ps)
{
    switch (ps->tok.type) {
    case TOK_WORD: case TOK_PHRASE: case TOK_PREFIX: case TOK_FILTER:
    case TOK_LPAREN: case TOK_PLUS: case TOK_MINUS: case TOK_NOT:
        return true;
    default:
        return false;
    }
}

static query_node *parse_or(parser *ps);

static bool valid_date(int y, int m, int d)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

/* YYYY-MM-DD into NODE; false if malformed. */
static bool parse_date(const token *t, query_node *node)
{
    const char *s = t->text;
    if (t->text_len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int v[3] = {0, 0, 0};
    static const size_t starts[] = {0, 5, 8}, lens[] = {4, 2, 2};
    for (int f = 0; f < 3; f++)
        for (size_t i = starts[f]; i < starts[f] + lens[f]; i++) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            v[f] = v[f] * 10 + (s[i] - '0');
        }
    node->year = v[0];
    node->month = v[1];
    node->day = v[2];
    return valid_date(v[0], v[1], v[2]);
}

static query_node *parse_filter(parser *ps)
{
    const token *t = &ps->tok;
    static const char *const needs[] = {
        [QUERY_PATH] = "expected a folder or file after path:",
        [QUERY_EXT] = "expected a file extension after ext:",
        [QUERY_AFTER] = "expected a date YYYY-MM-DD after after:",
        [QUERY_BEFORE] = "expected a date YYYY-MM-DD after before:",
    };
    query_node *node = node_new(ps, t->filter, t->offset);
    if (!node)
        return NULL;
    node->text = t->text;
    node->text_len = t->text_len;
    bool ok = t->text_len > 0;
    if (ok && (t->filter == QUERY_AFTER || t->filter == QUERY_BEFORE))
        ok = parse_date(t, node);
    if (!ok) {
        parse_error(ps, t->value_offset, "%s", needs[t->filter]);
        query_node_free(node);
        return NULL;
    }
    lex_next(ps);
    return node;
}

static query_node *parse_primary(parser *ps, const char *after)
{
    token t = ps->tok;
    query_node_kind kind;
    switch (t.type) {
    case TOK_WORD: kind = QUERY_WORD; break;
    case TOK_PHRASE: kind = QUERY_PHRASE; break;
    case TOK_PREFIX: kind = QUERY_PREFIX; break;
    case TOK_FILTER:
        return parse_filter(ps);
    case TOK_LPAREN: {
        if (ps->depth >= MAX_DEPTH) {
            parse_error(ps, t.offset, "parentheses nested more than %d deep", MAX_DEPTH);
            return NULL;
        }
        ps->depth++;
        lex_next(ps);
        query_node *inner = parse_or(ps);
        ps->depth--;
        if (!inner)
            return NULL;
        if (ps->tok.type != TOK_RPAREN) {
            parse_error(ps, ps->tok.offset, "expected ')' to close the '(' at column %zu",
                        query_column(ps->lex.query, ps->lex.len, t.offset));
            query_node_free(inner);
            return NULL;
        }
        lex_next(ps);
        return inner;
    }
    default:
        expected_operand(ps, after);
        return NULL;
    }
    query_node *node = node_new(ps, kind, t.offset);
    if (node) {
        node->text = t.text;
        node->text_len = t.text_len;
        lex_next(ps);
    }
    return node;
}

/* primary (NEAR primary)*: every operand of NEAR must be a word. */
static query_node *parse_near(parser *ps, const char *after)
{
    query_node *left = parse_primary(ps, after);
    if (!left || ps->tok.type != TOK_NEAR)
        return left;
    if (left->kind != QUERY_WORD) {
        parse_error(ps, ps->tok.offset, "NEAR joins words: expected a word before NEAR");
        query_node_free(left);
        return NULL;
    }
    query_node *near = node_new(ps, QUERY_NEAR, left->offset);
    if (!near || !node_add(ps, near, left)) {
        query_node_free(near);
        return NULL;
    }
    near->window = 0;
    while (!ps->failed && ps->tok.type == TOK_NEAR) {
        if (ps->tok.window > near->window)
            near->window = ps->tok.window;
        lex_next(ps);
        if (ps->failed)
            break;
        if (ps->tok.type != TOK_WORD) {
            parse_error(ps, ps->tok.offset, "NEAR joins words: expected a word after NEAR");
            break;
        }
        query_node *word = parse_primary(ps, "NEAR");
        if (!word || !node_add(ps, near, word))
            break;
    }
    if (ps->failed) {
        query_node_free(near);
        return NULL;
    }
    return near;
}

/* The clauses of one sequence, sorted by their modifier. */
typedef struct clauses {
    query_node *required;   /* AND of + clauses (and plain ones when ALL) */
    query_node *optional;   /* OR of plain clauses (with --any) */
    query_node *excluded;   /* OR of - and NOT clauses */
} clauses;

static bool add_clause(parser *ps, query_node **group, query_node_kind kind, query_node *c)
{
    *group = *group ? combine(ps, kind, *group, c) : c;
    return *group != NULL;
}

/* Build the sequence's node: required AND-ed, optional OR-ed (AND_MAYBE when
 * something is required), excluded files removed (AND_NOT). */
static query_node *finish_sequence(parser *ps, clauses *c, size_t offset)
{
    query_node *base = c->required;
    if (base && c->optional)
        base = combine(ps, QUERY_AND_MAYBE, base, c->optional);
    else if (!base)
        base = c->optional;
    c->required = c->optional = NULL;
    if (!base && !ps->failed)
        base = node_new(ps, QUERY_ALL, offset);
    if (c->excluded) {
        base = combine(ps, QUERY_AND_NOT, base, c->excluded);
        c->excluded = NULL;
    }
    return base;
}

static query_node *parse_sequence(parser *ps, const char *after)
{
    clauses c = {NULL, NULL, NULL};
    size_t offset = ps->tok.offset, count = 0;
    for (;;) {
        if (ps->tok.type == TOK_RPAREN && ps->depth == 0 && (count > 0 || !after)) {
            lex_next(ps); /* an unmatched ')' is stray punctuation */
            continue;
        }
        if (!starts_clause(ps) || (count > 0 && ps->tok.type == TOK_NOT))
            break;
        int modifier = 0;
        const char *what = after;
        while (ps->tok.type == TOK_PLUS || ps->tok.type == TOK_MINUS ||
               (ps->tok.type == TOK_NOT && count == 0 && modifier == 0)) {
            modifier = ps->tok.type == TOK_PLUS ? '+' : '-';
            what = ps->tok.type == TOK_NOT ? "NOT" : modifier == '+' ? "'+'" : "'-'";
            lex_next(ps);
        }
        query_node *clause = parse_near(ps, count == 0 || modifier ? what : NULL);
        if (!clause)
            break;
        bool ok;
        if (modifier == '-')
            ok = add_clause(ps, &c.excluded, QUERY_OR, clause);
        else if (modifier == '+' || !ps->any)
            ok = add_clause(ps, &c.required, QUERY_AND, clause);
        else
            ok = add_clause(ps, &c.optional, QUERY_OR, clause);
        if (!ok)
            break;
        count++;
    }
    if (!ps->failed && count == 0)
        expected_operand(ps, after);
    if (ps->failed) {
        query_node_free(c.required);
        query_node_free(c.optional);
        query_node_free(c.excluded);
        return NULL;
    }
    return finish_sequence(ps, &c, offset);
}

static query_node *parse_and(parser *ps, const char *after)
{
    query_node *left = parse_sequence(ps, after);
    while (left && (ps->tok.type == TOK_AND || ps->tok.type == TOK_NOT)) {
        query_node_kind kind = ps->tok.type == TOK_AND ? QUERY_AND : QUERY_AND_NOT;
        const char *op = kind == QUERY_AND ? "AND" : "NOT";
        lex_next(ps);
        if (kind == QUERY_AND && ps->tok.type == TOK_NOT) {
            kind = QUERY_AND_NOT;
            op = "AND NOT";
            lex_next(ps);
        }
        if (ps->tok.type == TOK_NOT) { /* NOT NOT x: one negation too many to guess */
            expected_operand(ps, op);
            query_node_free(left);
            return NULL;
        }
        left = combine(ps, kind, left, parse_sequence(ps, op));
    }
    return left;
}

static query_node *parse_or(parser *ps)
{
    query_node *left = parse_and(ps, NULL);
    while (left && ps->tok.type == TOK_OR) {
        lex_next(ps);
        left = combine(ps, QUERY_OR, left, parse_and(ps, "OR"));
    }
    return left;
}

int query_parse(const char *query, size_t len, const query_parse_options *options,
                query_node **root, query_syntax_error *error)
{
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.lex.query = query;
    ps.lex.len = len;
    ps.lex.literal = options && options->literal;
    ps.any = options && options->any;
    ps.error = error;
    memset(error, 0, sizeof *error);
    *root = NULL;

    lex_next(&ps);
    while (!ps.failed && ps.tok.type == TOK_RPAREN)
        lex_next(&ps);
    if (ps.failed)
        return ps.no_memory ? -2 : -1;
    if (ps.tok.type == TOK_END)
        return 0;
    query_node *tree = parse_or(&ps);
    if (tree && !ps.failed && ps.tok.type != TOK_END) {
        /* Only a ')' can stop parse_or early at the top level, and stray
         * ones are skipped; anything else is an operator with no operand. */
        expected_operand(&ps, NULL);
    }
    if (ps.failed) {
        query_node_free(tree);
        return ps.no_memory ? -2 : -1;
    }
    *root = tree;
    return 0;
}

/* ------------------------------------------------------------- formatting */

typedef struct strbuf {
    char *data;
    size_t len, cap;
    bool failed;
} strbuf;

static void sb_add(strbuf *sb, const char *s, size_t n)
{
    if (sb->failed)
        return;
    if (!array_reserve(&sb->data, &sb->cap, sb->len + n + 1, 1)) {
        sb->failed = true;
        return;
    }
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

static void sb_str(strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

static void format_node(strbuf *sb, const query_node *node)
{
    static const char *const names[] = {
        [QUERY_AND] = "AND", [QUERY_OR] = "OR", [QUERY_AND_NOT] = "NOT",
        [QUERY_AND_MAYBE] = "MAYBE", [QUERY_NEAR] = "NEAR",
    };
    static const char *const filter_names[] = {
        [QUERY_PATH] = "path:", [QUERY_EXT] = "ext:",
        [QUERY_AFTER] = "after:", [QUERY_BEFORE] = "before:",
    };
    switch (node->kind) {
    case QUERY_WORD:
        sb_add(sb, node->text, node->text_len);
        return;
    case QUERY_PHRASE:
        sb_str(sb, "\"");
        sb_add(sb, node->text, node->text_len);
        sb_str(sb, "\"");
        return;
    case QUERY_PREFIX:
        sb_add(sb, node->text, node->text_len);
        sb_str(sb, "*");
        return;
    case QUERY_PATH: case QUERY_EXT: case QUERY_AFTER: case QUERY_BEFORE:
        sb_str(sb, filter_names[node->kind]);
        sb_add(sb, node->text, node->text_len);
        return;
    case QUERY_ALL:
        sb_str(sb, "<all>");
        return;
    default:
        break;
    }
    sb_str(sb, "(");
    sb_str(sb, names[node->kind]);
    if (node->kind == QUERY_NEAR) {
        char window[16];
        snprintf(window, sizeof window, "/%u", (unsigned)node->window);
        sb_str(sb, window);
    }
    for (size_t i = 0; i < node->n_children; i++) {
        sb_str(sb, " ");
        format_node(sb, node->children[i]);
    }
    sb_str(sb, ")");
}

char *query_node_format(const query_node *node)
{
    strbuf sb = {NULL, 0, 0, false};
    if (node)
        format_node(&sb, node);
    else
        sb_str(&sb, "<empty>");
    if (sb.failed) {
        free(sb.data);
        return NULL;
    }
    return sb.data;
}

/* ----------------------------------------------------------------- errors */

size_t query_column(const char *query, size_t len, size_t offset)
{
    size_t column = 1;
    for (size_t i = 0; i < offset && i < len; i++)
        column += ((unsigned char)query[i] & 0xC0) != 0x80;
    return column;
}

/* Terminal columns taken by code point C. */
static int display_width(UChar32 c)
{
    if (c < 0)
        return 1;
    int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR)
        return 0;
    int width = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    return width == U_EA_WIDE || width == U_EA_FULLWIDTH ? 2 : 1;
}

void query_print_error(FILE *out, const char *query, size_t len,
                       const query_syntax_error *error)
{
    fputs("  ", out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)query[i];
        fputc(c < 0x20 || c == 0x7F ? ' ' : c, out);
    }
    fputs("\n  ", out);
    int32_t i = 0, n = (int32_t)(len < (size_t)INT32_MAX ? len : INT32_MAX);
    while (i < n && (size_t)i < error->offset) {
        UChar32 c;
        U8_NEXT((const uint8_t *)query, i, n, c);
        for (int w = display_width(c); w > 0; w--)
            fputc(' ', out);
    }
    fprintf(out, "^\nkensaku: column %zu: %s\n", query_column(query, len, error->offset),
            error->message);
}
