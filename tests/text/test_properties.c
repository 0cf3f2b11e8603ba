/* test_properties.c — what must hold for every fixture text, whatever its
 * script: offsets slice the text back to each token, positions grow, the
 * analysis is repeatable, and passages are valid, ordered and cover every
 * token (with the default bounds and with bounds small enough to cut). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "text_fixture.h"

/* The passage bounds the properties are checked with. */
static const uint32_t bounds[][2] = {{60, 300}, {2, 8}};

/* Code points in [START, END) of TEXT. */
static size_t code_points(const char *text, size_t start, size_t end)
{
    size_t n = 0;
    for (size_t i = start; i < end; i++) n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

Test(properties, every_token_slices_the_text_back_to_its_surface) {
    text_analyser *analyser = default_analyser();
    for (size_t f = 0; f < text_fixture_count; f++) {
        const char *name = text_fixtures[f];
        text_decoded text = fixture_decoded(name);
        token_list tokens = tokens_of(analyser, text.utf8, text.len, 1);
        cr_assert_gt(tokens.n, 0, "%s has tokens", name);
        for (size_t i = 0; i < tokens.n; i++) {
            const token_copy *t = &tokens.items[i];
            cr_assert_lt(t->start, t->end, "%s token %zu", name, i);
            cr_assert_leq(t->end, text.len, "%s token %zu", name, i);
            cr_assert(at_char_boundary(text.utf8, text.len, t->start), "%s token %zu", name, i);
            cr_assert(at_char_boundary(text.utf8, text.len, t->end), "%s token %zu", name, i);
            cr_assert_gt(strlen(t->term), 0);
            cr_assert_leq(strlen(t->term), TEXT_MAX_TOKEN_BYTES);
            if (t->variant) {
                /* The elided word: the end of the token before, same place. */
                const token_copy *word = t - 1;
                size_t n = strlen(word->term), k = strlen(t->term);
                cr_assert(i > 0 && k < n && strcmp(word->term + n - k, t->term) == 0,
                          "%s: variant '%s'", name, t->term);
                cr_assert_eq(t->start, word->start);
                cr_assert_eq(t->end, word->end);
                cr_assert_eq(t->position, word->position);
                continue;
            }
            /* Normalising the slice gives the token's term back. */
            char normalised[TEXT_MAX_TOKEN_BYTES + 1];
            size_t n = text_normalise_word(analyser, text.utf8 + t->start, t->end - t->start,
                                           normalised, sizeof normalised);
            cr_assert_gt(n, 0, "%s: slice of '%s'", name, t->term);
            cr_assert_str_eq(normalised, t->term, "%s: slice '%.*s'", name,
                             (int)(t->end - t->start), text.utf8 + t->start);
            if (t->kind == TEXT_TOKEN_CJK_BIGRAM)
                cr_assert_eq(code_points(t->term, 0, strlen(t->term)), 2, "%s: '%s'", name,
                             t->term);
            if (t->kind == TEXT_TOKEN_CJK_UNIGRAM)
                cr_assert_eq(code_points(t->term, 0, strlen(t->term)), 1, "%s: '%s'", name,
                             t->term);
        }
        token_list_free(&tokens);
        text_decoded_free(&text);
    }
    text_analyser_free(analyser);
}

Test(properties, word_positions_and_offsets_increase_through_the_text) {
    text_analyser *analyser = default_analyser();
    for (size_t f = 0; f < text_fixture_count; f++) {
        const char *name = text_fixtures[f];
        text_decoded text = fixture_decoded(name);
        token_list tokens = tokens_of(analyser, text.utf8, text.len, 5);
        uint32_t last_position = 0;
        size_t last_end = 0;
        for (size_t i = 0; i < tokens.n; i++) {
            const token_copy *t = &tokens.items[i];
            if (t->variant || (t->kind != TEXT_TOKEN_WORD && t->kind != TEXT_TOKEN_NUMBER))
                continue;
            cr_assert_gt(t->position, last_position, "%s: '%s'", name, t->term);
            cr_assert_geq(t->position, 5);
            cr_assert_geq(t->start, last_end, "%s: '%s' overlaps the word before", name,
                          t->term);
            last_position = t->position;
            last_end = t->end;
        }
        cr_assert_eq(tokens.next_position, last_position + 1, "%s", name);
        token_list_free(&tokens);
        text_decoded_free(&text);
    }
    text_analyser_free(analyser);
}

static void assert_same_tokens(const char *name, const token_list *a, const token_list *b)
{
    cr_assert_eq(a->n, b->n, "%s: %zu tokens, then %zu", name, a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const token_copy *x = &a->items[i], *y = &b->items[i];
        cr_assert_eq(x->kind, y->kind, "%s token %zu", name, i);
        cr_assert_str_eq(x->term, y->term, "%s token %zu", name, i);
        cr_assert_str_eq(x->stem, y->stem, "%s token %zu", name, i);
        cr_assert_eq(x->position, y->position, "%s token %zu", name, i);
        cr_assert_eq(x->start, y->start, "%s token %zu", name, i);
        cr_assert_eq(x->end, y->end, "%s token %zu", name, i);
        cr_assert_eq(x->variant, y->variant, "%s token %zu", name, i);
    }
}

Test(properties, analysing_twice_or_with_a_fresh_analyser_gives_the_same_tokens) {
    text_analyser *analyser = default_analyser();
    for (size_t f = 0; f < text_fixture_count; f++) {
        const char *name = text_fixtures[f];
        text_decoded text = fixture_decoded(name);
        token_list first = tokens_of(analyser, text.utf8, text.len, 1);
        token_list again = tokens_of(analyser, text.utf8, text.len, 1);
        text_analyser *fresh = default_analyser();
        token_list other = tokens_of(fresh, text.utf8, text.len, 1);
        assert_same_tokens(name, &first, &again);
        assert_same_tokens(name, &first, &other);
        token_list_free(&first);
        token_list_free(&again);
        token_list_free(&other);
        text_analyser_free(fresh);
        text_decoded_free(&text);
    }
    text_analyser_free(analyser);
}

Test(properties, analysis_reads_the_text_in_place_without_a_terminator) {
    /* A copy without a NUL after it: ASan reports any read past the end. */
    text_analyser *analyser = default_analyser();
    for (size_t f = 0; f < text_fixture_count; f++) {
        text_decoded text = fixture_decoded(text_fixtures[f]);
        char *exact = malloc(text.len);
        cr_assert_not_null(exact);
        memcpy(exact, text.utf8, text.len);
        token_list a = tokens_of(analyser, exact, text.len, 1);
        token_list b = tokens_of(analyser, text.utf8, text.len, 1);
        assert_same_tokens(text_fixtures[f], &a, &b);
        passage_list passages = passages_of(analyser, exact, text.len);
        passage_list_free(&passages);
        token_list_free(&a);
        token_list_free(&b);
        free(exact);
        text_decoded_free(&text);
    }
    text_analyser_free(analyser);
}

/* True if a passage ends strictly inside [START, END). */
static bool is_cut(const passage_list *passages, size_t start, size_t end)
{
    for (size_t i = 0; i < passages->n; i++)
        if (passages->items[i].end > start && passages->items[i].end < end) return true;
    return false;
}

Test(properties, passages_are_valid_utf8_in_order_without_overlap_and_cover_every_token) {
    for (size_t c = 0; c < sizeof bounds / sizeof bounds[0]; c++) {
        text_analyser *analyser = analyser_with("english", true, bounds[c][0], bounds[c][1]);
        for (size_t f = 0; f < text_fixture_count; f++) {
            const char *name = text_fixtures[f];
            text_decoded text = fixture_decoded(name);
            token_list tokens = tokens_of(analyser, text.utf8, text.len, 1);
            passage_list passages = passages_of(analyser, text.utf8, text.len);
            cr_assert_gt(passages.n, 0, "%s", name);
            size_t previous_end = 0;
            for (size_t i = 0; i < passages.n; i++) {
                const text_passage *p = &passages.items[i];
                cr_assert_eq(p->ordinal, i + 1, "%s", name);
                cr_assert_lt(p->start, p->end, "%s passage %zu", name, i + 1);
                cr_assert_geq(p->start, previous_end, "%s passage %zu", name, i + 1);
                cr_assert_leq(p->end, text.len);
                cr_assert(at_char_boundary(text.utf8, text.len, p->start));
                cr_assert(at_char_boundary(text.utf8, text.len, p->end));
                cr_assert(text_is_valid_utf8(text.utf8 + p->start, p->end - p->start),
                          "%s passage %zu", name, i + 1);
                previous_end = p->end;
            }
            for (size_t i = 0; i < tokens.n; i++) {
                const token_copy *t = &tokens.items[i];
                size_t k = 0;
                /* A bigram spans two dictionary words. Where a sentence too long
                 * for one passage is cut between those words, the bigram falls
                 * apart; each of its characters is a unigram, checked too. */
                if (t->kind == TEXT_TOKEN_CJK_BIGRAM && is_cut(&passages, t->start, t->end))
                    continue;
                while (k < passages.n && passages.items[k].end <= t->start) k++;
                cr_assert_lt(k, passages.n, "%s: '%s' after the last passage", name, t->term);
                cr_assert(passages.items[k].start <= t->start && t->end <= passages.items[k].end,
                          "%s (bounds %u-%u): '%s' at [%zu,%zu) is not inside passage %zu "
                          "[%zu,%zu)",
                          name, bounds[c][0], bounds[c][1], t->term, t->start, t->end, k + 1,
                          passages.items[k].start, passages.items[k].end);
            }
            passage_list_free(&passages);
            token_list_free(&tokens);
            text_decoded_free(&text);
        }
        text_analyser_free(analyser);
    }
}

Test(properties, passages_with_small_bounds_hold_no_more_words_than_the_maximum) {
    /* Word counts are exact for space-separated scripts; dictionary scripts are
     * estimated, so they are left to the CJK test in test_passages.c. */
    static const char *const spaced[] = {"en.txt", "de.txt", "fr.txt", "ar.txt", "he.txt",
                                         "nfc.txt", "emoji.txt", "zw.txt", "crlf.txt"};
    text_analyser *analyser = analyser_with("english", true, 2, 8);
    for (size_t f = 0; f < sizeof spaced / sizeof spaced[0]; f++) {
        text_decoded text = fixture_decoded(spaced[f]);
        passage_list passages = passages_of(analyser, text.utf8, text.len);
        for (size_t i = 0; i < passages.n; i++) {
            const text_passage *p = &passages.items[i];
            token_list tokens = tokens_of(analyser, text.utf8 + p->start, p->end - p->start, 1);
            size_t words = 0;
            for (size_t k = 0; k < tokens.n; k++)
                words += !tokens.items[k].variant && tokens.items[k].kind != TEXT_TOKEN_CJK_BIGRAM &&
                         tokens.items[k].kind != TEXT_TOKEN_CJK_UNIGRAM;
            cr_assert_leq(words, 8, "%s passage %zu: %zu words in '%.*s'", spaced[f], i + 1,
                          words, (int)(p->end - p->start), text.utf8 + p->start);
            cr_assert_geq(p->words, words, "%s passage %zu: the count is not below the words",
                          spaced[f], i + 1);
            token_list_free(&tokens);
        }
        passage_list_free(&passages);
        text_decoded_free(&text);
    }
    text_analyser_free(analyser);
}

/* A deterministic stream of pseudo-random numbers (so a failure can be replayed). */
static uint32_t next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(*state >> 33);
}

