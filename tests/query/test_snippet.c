/* test_snippet.c — snippets: {passage, query, limit, expected} with the
 * highlights in [brackets], then properties that must hold for any passage
 * (valid UTF-8, spans sorted and apart, bounded output, bounded work).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_fixture.h"
#include "text/decode.h"

typedef struct snippet_case {
    const char *name;
    const char *passage;
    const char *query;
    size_t limit;
    const char *expected;
} snippet_case;

static const snippet_case cases[] = {
    {"stemmed forms are highlighted",
     "The abducted citizens were never returned.", "abduction", 200,
     "The [abducted] citizens were never returned."},
    {"every occurrence, case folded",
     "Summit after summit: the SUMMITS went on.", "summit", 200,
     "[Summit] after [summit]: the [SUMMITS] went on."},
    {"a phrase only where the whole phrase occurs, as one span",
     "Camp fires near David's house. They met at Camp David.", "\"Camp David\"", 200,
     "Camp fires near David's house. They met at [Camp David]."},
    {"a phrase that occurs only partly is not highlighted",
     "The camp was far from where David lived.", "\"Camp David\" far", 200,
     "The camp was [far] from where David lived."},
    {"NOT terms are never highlighted",
     "Sanctions were discussed in Stockholm.", "sanctions -Stockholm", 200,
     "[Sanctions] were discussed in Stockholm."},
    {"hyphenated words are a phrase",
     "A multi-agent system, not a multi user agent.", "multi-agent", 200,
     "A [multi-agent] system, not a multi user agent."},
    {"NEAR highlights only words near each other",
     "Kishida spoke. Later, after many long speeches by others, Kim replied to Kishida at once.",
     "Kim NEAR/2 Kishida", 200,
     "Kishida spoke. Later, after many long speeches by others, [Kim] replied to [Kishida] at once."},
    {"prefixes",
     "Abductions, abductees and an abbey.", "abduct*", 200,
     "[Abductions], [abductees] and an abbey."},
    {"Japanese: the bigram run is one span, inside a longer word",
     "サーバーのシステム管理者は毎日ログを確認します。", "システム管理", 200,
     "サーバーの[システム管理]者は毎日ログを確認します。"},
    {"Japanese: one character",
     "東京と京都", "京", 200, "東[京]と[京]都"},
    {"overlapping CJK matches merge into one span",
     "東京都に住む", "東京 京都", 200, "[東京都]に住む"},
    {"Thai: dictionary words",
     "ภาษาไทยเป็นภาษาที่สวยงาม", "ภาษา", 200, "[ภาษา]ไทยเป็น[ภาษา]ที่สวยงาม"},
    {"combining marks stay with their letter",
     "Cafe\xcc\x81 society and cafe\xcc\x81s", "cafe", 200,
     "[Cafe\xcc\x81] society and [cafe\xcc\x81s]"},
    {"emoji and ZWJ sequences are never cut",
     "Party time \xf0\x9f\x8e\x89\xf0\x9f\x8e\x89 with friends "
     "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7 at the lake house today",
     "friends", 25,
     "\xe2\x80\xa6with [friends] "
     "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7 at the\xe2\x80\xa6"},
    {"the window starts at the sentence holding the match",
     "Some intro text here. The summit was held in May. More text follows after that for a while.",
     "summit", 40, "\xe2\x80\xa6The [summit] was held in May. More text\xe2\x80\xa6"},
    {"the window goes where the most terms are",
     "Alpha is here. Many unrelated words fill this part of the passage up. "
     "Then alpha and beta stand together at last.", "alpha beta", 45,
     "\xe2\x80\xa6Then [alpha] and [beta] stand together at last."},
    {"cut only at word boundaries, trailing punctuation kept",
     "One two three four five six seven eight nine ten eleven twelve.", "one", 20,
     "[One] two three four\xe2\x80\xa6"},
    {"a passage without a match shows its start",
     "Nothing to see here at all, just words.", "absent", 15, "Nothing to see\xe2\x80\xa6"},
    {"a word longer than the limit is shown whole",
     "Supercalifragilistic words", "supercalifragilistic", 5, "[Supercalifragilistic]\xe2\x80\xa6"},
};

Test(snippet, each_case_gives_the_expected_marked_up_snippet)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const snippet_case *c = &cases[i];
        char *got = fixture_snippet(c->passage, c->query, c->limit);
        cr_expect_str_eq(got, c->expected, "%s: [%s] gave\n  %s\nexpected\n  %s", c->name,
                         c->query, got, c->expected);
        free(got);
    }
}

/* Properties every snippet has: valid UTF-8, spans sorted, apart and inside. */
static void check_properties(const snippet *s, const char *name)
{
    cr_expect(text_is_valid_utf8(s->text, s->len), "%s: invalid UTF-8", name);
    cr_expect_eq(strlen(s->text), s->len, "%s: NUL inside", name);
    for (size_t i = 0; i < s->n_spans; i++) {
        size_t start = s->spans[2 * i], end = s->spans[2 * i + 1];
        cr_expect(start < end && end <= s->len, "%s: span %zu out of range", name, i);
        if (i > 0)
            cr_expect(start > s->spans[2 * i - 1], "%s: spans %zu and %zu touch", name, i - 1, i);
        cr_expect(text_is_valid_utf8(s->text + start, end - start), "%s: span cuts UTF-8", name);
    }
}

