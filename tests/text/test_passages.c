/* test_passages.c — paragraph-sized passages: blank lines and form feeds,
 * CRLF line numbers, merging of small paragraphs, cutting of long ones at
 * sentence and word boundaries, and texts without any spaces at all. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "text_fixture.h"

/* True if C is ASCII white space, which no passage starts or ends with. */
static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The word and number tokens in [START, END) of TEXT, counted by analysing it. */
static size_t words_in(text_analyser *analyser, const char *text, size_t start, size_t end)
{
    token_list tokens = tokens_of(analyser, text + start, end - start, 1);
    size_t words = 0;
    for (size_t i = 0; i < tokens.n; i++)
        words += !tokens.items[i].variant && (tokens.items[i].kind == TEXT_TOKEN_WORD ||
                                              tokens.items[i].kind == TEXT_TOKEN_NUMBER);
    token_list_free(&tokens);
    return words;
}

/* Passages are numbered from 1, in order, not overlapping, on character
 * boundaries, trimmed, know their first line, and leave out nothing but
 * white space. */
static void check_layout(const char *text, size_t len, const passage_list *passages)
{
    size_t covered = 0;
    uint32_t line = 1;
    for (size_t i = 0; i < passages->n; i++) {
        const text_passage *p = &passages->items[i];
        cr_assert_eq(p->ordinal, i + 1);
        for (size_t k = covered; k < p->start && k < len; k++) line += text[k] == '\n';
        cr_assert_eq(p->first_line, line, "passage %zu", i + 1);
        for (size_t k = p->start; k < p->end && k < len; k++) line += text[k] == '\n';
        cr_assert_lt(p->start, p->end, "passage %zu is not empty", i + 1);
        cr_assert_leq(p->end, len);
        cr_assert_geq(p->start, covered, "passage %zu overlaps the one before", i + 1);
        for (size_t k = covered; k < p->start; k++)
            cr_assert(is_space(text[k]), "byte %zu (0x%02x) before passage %zu is lost", k,
                      (unsigned char)text[k], i + 1);
        cr_assert(at_char_boundary(text, len, p->start));
        cr_assert(at_char_boundary(text, len, p->end));
        cr_assert(text_is_valid_utf8(text + p->start, p->end - p->start));
        cr_assert_not(is_space(text[p->start]), "passage %zu starts with white space", i + 1);
        cr_assert_not(is_space(text[p->end - 1]), "passage %zu ends with white space", i + 1);
        covered = p->end;
    }
    for (size_t k = covered; k < len; k++)
        cr_assert(is_space(text[k]), "byte %zu after the last passage is lost", k);
}

Test(passages, crlf_paragraphs_and_form_feeds_give_passages_with_their_line_numbers) {
    text_decoded text = fixture_decoded("crlf.txt");
    text_analyser *analyser = analyser_with("english", true, 1, 300);
    passage_list passages = passages_of(analyser, text.utf8, text.len);
    static const struct {
        uint32_t line;
        const char *begins, *ends;
    } expected[] = {
        {1, "First line", "second line."},
        {4, "Second paragraph", "line four."},
        {6, "Third paragraph", "form feed."},
        {9, "Fourth paragraph", "two lines."},
    };
    cr_assert_eq(passages.n, 4);
    for (size_t i = 0; i < 4; i++) {
        const text_passage *p = &passages.items[i];
        const char *start = text.utf8 + p->start;
        size_t len = p->end - p->start;
        cr_assert_eq(p->first_line, expected[i].line, "passage %zu", i + 1);
        cr_assert_eq(strncmp(start, expected[i].begins, strlen(expected[i].begins)), 0,
                     "passage %zu is '%.*s'", i + 1, (int)len, start);
        size_t tail = strlen(expected[i].ends);
        cr_assert_eq(memcmp(start + len - tail, expected[i].ends, tail), 0,
                     "passage %zu is '%.*s'", i + 1, (int)len, start);
    }
    cr_assert_eq(passages.items[0].words, 10);
    check_layout(text.utf8, text.len, &passages);
    passage_list_free(&passages);
    text_analyser_free(analyser);
    text_decoded_free(&text);
}

