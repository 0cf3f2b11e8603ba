/* test_parse.c — the query parser, table-driven: every syntax form gives the
 * expected tree (in query_node_format's canonical form), every syntax error
 * its column and message.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "query/parse.h"

typedef struct parse_case {
    const char *query;
    bool any;
    bool literal;
    const char *tree; /* expected canonical form */
} parse_case;

static const parse_case forms[] = {
    /* words: all must occur by default, any with --any */
    {"abduction", false, false, "abduction"},
    {"memory barrier", false, false, "(AND memory barrier)"},
    {"memory barrier", true, false, "(OR memory barrier)"},
    {"  spaced\tout  ", false, false, "(AND spaced out)"},
    {"システム管理　者", false, false, "(AND システム管理 者)"}, /* ideographic space */
    /* phrases, closed or not */
    {"\"Camp David\"", false, false, "\"Camp David\""},
    {"\"Camp David\" summit", false, false, "(AND \"Camp David\" summit)"},
    {"\"unclosed phrase", false, false, "\"unclosed phrase\""},
    {"\xe2\x80\x9c" "typographic quotes" "\xe2\x80\x9d", false, false, "\"typographic quotes\""},
    {"\"\"", false, false, "\"\""},
    /* hyphens, dots and stray punctuation stay in the word */
    {"multi-agent 38.101 Rapp-Hooper", false, false, "(AND multi-agent 38.101 Rapp-Hooper)"},
    {"C++ & ,", false, false, "(AND C++ & ,)"},
    {"a - b", false, false, "(AND a - b)"},
    {"a + b", false, false, "(AND a + b)"},
    {"a)", false, false, "a"},
    {") a", false, false, "a"},
    {"", false, false, "<empty>"},
    {"   ", false, false, "<empty>"},
    /* modifiers */
    {"sanctions -Stockholm", false, false, "(NOT sanctions Stockholm)"},
    {"a -b -c", false, false, "(NOT a (OR b c))"},
    {"+a b", false, false, "(AND a b)"},
    {"+a b c", true, false, "(MAYBE a (OR b c))"},
    {"+a +b c", true, false, "(MAYBE (AND a b) c)"},
    {"a b -c", true, false, "(NOT (OR a b) c)"},
    {"-\"Camp David\" summit", false, false, "(NOT summit \"Camp David\")"},
    {"-(a b) c", false, false, "(NOT c (AND a b))"},
    {"-b", false, false, "(NOT <all> b)"},
    {"NOT b", false, false, "(NOT <all> b)"},
    {"-+a", false, false, "(NOT <all> +a)"},
    /* boolean operators: OR binds loosest, sequences tightest */
    {"a AND b", false, false, "(AND a b)"},
    {"a OR b", false, false, "(OR a b)"},
    {"a OR b OR c", false, false, "(OR a b c)"},
    {"a b OR c d", false, false, "(OR (AND a b) (AND c d))"},
    {"a OR b AND c", false, false, "(OR a (AND b c))"},
    {"a NOT b", false, false, "(NOT a b)"},
    {"a AND NOT b", false, false, "(NOT a b)"},
    {"a NOT b NOT c", false, false, "(NOT (NOT a b) c)"},
    {"(a OR b) c", false, false, "(AND (OR a b) c)"},
    {"((a))", false, false, "a"},
    {"a OR NOT b", false, false, "(OR a (NOT <all> b))"},
    {"and or not near", false, false, "(AND and or not near)"},
    {"+AND", false, false, "AND"},
    /* NEAR */
    {"a NEAR b", false, false, "(NEAR/10 a b)"},
    {"a NEAR/3 b", false, false, "(NEAR/3 a b)"},
    {"a NEAR/2 b NEAR/5 c", false, false, "(NEAR/5 a b c)"},
    {"x a NEAR/0 b", false, false, "(AND x (NEAR/0 a b))"},
    {"-a NEAR b c", false, false, "(NOT c (NEAR/10 a b))"},
    /* prefixes */
    {"abduct*", false, false, "abduct*"},
    {"abduct** x", false, false, "(AND abduct* x)"},
    {"*", false, false, "*"},
    {"a*b", false, false, "a*b"},
    /* filters */
    {"path:/usr/share/doc kernel", false, false, "(AND path:/usr/share/doc kernel)"},
    {"path:\"/tmp/My Documents\" x", false, false, "(AND path:/tmp/My Documents x)"},
    {"ext:md", false, false, "ext:md"},
    {"x after:2024-01-01 before:2024-02-29", false, false,
     "(AND x after:2024-01-01 before:2024-02-29)"},
    {"x -ext:txt", false, false, "(NOT x ext:txt)"},
    {"Path:x", false, false, "Path:x"},
    /* --literal: every operator is a word */
    {"a AND (b \"c\" -d NEAR e*", false, true, "(AND a AND (b \"c\" -d NEAR e*)"},
    {"x OR y", true, true, "(OR x OR y)"},
};

Test(parse, every_syntax_form_gives_its_tree)
{
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const parse_case *c = &forms[i];
        query_parse_options options = {.any = c->any, .literal = c->literal};
        query_node *root = NULL;
        query_syntax_error error;
        int rc = query_parse(c->query, strlen(c->query), &options, &root, &error);
        cr_expect_eq(rc, 0, "[%s] failed: %s", c->query, error.message);
        char *tree = query_node_format(root);
        cr_assert_not_null(tree);
        cr_expect_str_eq(tree, c->tree, "[%s]", c->query);
        free(tree);
        query_node_free(root);
    }
}