static size_t code_points(const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

typedef struct made {
    text_analyser *analyser;
    plan p;
    snippet_maker *maker;
    snippet s;
} made;

static void make(made *m, const char *passage, size_t len, const char *query, size_t limit)
{
    m->analyser = fixture_analyser();
    fixture_plan(m->analyser, query, false, &m->p);
    m->maker = snippet_maker_new(m->analyser);
    cr_assert_not_null(m->maker);
    snippet_query spec = {m->p.terms, m->p.n_terms, m->p.groups, m->p.n_groups};
    const char *error = NULL;
    cr_assert_eq(snippet_make(m->maker, &spec, passage, len, limit, &m->s, &error), 0, "%s", error);
}

static void unmake(made *m)
{
    snippet_maker_free(m->maker);
    plan_free(&m->p);
    text_analyser_free(m->analyser);
}

Test(snippet, a_term_occurring_500_times_gives_a_bounded_valid_snippet)
{
    size_t n = 500 * 6 + 16;
    char *passage = malloc(n + 1);
    cr_assert_not_null(passage);
    size_t len = 0;
    for (int i = 0; i < 500; i++)
        len += (size_t)sprintf(passage + len, "alpha ");
    len += (size_t)sprintf(passage + len, "omega end.");
    made m;
    make(&m, passage, len, "alpha", 50);
    check_properties(&m.s, "500 times");
    /* 50 characters of passage text, plus the "…" that marks the cut. */
    cr_expect_leq(code_points(m.s.text, m.s.len), 50 + 1);
    cr_expect_geq(m.s.n_spans, 8);
    for (size_t i = 0; i < m.s.n_spans; i++)
        cr_expect_eq(m.s.spans[2 * i + 1] - m.s.spans[2 * i], 5);
    unmake(&m);
    free(passage);
}

Test(snippet, a_match_far_into_a_huge_passage_is_found_with_bounded_work)
{
    size_t filler = 300000;
    char *passage = malloc(filler + 64);
    cr_assert_not_null(passage);
    for (size_t i = 0; i < filler; i += 2)
        memcpy(passage + i, "x ", 2);
    size_t len = filler + (size_t)sprintf(passage + filler, "the needle is here. y z");
    made m;
    make(&m, passage, len, "needle", 30);
    check_properties(&m.s, "huge");
    cr_expect(strstr(m.s.text, "needle") != NULL, "%s", m.s.text);
    cr_expect_eq(m.s.n_spans, 1);
    cr_expect_leq(code_points(m.s.text, m.s.len), 30 + 2);
    unmake(&m);
    free(passage);
}

Test(snippet, a_huge_run_without_spaces_is_never_cut_inside_a_character)
{
    /* 100 000 times "é" as e + combining acute, then a word. */
    size_t n = 100000;
    char *passage = malloc(3 * n + 64);
    cr_assert_not_null(passage);
    for (size_t i = 0; i < n; i++)
        memcpy(passage + 3 * i, "e\xcc\x81", 3);
    size_t len = 3 * n + (size_t)sprintf(passage + 3 * n, " tail word");
    made m;
    make(&m, passage, len, "tail", 20);
    check_properties(&m.s, "no spaces");
    unmake(&m);
    free(passage);
}

Test(snippet, lines_before_counts_the_newlines_before_the_window)
{
    const char *passage = "first line\nsecond line\nthird line has the target word\nfourth";
    made m;
    make(&m, passage, strlen(passage), "target", 20);
    check_properties(&m.s, "lines");
    cr_expect_eq(m.s.lines_before, 2);
    unmake(&m);
}

Test(snippet, the_same_maker_serves_many_passages)
{
    text_analyser *analyser = fixture_analyser();
    plan p;
    fixture_plan(analyser, "river", false, &p);
    snippet_maker *maker = snippet_maker_new(analyser);
    snippet_query spec = {p.terms, p.n_terms, p.groups, p.n_groups};
    const char *passages[] = {"The river runs.", "No match here.", "Rivers and a river.", ""};
    const char *expected[] = {"The [river] runs.", "No match here.", "[Rivers] and a [river].", ""};
    for (size_t i = 0; i < 4; i++) {
        snippet s;
        const char *error = NULL;
        cr_assert_eq(snippet_make(maker, &spec, passages[i], strlen(passages[i]), 100, &s, &error),
                     0);
        char *marked = fixture_mark(&s);
        cr_expect_str_eq(marked, expected[i]);
        free(marked);
    }
    snippet_maker_free(maker);
    plan_free(&p);
    text_analyser_free(analyser);
}