Test(passages, small_paragraphs_are_merged_up_to_the_minimum) {
    text_decoded text = fixture_decoded("crlf.txt");
    text_analyser *analyser = default_analyser();
    passage_list passages = passages_of(analyser, text.utf8, text.len);
    cr_assert_eq(passages.n, 1, "all four short paragraphs make one passage");
    cr_assert_eq(passages.items[0].first_line, 1);
    cr_assert_eq(passages.items[0].start, 0);
    check_layout(text.utf8, text.len, &passages);
    passage_list_free(&passages);
    text_analyser_free(analyser);

    analyser = analyser_with("english", true, 15, 300);
    passages = passages_of(analyser, text.utf8, text.len);
    cr_assert_eq(passages.n, 2, "10 + 5 words reach 15; the rest is another passage");
    cr_assert_eq(passages.items[1].first_line, 6);
    check_layout(text.utf8, text.len, &passages);
    passage_list_free(&passages);
    text_analyser_free(analyser);
    text_decoded_free(&text);
}

Test(passages, merging_stops_before_the_maximum_is_passed) {
    /* Paragraphs of 4 words: a third would pass the maximum of 10 before the
     * minimum of 10 is reached, so two go together. */
    const char *text = "one two three four\n\nfive six seven eight\n\n"
                       "nine ten eleven twelve\n\nthirteen fourteen fifteen sixteen\n";
    text_analyser *analyser = analyser_with("english", true, 10, 10);
    passage_list passages = passages_of(analyser, text, strlen(text));
    cr_assert_eq(passages.n, 2);
    cr_assert_eq(passages.items[0].words, 8);
    cr_assert_eq(passages.items[1].first_line, 5);
    check_layout(text, strlen(text), &passages);
    passage_list_free(&passages);
    text_analyser_free(analyser);
}

/* A paragraph of N_SENTENCES sentences of seven words each, on wrapped lines. */
static char *long_paragraph(size_t n_sentences)
{
    static const char *const sentences[] = {
        "Seven words make up this first sentence. ",
        "Second sentences also carry seven words here.\n",
        "Sailors counted 1,000 gulls near 38.101 degrees. ",
    };
    char *text = calloc(n_sentences, 64);
    cr_assert_not_null(text);
    for (size_t i = 0; i < n_sentences; i++) strcat(text, sentences[i % 3]);
    return text;
}

Test(passages, long_paragraph_is_cut_at_sentence_boundaries_within_the_maximum) {
    char *text = long_paragraph(30);
    size_t len = strlen(text);
    text_analyser *analyser = analyser_with("english", true, 5, 20);
    passage_list passages = passages_of(analyser, text, len);
    cr_assert_geq(passages.n, 11, "210 words in passages of at most 20: %zu", passages.n);
    for (size_t i = 0; i < passages.n; i++) {
        const text_passage *p = &passages.items[i];
        size_t words = words_in(analyser, text, p->start, p->end);
        cr_assert_leq(words, 20, "passage %zu has %zu words", i + 1, words);
        cr_assert_geq(words, 7, "passage %zu holds at least one sentence", i + 1);
        cr_assert_leq(p->words, 20);
        cr_assert(text[p->start] == 'S', "passage %zu starts a sentence: '%.10s'", i + 1,
                  text + p->start);
        cr_assert_eq(text[p->end - 1], '.', "passage %zu ends a sentence", i + 1);
    }
    check_layout(text, len, &passages);
    cr_assert_gt(passages.items[passages.n - 1].first_line, 5, "the paragraph has 11 lines");
    passage_list_free(&passages);
    text_analyser_free(analyser);
    free(text);
}