/* Up to MAX bytes of text made of pieces that stress the analyser: words,
 * separators, CJK, combining marks, emoji sequences, invalid bytes. */
static size_t random_text(uint64_t *state, char *out, size_t max)
{
    static const char *const pieces[] = {
        "word", " ", "  ", "\n", "\n\n", "\r\n", "\f", "\t", ".", ". ", ",", "'", "’",
        "-", "1,000", "38.101", "Kishida’s", "L'élève", "e\xCC\x81", "\xCC\x81", "\xC2\xAD",
        "\xE2\x80\x8B", "\xE2\x80\x8D", "システム", "管理者", "の", "。", "한국어",
        "\xE1\x84\x92\xE1\x85\xA1", "ภาษาไทย", "مرحبا", "שלום", "\xF0\x9F\x91\xA9",
        "\xF0\x9F\x8F\xBD", "\xEF\xB8\x8F", "\xF0\x9F\x87\xAF", "\xFF", "\xE3\x81", "\x80",
        "\xC0\xAF", "\0", "ＡＢＣ", "ｶﾞ",
    };
    size_t n = 0, count = sizeof pieces / sizeof pieces[0];
    size_t target = next_random(state) % max;
    while (n < target) {
        const char *piece = pieces[next_random(state) % count];
        size_t len = piece[0] ? strlen(piece) : 1;
        if (n + len > max) break;
        memcpy(out + n, piece, len);
        n += len;
    }
    return n;
}

