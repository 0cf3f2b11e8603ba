/* fuzz_query.c — the query parser (query/parse.h) on arbitrary bytes.
 *
 * Every input is parsed four times: plain and --any, with and without
 * --literal. Nothing may crash or leak; a syntax error must point inside the
 * query; a tree must keep the shape parse.h describes, its leaves pointing
 * into the query; --literal must give plain words and never an error.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz_check.h"
#include "query/parse.h"

static bool is_leaf(query_node_kind kind)
{
    switch (kind) {
    case QUERY_WORD: case QUERY_PHRASE: case QUERY_PREFIX: case QUERY_PATH:
    case QUERY_EXT: case QUERY_AFTER: case QUERY_BEFORE:
        return true;
    default:
        return false;
    }
}

static bool has_ascii_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' ||
            s[i] == '\v')
            return true;
    return false;
}

static void check_leaf(const query_node *node, const char *query, size_t len)
{
    FUZZ_CHECK(node->n_children == 0 && node->children == NULL);
    FUZZ_CHECK(node->text != NULL);
    FUZZ_CHECK(node->text >= query && node->text_len <= len);
    FUZZ_CHECK((size_t)(node->text - query) <= len - node->text_len);
    size_t text_offset = (size_t)(node->text - query);
    switch (node->kind) {
    case QUERY_WORD:
    case QUERY_PREFIX:
        /* A word is the chunk as typed, starting where the node does. */
        FUZZ_CHECK(node->text_len > 0 && text_offset == node->offset);
        FUZZ_CHECK(!has_ascii_space(node->text, node->text_len));
        break;
    case QUERY_PHRASE:
        FUZZ_CHECK(text_offset > node->offset); /* after the opening quote */
        break;
    case QUERY_AFTER:
    case QUERY_BEFORE:
        FUZZ_CHECK(node->text_len == 10);
        FUZZ_CHECK(node->year >= 1 && node->month >= 1 && node->month <= 12);
        FUZZ_CHECK(node->day >= 1 && node->day <= 31);
        /* A filter's value follows its prefix, as below. */
        __attribute__((fallthrough));
    default:
        FUZZ_CHECK(node->text_len > 0 && text_offset > node->offset);
        break;
    }
}

static void check_tree(const query_node *node, const char *query, size_t len,
                       const query_parse_options *options)
{
    FUZZ_CHECK(node != NULL);
    FUZZ_CHECK(node->offset < len); /* the node's first character */
    if (options->literal) /* plain words joined by the implicit operator */
        FUZZ_CHECK(node->kind == QUERY_WORD ||
                   node->kind == (options->any ? QUERY_OR : QUERY_AND));
    if (is_leaf(node->kind)) {
        check_leaf(node, query, len);
        return;
    }
    switch (node->kind) {
    case QUERY_ALL:
        FUZZ_CHECK(node->n_children == 0);
        return;
    case QUERY_AND:
    case QUERY_OR:
        FUZZ_CHECK(node->n_children >= 2);
        break;
    case QUERY_AND_NOT:
    case QUERY_AND_MAYBE:
        FUZZ_CHECK(node->n_children == 2);
        break;
    case QUERY_NEAR:
        FUZZ_CHECK(node->n_children >= 2 && node->window <= QUERY_NEAR_MAX);
        for (size_t i = 0; i < node->n_children; i++)
            FUZZ_CHECK(node->children[i] && node->children[i]->kind == QUERY_WORD);
        break;
    default:
        FUZZ_CHECK(!"a node kind parse.h does not know");
    }
    FUZZ_CHECK(node->children != NULL);
    for (size_t i = 0; i < node->n_children; i++)
        check_tree(node->children[i], query, len, options);
}

static bool has_ascii_alnum(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
            (s[i] >= 'a' && s[i] <= 'z'))
            return true;
    return false;
}

static void check_error(const char *query, size_t len, const query_syntax_error *error)
{
    FUZZ_CHECK(error->offset <= len);
    FUZZ_CHECK(memchr(error->message, '\0', sizeof error->message) != NULL);
    FUZZ_CHECK(error->message[0] != '\0');
    size_t column = query_column(query, len, error->offset);
    FUZZ_CHECK(column >= 1 && column <= len + 1);

    /* The caret printer walks the query by code points: it must stay inside. */
    char *printed = NULL;
    size_t printed_len = 0;
    FILE *out = open_memstream(&printed, &printed_len);
    FUZZ_CHECK(out != NULL);
    query_print_error(out, query, len, error);
    FUZZ_CHECK(fclose(out) == 0);
    FUZZ_CHECK(printed_len > 0 && strstr(printed, error->message) != NULL);
    free(printed);
}

static void parse_once(const char *query, size_t len, const query_parse_options *options)
{
    query_node *root = (query_node *)1; /* must be reset by query_parse */
    query_syntax_error error;
    int rc = query_parse(query, len, options, &root, &error);
    FUZZ_CHECK(rc == 0 || rc == -1 || rc == -2);
    if (rc != 0) {
        FUZZ_CHECK(root == NULL);
        FUZZ_CHECK(!options->literal || rc != -1); /* --literal has no syntax */
        if (rc == -1)
            check_error(query, len, &error);
        return;
    }
    if (!root) {
        /* "Nothing at all": no word could have been in the query. */
        FUZZ_CHECK(!has_ascii_alnum(query, len));
        return;
    }
    check_tree(root, query, len, options);
    char *formatted = query_node_format(root); /* the query's own bytes, NULs and all */
    FUZZ_CHECK(formatted != NULL);
    free(formatted);
    query_node_free(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The query is not NUL-terminated: the parser must honour LEN, and ASan
     * sees any read past the fuzzer's buffer. */
    const char *query = (const char *)data;
    for (int mode = 0; mode < 4; mode++) {
        query_parse_options options = {.any = mode & 1, .literal = mode & 2};
        parse_once(query, size, &options);
    }
    return 0;
}