typedef struct error_case {
    const char *query;
    size_t column;
    const char *message;
} error_case;

static const error_case errors[] = {
    {"a AND", 6, "expected a word, a phrase or '(' after AND"},
    {"a AND )", 7, "expected a word, a phrase or '(' after AND"},
    {"a OR", 5, "expected a word, a phrase or '(' after OR"},
    {"a NOT", 6, "expected a word, a phrase or '(' after NOT"},
    {"a AND NOT", 10, "expected a word, a phrase or '(' after AND NOT"},
    {"a NOT NOT b", 7, "expected a word, a phrase or '(' after NOT"},
    {"AND a", 1, "expected a word, a phrase or '(' before AND"},
    {"OR a", 1, "expected a word, a phrase or '(' before OR"},
    {"(a b", 5, "expected ')' to close the '(' at column 1"},
    {"x AND (b OR", 12, "expected a word, a phrase or '(' after OR"},
    {"x AND (b OR c", 14, "expected ')' to close the '(' at column 7"},
    {"x ()", 4, "expected a word, a phrase or '(' before ')'"},
    {"a NEAR", 7, "NEAR joins words: expected a word after NEAR"},
    {"a NEAR (b)", 8, "NEAR joins words: expected a word after NEAR"},
    {"\"a b\" NEAR c", 7, "NEAR joins words: expected a word before NEAR"},
    {"a NEAR/x b", 3, "expected NEAR or NEAR/n with n from 0 to 1000"},
    {"a NEAR/1001 b", 3, "expected NEAR or NEAR/n with n from 0 to 1000"},
    {"NEAR a", 1, "expected a word, a phrase or '(' before NEAR"},
    {"path: x", 6, "expected a folder or file after path:"},
    {"ext:", 5, "expected a file extension after ext:"},
    {"after:2024-13-01", 7, "expected a date YYYY-MM-DD after after:"},
    {"before:2023-02-29", 8, "expected a date YYYY-MM-DD after before:"},
    {"before:yesterday", 8, "expected a date YYYY-MM-DD after before:"},
    {"システム AND", 9, "expected a word, a phrase or '(' after AND"}, /* columns count characters */
    {"-", 0, NULL}, /* not an error: a lone '-' is punctuation */
};

Test(parse, every_error_names_its_column_and_what_was_expected)
{
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        const error_case *c = &errors[i];
        size_t len = strlen(c->query);
        query_node *root = NULL;
        query_syntax_error error;
        int rc = query_parse(c->query, len, NULL, &root, &error);
        if (!c->message) {
            cr_expect_eq(rc, 0, "[%s] should parse", c->query);
            query_node_free(root);
            continue;
        }
        cr_expect_eq(rc, -1, "[%s] should fail", c->query);
        cr_expect_null(root);
        cr_expect_eq(query_column(c->query, len, error.offset), c->column, "[%s] column %zu",
                     c->query, query_column(c->query, len, error.offset));
        cr_expect_str_eq(error.message, c->message, "[%s]", c->query);
    }
}

Test(parse, deep_nesting_is_an_error_not_a_crash)
{
    size_t depth = 100000;
    char *query = malloc(2 * depth + 2);
    cr_assert_not_null(query);
    memset(query, '(', depth);
    query[depth] = 'a';
    memset(query + depth + 1, ')', depth);
    query[2 * depth + 1] = '\0';
    query_node *root = NULL;
    query_syntax_error error;
    cr_expect_eq(query_parse(query, strlen(query), NULL, &root, &error), -1);
    cr_expect(strstr(error.message, "nested") != NULL, "%s", error.message);
    free(query);
}

Test(parse, caret_stands_under_the_column_with_wide_characters)
{
    const char *query = "検索 AND";
    query_node *root = NULL;
    query_syntax_error error;
    cr_assert_eq(query_parse(query, strlen(query), NULL, &root, &error), -1);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert_not_null(out);
    query_print_error(out, query, strlen(query), &error);
    fclose(out);
    /* "検索" is four columns wide, " AND" four more: the caret is at column 9. */
    cr_expect(strstr(text, "\n          ^\n") != NULL, "%s", text);
    cr_expect(strstr(text, "column 7: expected") != NULL, "%s", text);
    free(text);
}

Test(parse, offsets_point_into_the_query)
{
    const char *query = "alpha -\"beta gamma\" path:/x";
    query_node *root = NULL;
    query_syntax_error error;
    cr_assert_eq(query_parse(query, strlen(query), NULL, &root, &error), 0);
    char *tree = query_node_format(root);
    cr_expect_str_eq(tree, "(NOT (AND alpha path:/x) \"beta gamma\")");
    free(tree);
    const query_node *and = root->children[0];
    cr_expect_eq(and->children[0]->offset, 0);
    cr_expect_eq(and->children[1]->offset, 20);
    cr_expect_eq(root->children[1]->offset, 7);
    cr_expect_eq(root->children[1]->text - query, 8);
    query_node_free(root);
}