Test(passages, short_heading_before_a_long_unpunctuated_paragraph_ends_its_own_passage) {
    /* The heading waits to be merged, the paragraph's one sentence is over
     * the maximum on its own: the heading is cut off at the blank line. */
    char text[4096] = "Heading\n\n";
    for (int i = 0; i < 40; i++) {
        char word[16];
        snprintf(word, sizeof word, "word%d ", i % 7);
        strcat(text, word);
    }
    strcat(text, "\n");
    size_t len = strlen(text);
    text_analyser *analyser = analyser_with("english", true, 2, 8);
    passage_list passages = passages_of(analyser, text, len);
    cr_assert_geq(passages.n, 6, "41 words in passages of at most 8: %zu", passages.n);
    cr_assert_eq(passages.items[0].start, 0);
    cr_assert_eq(passages.items[0].end, strlen("Heading"));
    for (size_t i = 0; i < passages.n; i++)
        cr_assert_leq(words_in(analyser, text, passages.items[i].start, passages.items[i].end), 8,
                      "passage %zu", i + 1);
    check_layout(text, len, &passages);
    passage_list_free(&passages);
    text_analyser_free(analyser);
}

Test(passages, sentence_longer_than_the_maximum_is_cut_between_words) {
    char text[4096] = "";
    for (int i = 0; i < 100; i++) strcat(text, i % 2 ? "beta " : "alpha ");
    size_t len = strlen(text);
    text_analyser *analyser = analyser_with("english", true, 5, 20);
    passage_list passages = passages_of(analyser, text, len);
    cr_assert_geq(passages.n, 5);
    for (size_t i = 0; i < passages.n; i++) {
        const text_passage *p = &passages.items[i];
        cr_assert_leq(words_in(analyser, text, p->start, p->end), 20);
        cr_assert(p->start == 0 || text[p->start - 1] == ' ', "cut between words");
        cr_assert(text[p->end] == ' ', "cut between words");
    }
    check_layout(text, len, &passages);
    passage_list_free(&passages);
    text_analyser_free(analyser);
}

Test(passages, cjk_sentence_longer_than_the_maximum_is_cut_between_dictionary_words) {
    char text[8192] = "";
    for (int i = 0; i < 40; i++) strcat(text, "システム管理者が新しい利用者を登録する");
    size_t len = strlen(text);
    text_analyser *analyser = analyser_with("english", true, 5, 20);
    token_list whole = tokens_of(analyser, text, len, 1);
    passage_list passages = passages_of(analyser, text, len);
    cr_assert_geq(passages.n, 10);
    check_layout(text, len, &passages);
    /* No word of the whole text is cut in two by a passage boundary. */
    for (size_t i = 0; i < whole.n; i++) {
        const token_copy *t = &whole.items[i];
        if (t->kind != TEXT_TOKEN_WORD) continue;
        for (size_t k = 0; k < passages.n; k++) {
            size_t cut = passages.items[k].end;
            cr_assert(cut <= t->start || cut >= t->end, "'%s' cut at %zu", t->term, cut);
        }
    }
    token_list_free(&whole);
    passage_list_free(&passages);
    text_analyser_free(analyser);
}

/* A single line of LEN bytes made of UNIT repeated (a whole number of times). */
static char *one_long_line(const char *unit, size_t len)
{
    size_t unit_len = strlen(unit);
    len -= len % unit_len;
    char *text = malloc(len + 1);
    cr_assert_not_null(text);
    for (size_t i = 0; i < len; i += unit_len) memcpy(text + i, unit, unit_len);
    text[len] = '\0';
    return text;
}

Test(passages, two_megabyte_line_without_spaces_is_cut_into_bounded_passages) {
    static const char *const units[] = {"QmFzZTY0IGlzIGEgbG9uZyB3b3Jk+/=", "e\xCC\x81", "漢字かな",
                                        "\xF0\x9F\x98\x80"};
    text_analyser *analyser = default_analyser();
    /* The bound passages.h promises: max_words * 24 bytes, 4 KiB at least. */
    size_t bound = 24 * (size_t)text_analyser_config(analyser)->passage_max_words;
    if (bound < 4096) bound = 4096;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        char *text = one_long_line(units[u], 2 << 20);
        size_t len = strlen(text);
        passage_list passages = passages_of(analyser, text, len);
        cr_assert_geq(passages.n, len / bound, "unit %zu: %zu passages", u, passages.n);
        for (size_t i = 0; i < passages.n; i++) {
            const text_passage *p = &passages.items[i];
            cr_assert_leq(p->end - p->start, bound, "unit %zu passage %zu", u, i + 1);
            cr_assert_eq(p->first_line, 1);
            /* A combining accent stays with its letter. */
            if (u == 1) cr_assert_eq(text[p->start], 'e', "unit %zu passage %zu", u, i + 1);
        }
        check_layout(text, len, &passages);
        passage_list_free(&passages);
        free(text);
    }
    text_analyser_free(analyser);
}