Test(properties, random_mixtures_decode_analyse_and_split_without_fault) {
    text_analyser *analyser = analyser_with("english", true, 2, 6);
    uint64_t state = 20240601;
    char bytes[3000];
    for (int round = 0; round < 400; round++) {
        size_t len = random_text(&state, bytes, sizeof bytes);
        text_decoded text;
        cr_assert_eq(text_decode(bytes, len, &text), TEXT_OK, "round %d", round);
        cr_assert(text_is_valid_utf8(text.utf8, text.len), "round %d", round);
        token_list tokens = tokens_of(analyser, text.utf8, text.len, 1);
        for (size_t i = 0; i < tokens.n; i++) {
            const token_copy *t = &tokens.items[i];
            cr_assert(t->start < t->end && t->end <= text.len, "round %d", round);
            cr_assert(at_char_boundary(text.utf8, text.len, t->start), "round %d", round);
            cr_assert(at_char_boundary(text.utf8, text.len, t->end), "round %d", round);
        }
        passage_list passages = passages_of(analyser, text.utf8, text.len);
        size_t previous_end = 0;
        for (size_t i = 0; i < passages.n; i++) {
            const text_passage *p = &passages.items[i];
            cr_assert(p->start >= previous_end && p->start < p->end && p->end <= text.len,
                      "round %d passage %zu", round, i + 1);
            cr_assert(text_is_valid_utf8(text.utf8 + p->start, p->end - p->start),
                      "round %d passage %zu", round, i + 1);
            previous_end = p->end;
        }
        /* Every word and number lies inside one passage. */
        for (size_t i = 0; i < tokens.n; i++) {
            const token_copy *t = &tokens.items[i];
            size_t k = 0;
            if (t->kind != TEXT_TOKEN_WORD && t->kind != TEXT_TOKEN_NUMBER) continue;
            while (k < passages.n && passages.items[k].end <= t->start) k++;
            cr_assert(k < passages.n && passages.items[k].start <= t->start &&
                          t->end <= passages.items[k].end,
                      "round %d: '%s' at [%zu,%zu) is cut", round, t->term, t->start, t->end);
        }
        passage_list_free(&passages);
        token_list_free(&tokens);
        text_decoded_free(&text);
    }
    text_analyser_free(analyser);
}
