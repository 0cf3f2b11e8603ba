/* test_layout.c — how passages are laid out beyond the bounds themselves: a
 * small remainder joins a neighbour, long paragraphs are cut into pieces of
 * about equal size, hard-wrapped lines do not count as sentence ends, and a
 * forced cut keeps a letter with its combining marks. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_fixture.h"

/* The text of passage I, NUL-terminated (caller frees). */
static char *passage_text(const char *text, const passage_list *passages, size_t i)
{
    const text_passage *p = &passages->items[i];
    return strndup(text + p->start, p->end - p->start);
}

/* N sentences "Sk w w w w." (five words each), separated by spaces, after PREFIX. */
static char *sentences(const char *prefix, int n)
{
    size_t cap = strlen(prefix) + (size_t)n * 16 + 1;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    size_t len = (size_t)snprintf(text, cap, "%s", prefix);
    for (int i = 1; i <= n; i++)
        len += (size_t)snprintf(text + len, cap - len, "%sS%d w w w w.", i > 1 ? " " : "", i);
    return text;
}

Test(layout, small_last_paragraph_joins_the_passage_before_it) {
    const char *text = "a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12\n\nb1 b2 b3\n";
    text_analyser *analyser = analyser_with("english", true, 10, 40);
    passage_list passages = passages_of(analyser, text, strlen(text));
    cr_assert_eq(passages.n, 1, "the three-word tail is not a passage of its own");
    cr_assert_eq(passages.items[0].words, 15);
    cr_assert_eq(passages.items[0].end, strlen(text) - 1);
    passage_list_free(&passages);
    text_analyser_free(analyser);
}

Test(layout, small_last_paragraph_stays_apart_when_joining_would_pass_the_maximum) {
    const char *text = "a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12\n\nb1 b2 b3\n";
    text_analyser *analyser = analyser_with("english", true, 10, 13);
    passage_list passages = passages_of(analyser, text, strlen(text));
    cr_assert_eq(passages.n, 2);
    cr_assert_eq(passages.items[0].words, 12);
    cr_assert_eq(passages.items[1].words, 3);
    cr_assert_eq(passages.items[1].first_line, 3);
    passage_list_free(&passages);
    text_analyser_free(analyser);
}

Test(layout, small_paragraph_before_a_long_one_opens_its_first_piece) {
    char *text = sentences("c1 c2 c3\n\n", 10);
    text_analyser *analyser = analyser_with("english", true, 10, 20);
    passage_list passages = passages_of(analyser, text, strlen(text));
    cr_assert_eq(passages.n, 3);
    cr_assert_eq(passages.items[0].start, 0, "the short paragraph is not left alone");
    cr_assert_eq(passages.items[0].first_line, 1);
    cr_assert_eq(passages.items[0].words, 18, "3 words + 3 sentences: 53 words in 3 pieces");
    cr_assert_eq(passages.items[1].first_line, 3);
    for (size_t i = 0; i < passages.n; i++) cr_assert_leq(passages.items[i].words, 20);
    passage_list_free(&passages);
    text_analyser_free(analyser);
    free(text);
}

Test(layout, long_paragraph_is_cut_into_pieces_of_about_equal_size) {
    static const struct {
        int sentences;     /* of five words each */
        uint32_t max;
        uint32_t pieces[4];
    } cases[] = {
        {9, 20, {15, 15, 15}},  /* not 20 + 20 + 5 */
        {8, 20, {20, 20}},      /* 40 words: two full pieces */
        {5, 20, {15, 10}},
        {12, 30, {30, 30}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *text = sentences("", cases[c].sentences);
        text_analyser *analyser = analyser_with("english", true, 5, cases[c].max);
        passage_list passages = passages_of(analyser, text, strlen(text));
        size_t expected = 0;
        while (expected < 4 && cases[c].pieces[expected]) expected++;
        cr_assert_eq(passages.n, expected, "case %zu: %zu passages", c, passages.n);
        for (size_t i = 0; i < passages.n; i++) {
            cr_assert_eq(passages.items[i].words, cases[c].pieces[i], "case %zu passage %zu: %u",
                         c, i + 1, passages.items[i].words);
            cr_assert_eq(text[passages.items[i].end - 1], '.', "case %zu: cut after a sentence", c);
        }
        passage_list_free(&passages);
        text_analyser_free(analyser);
        free(text);
    }
}

Test(layout, hard_wrapped_paragraph_is_cut_after_sentences_not_at_line_ends) {
    const char *text = "The first sentence runs over\nthe end of its line. The second one\n"
                       "also does so here. And a third sentence\nis here too. Then a fourth "
                       "sentence\nis found. Fifth is short.\n";
    text_analyser *analyser = analyser_with("english", true, 5, 12);
    passage_list passages = passages_of(analyser, text, strlen(text));
    cr_assert_geq(passages.n, 2);
    static const char *const ends[] = {"of its line.", "so here.", "here too.", "Fifth is short."};
    cr_assert_eq(passages.n, 4);
    for (size_t i = 0; i < passages.n; i++) {
        char *p = passage_text(text, &passages, i);
        size_t n = strlen(p), e = strlen(ends[i]);
        cr_assert(n >= e && strcmp(p + n - e, ends[i]) == 0, "passage %zu is '%s'", i + 1, p);
        free(p);
    }
    cr_assert_eq(passages.items[1].first_line, 2);
    cr_assert_eq(passages.items[3].first_line, 4);
    passage_list_free(&passages);
    text_analyser_free(analyser);
}

Test(layout, forced_cut_in_a_word_without_spaces_keeps_letters_with_their_marks) {
    /* One "word" of 6000 letters each followed by a combining acute accent:
     * far over the byte bound, with no word boundary to cut at. */
    enum { LETTERS = 6000 };
    char *text = malloc(LETTERS * 3 + 1);
    cr_assert_not_null(text);
    for (size_t i = 0; i < LETTERS; i++) memcpy(text + 3 * i, "e\xCC\x81", 3);
    text[LETTERS * 3] = '\0';
    text_analyser *analyser = default_analyser();
    passage_list passages = passages_of(analyser, text, LETTERS * 3);
    cr_assert_geq(passages.n, 2, "the word is cut");
    size_t covered = 0;
    for (size_t i = 0; i < passages.n; i++) {
        const text_passage *p = &passages.items[i];
        cr_assert_eq(p->start, covered, "passage %zu follows the one before", i + 1);
        cr_assert_eq(text[p->start], 'e', "passage %zu starts with a letter, not a mark", i + 1);
        cr_assert_eq((p->end - p->start) % 3, 0, "passage %zu ends after a mark", i + 1);
        covered = p->end;
    }
    cr_assert_eq(covered, LETTERS * 3);
    passage_list_free(&passages);
    text_analyser_free(analyser);
    free(text);
}

Test(layout, paragraphs_of_cjk_text_without_spaces_are_found_by_blank_lines) {
    const char *text = "第一段落です。\n\n第二段落です。\n";
    text_analyser *analyser = analyser_with("english", true, 1, 300);
    passage_list passages = passages_of(analyser, text, strlen(text));
    cr_assert_eq(passages.n, 2);
    cr_assert_eq(passages.items[1].first_line, 3);
    cr_assert_gt(passages.items[0].words, 0);
    passage_list_free(&passages);
    text_analyser_free(analyser);
}