Test(passages, empty_and_blank_texts_have_no_passages) {
    static const char *const texts[] = {"", "\n\n\n", "  \t \r\n\f\v\n", "\r\n\r\n"};
    text_analyser *analyser = default_analyser();
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        passage_list passages = passages_of(analyser, texts[i], strlen(texts[i]));
        cr_assert_eq(passages.n, 0, "text %zu", i);
        passage_list_free(&passages);
    }
    text_analyser_free(analyser);
}

Test(passages, text_without_a_final_newline_ends_its_last_passage_at_the_end) {
    const char *text = "\n\n  Indented first words\nand a last line";
    text_analyser *analyser = default_analyser();
    passage_list passages = passages_of(analyser, text, strlen(text));
    cr_assert_eq(passages.n, 1);
    cr_assert_eq(passages.items[0].start, 4);
    cr_assert_eq(passages.items[0].end, strlen(text));
    cr_assert_eq(passages.items[0].first_line, 3);
    cr_assert_eq(passages.items[0].words, 7);
    passage_list_free(&passages);
    text_analyser_free(analyser);
}

/* What a passage callback that analyses each passage at once has seen. */
typedef struct analysing_callback {
    text_analyser *analyser;
    const char *text;
    char *terms;      /* every passage's word terms, space-separated */
    size_t passages;
} analysing_callback;

static int analyse_passage(void *context, const text_passage *passage)
{
    analysing_callback *c = context;
    token_list tokens = tokens_of(c->analyser, c->text + passage->start,
                                  passage->end - passage->start, 1);
    char *terms = word_terms(&tokens);
    size_t old = c->terms ? strlen(c->terms) : 0;
    char *joined = realloc(c->terms, old + strlen(terms) + 2);
    cr_assert_not_null(joined);
    if (old) joined[old++] = ' ';
    strcpy(joined + old, terms);
    c->terms = joined;
    c->passages++;
    free(terms);
    token_list_free(&tokens);
    return 0;
}

Test(passages, callback_may_analyse_each_passage_with_the_same_analyser) {
    char *text = long_paragraph(30);
    size_t len = strlen(text);
    text_analyser *analyser = analyser_with("english", true, 5, 20);
    analysing_callback c = {.analyser = analyser, .text = text};
    cr_assert_eq(text_split_passages(analyser, text, len, analyse_passage, &c), TEXT_OK);
    cr_assert_gt(c.passages, 5);
    token_list whole = tokens_of(analyser, text, len, 1);
    char *terms = word_terms(&whole);
    cr_assert_str_eq(c.terms, terms, "the passages hold the whole text's words, in order");
    free(terms);
    free(c.terms);
    token_list_free(&whole);
    text_analyser_free(analyser);
    free(text);
}

static int stop_at_first(void *context, const text_passage *passage)
{
    (void)passage;
    ++*(size_t *)context;
    return 1;
}

Test(passages, callback_can_stop_the_split) {
    char *text = long_paragraph(30);
    text_analyser *analyser = analyser_with("english", true, 5, 20);
    size_t calls = 0;
    cr_assert_eq(text_split_passages(analyser, text, strlen(text), stop_at_first, &calls),
                 TEXT_STOPPED);
    cr_assert_eq(calls, 1);
    const char *paragraphs = "one\n\ntwo\n\nthree\n";
    calls = 0;
    cr_assert_eq(text_split_passages(analyser, paragraphs, strlen(paragraphs), stop_at_first,
                                     &calls),
                 TEXT_STOPPED);
    cr_assert_eq(calls, 1);
    text_analyser_free(analyser);
    free(text);
}
