/* test_plan.c — what the planner makes of each query form: the Xapian query
 * that ranks (as Xapian describes it), whether file sets can be skipped, and
 * the highlighting groups. Analysis is the default analyser's, so the terms
 * are exactly what the indexer would store.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "query_fixture.h"

typedef struct plan_case {
    const char *query;
    bool any;
    bool direct;        /* a file matches when one of its passages does */
    size_t groups;      /* highlighting groups */
    const char *rank;   /* Xapian's description of the ranking query */
} plan_case;

static const plan_case cases[] = {
    {"abduction", false, true, 1, "Query((Zabduct OR 0.25 * abduction))"},
    {"memory barrier", false, false, 2, "Query(((Zmemori OR 0.25 * memory) OR (Zbarrier OR 0.25 * barrier)))"},
    {"memory barrier", true, true, 2, "Query(((Zmemori OR 0.25 * memory) OR (Zbarrier OR 0.25 * barrier)))"},
    {"\"Camp David\"", false, true, 1, "Query((camp PHRASE 2 david))"},
    {"\"word\"", false, true, 1, "Query(word)"},
    {"multi-agent", false, true, 1, "Query((multi PHRASE 2 agent))"},
    {"38.101", false, true, 1, "Query((Z38.101 OR 0.25 * 38.101))"},
    {"l'élève", false, true, 1, "Query(((Zl'elev SYNONYM Zelev) OR 0.25 * (l'eleve SYNONYM eleve)))"},
    {"a NEAR/3 b", false, true, 1, "Query((a NEAR 5 b))"},
    {"abduct*", false, true, 1, "Query(WILDCARD SYNONYM abduct)"},
    {"システム管理", false, true, 1,
     "Query(((XCシス PHRASE 5 XCステ PHRASE 5 XCテム PHRASE 5 XCム管 PHRASE 5 XC管理) "
     "AND_MAYBE (Zシステム OR Z管理)))"},
    {"京", false, true, 1, "Query((XC京 AND_MAYBE Z京))"},
    {"Linux管理", false, true, 2, "Query(((Zlinux OR 0.25 * linux) AND (XC管理 AND_MAYBE Z管理)))"},
    {"sanctions -Stockholm", false, false, 1, "Query((Zsanction OR 0.25 * sanctions))"},
    {"ext:md", false, true, 0, "Query(0 * Emd)"},
    {"x ext:md", false, true, 1, "Query(((Zx OR 0.25 * x) FILTER 0 * Emd))"},
    {"x -ext:md", false, true, 1, "Query(((Zx OR 0.25 * x) AND_NOT Emd))"},
    {"path:docs x", false, true, 1,
     "Query(((Zx OR 0.25 * x) FILTER 0 * (XP/home/user/docs OR XF/home/user/docs)))"},
    {"path:~/notes/../docs/ x", false, true, 1,
     "Query(((Zx OR 0.25 * x) FILTER 0 * (XP/home/user/docs OR XF/home/user/docs)))"},
    {"-x", false, false, 0, "Query(0 * <alldocuments>)"},
    {"x OR ext:md", false, false, 1, "Query(((Zx OR 0.25 * x) OR 0 * <alldocuments>))"},
    {"+a b", true, false, 2, "Query(((Za OR 0.25 * a) OR (Zb OR 0.25 * b)))"},
    {"a -b", true, false, 1, "Query((Za OR 0.25 * a))"},
    {"a , ;", false, true, 1, "Query((Za OR 0.25 * a))"},
};

Test(plan, each_query_form_gives_its_ranking_query)
{
    text_analyser *analyser = fixture_analyser();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const plan_case *c = &cases[i];
        plan p;
        fixture_plan(analyser, c->query, c->any, &p);
        char *rank = NULL;
        cr_assert_eq(shim_query_describe(p.rank, &rank), SHIM_OK);
        cr_expect_str_eq(rank, c->rank, "[%s] gave %s", c->query, rank);
        cr_expect_eq(p.direct != NULL, c->direct, "[%s] direct", c->query);
        cr_expect_eq(p.n_groups, c->groups, "[%s] groups %zu", c->query, p.n_groups);
        free(rank);
        plan_free(&p);
    }
    text_analyser_free(analyser);
}

Test(plan, negated_words_are_not_highlighted_nor_ranked)
{
    text_analyser *analyser = fixture_analyser();
    plan p;
    fixture_plan(analyser, "summit -Stockholm NOT (Seoul OR Tokyo)", false, &p);
    for (size_t i = 0; i < p.n_terms; i++)
        cr_expect_str_eq(p.terms[i].text, "summit");
    size_t positive = 0;
    for (size_t i = 0; i < p.n_leaves; i++)
        positive += p.leaves[i].positive;
    cr_expect_eq(p.n_leaves, 4);
    cr_expect_eq(positive, 1);
    plan_free(&p);
    text_analyser_free(analyser);
}

Test(plan, words_are_kept_for_spelling_suggestions)
{
    text_analyser *analyser = fixture_analyser();
    plan p;
    const char *query = "Harbuor \"light house\" -rain";
    fixture_plan(analyser, query, false, &p);
    cr_assert_eq(p.n_words, 1);
    cr_expect_str_eq(p.words[0].normalised, "harbuor");
    cr_expect_eq(p.words[0].offset, 0);
    cr_expect_eq(p.words[0].len, 7);
    plan_free(&p);
    text_analyser_free(analyser);
}

Test(plan, a_query_of_punctuation_has_nothing_to_search)
{
    text_analyser *analyser = fixture_analyser();
    const char *query = ", ; &";
    query_node *root = NULL;
    query_syntax_error error;
    cr_assert_eq(query_parse(query, strlen(query), NULL, &root, &error), 0);
    plan_context context = {analyser, true, "/", NULL};
    plan p;
    char *message = NULL;
    cr_expect_eq(plan_build(&context, query, root, &p, &message), 1);
    query_node_free(root);
    text_analyser_free(analyser);
}

Test(plan, without_stemming_words_are_exact)
{
    text_analyser *analyser = fixture_analyser();
    const char *query = "abduction";
    query_node *root = NULL;
    query_syntax_error error;
    cr_assert_eq(query_parse(query, strlen(query), NULL, &root, &error), 0);
    plan_context context = {analyser, false, "/", NULL};
    plan p;
    char *message = NULL;
    cr_assert_eq(plan_build(&context, query, root, &p, &message), 0);
    char *rank = NULL;
    shim_query_describe(p.rank, &rank);
    cr_expect_str_eq(rank, "Query(abduction)");
    free(rank);
    plan_free(&p);
    query_node_free(root);
    text_analyser_free(analyser);
}
