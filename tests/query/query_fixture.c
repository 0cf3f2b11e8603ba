/* query_fixture.c — see query_fixture.h. */
#include "query_fixture.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "query/parse.h"
#include "text/config.h"

text_analyser *fixture_analyser(void)
{
    text_config config;
    text_config_default(&config);
    text_analyser *analyser = NULL;
    char *message = NULL;
    text_status status = text_analyser_new(&config, &analyser, &message);
    cr_assert_eq(status, TEXT_OK, "analyser: %s", message ? message : "?");
    free(message);
    return analyser;
}

void fixture_plan(text_analyser *analyser, const char *query, bool any, plan *out)
{
    query_parse_options options = {.any = any};
    query_node *root = NULL;
    query_syntax_error error;
    cr_assert_eq(query_parse(query, strlen(query), &options, &root, &error), 0, "[%s]: %s", query,
                 error.message);
    plan_context context = {analyser, true, "/home/user", "/home/user"};
    char *message = NULL;
    int rc = plan_build(&context, query, root, out, &message);
    query_node_free(root);
    cr_assert_eq(rc, 0, "[%s]: plan failed: %s", query, message ? message : "(empty)");
}

char *fixture_mark(const snippet *s)
{
    size_t cap = s->len + 2 * s->n_spans + 1, n = 0, at = 0;
    char *out = malloc(cap);
    cr_assert_not_null(out);
    for (size_t i = 0; i < s->n_spans; i++) {
        size_t start = s->spans[2 * i], end = s->spans[2 * i + 1];
        memcpy(out + n, s->text + at, start - at);
        n += start - at;
        out[n++] = '[';
        memcpy(out + n, s->text + start, end - start);
        n += end - start;
        out[n++] = ']';
        at = end;
    }
    memcpy(out + n, s->text + at, s->len - at);
    n += s->len - at;
    out[n] = '\0';
    return out;
}

char *fixture_snippet(const char *passage, const char *query, size_t limit)
{
    text_analyser *analyser = fixture_analyser();
    plan p;
    fixture_plan(analyser, query, false, &p);
    snippet_maker *maker = snippet_maker_new(analyser);
    cr_assert_not_null(maker);
    snippet_query spec = {p.terms, p.n_terms, p.groups, p.n_groups};
    snippet s;
    const char *error = NULL;
    cr_assert_eq(snippet_make(maker, &spec, passage, strlen(passage), limit, &s, &error), 0, "%s",
                 error);
    char *marked = fixture_mark(&s);
    snippet_maker_free(maker);
    plan_free(&p);
    text_analyser_free(analyser);
    return marked;
}
