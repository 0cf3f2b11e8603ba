/* test_shortcuts.c — the analyser takes shortcuts for speed (a word's class
 * from its last byte instead of ICU's rule status, a cache of forms, a byte
 * scan that counts a passage's words without the word iterator); these tests
 * check each against the slow way it replaces. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "text_fixture.h"

/* A word segment as ICU's own iterator reports it. */
typedef struct icu_word {
    size_t start, end;
    int32_t status;
} icu_word;

/* The segments of TEXT with a word rule status (>= UBRK_WORD_NONE_LIMIT),
 * straight from ICU; *n receives their number; caller frees. */
static icu_word *icu_words(const char *text, size_t len, size_t *n)
{
    UErrorCode error = U_ZERO_ERROR;
    UBreakIterator *words = ubrk_open(UBRK_WORD, "", NULL, 0, &error);
    UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &error);
    ubrk_setUText(words, ut, &error);
    cr_assert(U_SUCCESS(error), "ICU: %s", u_errorName(error));
    icu_word *found = malloc((len + 1) * sizeof *found);
    cr_assert_not_null(found);
    *n = 0;
    int32_t start = ubrk_first(words);
    for (int32_t end = ubrk_next(words); end != UBRK_DONE; start = end, end = ubrk_next(words)) {
        int32_t status = ubrk_getRuleStatus(words);
        if (status >= UBRK_WORD_NONE_LIMIT)
            found[(*n)++] = (icu_word){(size_t)start, (size_t)end, status};
    }
    ubrk_close(words);
    utext_close(ut);
    return found;
}

/* The analyser's word and number tokens of TEXT agree with ICU's words: same
 * offsets, and NUMBER exactly where ICU's status is a number's. */
static void expect_tokens_match_icu(text_analyser *analyser, const char *text)
{
    size_t len = strlen(text), n = 0;
    icu_word *expected = icu_words(text, len, &n);
    token_list tokens = tokens_of(analyser, text, len, 1);
    size_t k = 0;
    for (size_t i = 0; i < tokens.n; i++) {
        const token_copy *t = &tokens.items[i];
        if (t->variant || (t->kind != TEXT_TOKEN_WORD && t->kind != TEXT_TOKEN_NUMBER)) continue;
        cr_assert_lt(k, n, "'%s': token '%s' that ICU does not see", text, t->term);
        cr_assert_eq(t->start, expected[k].start, "'%s': token '%s' starts elsewhere", text,
                     t->term);
        cr_assert_eq(t->end, expected[k].end, "'%s': token '%s' ends elsewhere", text, t->term);
        bool number = expected[k].status < UBRK_WORD_NUMBER_LIMIT;
        cr_assert_eq(t->kind == TEXT_TOKEN_NUMBER, number, "'%s': '%s' is%s a number for ICU",
                     text, t->term, number ? "" : " not");
        k++;
    }
    cr_assert_eq(k, n, "'%s': %zu tokens for ICU's %zu words", text, k, n);
    token_list_free(&tokens);
    free(expected);
}

Test(shortcuts, ascii_word_classes_taken_from_the_last_byte_agree_with_icu) {
    static const char *const texts[] = {
        "x86 1st v2.0 foo_ _x_ ___ 9_ _1 1_a a_1 e.g U.S. 3.14e10 0x1f 1,000 38.101",
        "rock'n'roll don't 'quoted' 's a:b 3:30 multi-agent state-of-the-art",
        "user@example.org @home trailing@ a@b @ @1 1@ x@y.z",
        "ABC Abc aBC 12ab ab12 __init__ _ __ a__b 1__2 a._ 1._ _.a",
    };
    text_analyser *analyser = default_analyser();
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        expect_tokens_match_icu(analyser, texts[i]);
    text_analyser_free(analyser);
}

Test(shortcuts, random_ascii_strings_give_icu_s_words_and_classes) {
    static const char alphabet[] = "ab9Z0_@.,;:'- \n";
    text_analyser *analyser = default_analyser();
    unsigned seed = 12345;
    char text[64];
    for (int round = 0; round < 3000; round++) {
        size_t len = 0, want = (size_t)(round % 40) + 1;
        while (len < want) {
            seed = seed * 1103515245u + 12345u;
            text[len++] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        text[len] = '\0';
        expect_tokens_match_icu(analyser, text);
    }
    text_analyser_free(analyser);
}

Test(shortcuts, words_with_non_ascii_ends_still_ask_icu_and_agree_with_it) {
    static const char *const texts[] = {
        "café naïve 1é é1 ١٢٣ ١٢٣a x١ Ｘ８６ ８６ｘ",
        "Kishida’s l’élève ｶﾞｲﾄﾞ 한국어 Linux커널 日本語123",
    };
    text_analyser *analyser = default_analyser();
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        expect_tokens_match_icu(analyser, texts[i]);
    text_analyser_free(analyser);
}

Test(shortcuts, at_signs_join_words_as_icu_does) {
    text_analyser *analyser = default_analyser();
    token_list tokens = tokens_of_string(analyser, "Write to Kensaku@Example.org or @home.");
    char *terms = word_terms(&tokens);
    cr_assert_str_eq(terms, "write to kensaku@example.org or @home");
    free(terms);
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

/* "w" followed by I in base 26: distinct lower-case words. */
static size_t synthetic_word(size_t i, char *out)
{
    size_t n = 0;
    out[n++] = 'w';
    do {
        out[n++] = (char)('a' + i % 26);
        i /= 26;
    } while (i > 0);
    out[n++] = ' ';
    return n;
}

Test(shortcuts, tokens_are_the_same_after_the_cache_has_been_cleared) {
    static const char probe[] = "Kishida’s runners ran the multi-agent tests; L'élève "
                                "reads 38.101 and システム管理者 works.";
    text_analyser *analyser = default_analyser();
    token_list before = tokens_of_string(analyser, probe);

    /* More distinct words than the cache holds, so it is cleared on the way. */
    enum { DISTINCT = 150000 };
    char *many = malloc(DISTINCT * 8 + 1);
    cr_assert_not_null(many);
    size_t len = 0;
    for (size_t i = 0; i < DISTINCT; i++) len += synthetic_word(i, many + len);
    token_list filler = tokens_of(analyser, many, len, 1);
    cr_assert_eq(filler.n, DISTINCT);
    char word[16];
    size_t word_len = synthetic_word(DISTINCT - 1, word) - 1;
    cr_assert(strlen(filler.items[DISTINCT - 1].term) == word_len &&
              memcmp(filler.items[DISTINCT - 1].term, word, word_len) == 0);
    token_list_free(&filler);
    free(many);

    token_list after = tokens_of_string(analyser, probe);
    cr_assert_eq(after.n, before.n);
    for (size_t i = 0; i < before.n; i++) {
        cr_assert_str_eq(after.items[i].term, before.items[i].term);
        cr_assert_str_eq(after.items[i].stem, before.items[i].stem);
        cr_assert_eq(after.items[i].kind, before.items[i].kind);
        cr_assert_eq(after.items[i].position, before.items[i].position);
        cr_assert_eq(after.items[i].start, before.items[i].start);
        cr_assert_eq(after.items[i].variant, before.items[i].variant);
    }
    token_list_free(&before);
    token_list_free(&after);
    text_analyser_free(analyser);
}

/* Is STEM among the stems of every STRIDE-th token of LIST? */
static bool stem_chosen(const token_list *list, size_t stride, const char *stem)
{
    for (size_t i = 0; i < list->n; i += stride)
        if (strcmp(list->items[i].stem, stem) == 0)
            return true;
    return false;
}

/* Limited stemming (text_analyser_stem_none): every word whose stem was
 * asked for keeps it, any other has its stem or its term as stem, and once
 * stemming is back to all, no form left out shows up from the cache. */
static void expect_limited_stems_agree(const char *language, const char *text, size_t len)
{
    enum { STRIDE = 7 };
    text_analyser *full = analyser_with(language, true, 60, 300);
    text_analyser *limited = analyser_with(language, true, 60, 300);
    token_list expected = tokens_of(full, text, len, 1);
    text_analyser_stem_none(limited);
    for (size_t i = 0; i < expected.n; i += STRIDE)
        text_analyser_stem_also(limited, expected.items[i].stem, strlen(expected.items[i].stem));
    token_list got = tokens_of(limited, text, len, 1);
    text_analyser_stem_all(limited);
    token_list again = tokens_of(limited, text, len, 1);
    cr_assert_eq(got.n, expected.n);
    cr_assert_eq(again.n, expected.n);
    for (size_t i = 0; i < expected.n; i++) {
        const token_copy *e = &expected.items[i], *g = &got.items[i];
        cr_assert_str_eq(g->term, e->term);
        if (stem_chosen(&expected, STRIDE, e->stem))
            cr_assert_str_eq(g->stem, e->stem, "%s: '%s'", language, e->term);
        else
            cr_assert(strcmp(g->stem, e->stem) == 0 || strcmp(g->stem, g->term) == 0,
                      "%s: '%s' has the stem '%s'", language, e->term, g->stem);
        cr_assert_str_eq(again.items[i].stem, e->stem, "%s: '%s'", language, e->term);
    }
    token_list_free(&expected);
    token_list_free(&got);
    token_list_free(&again);
    text_analyser_free(full);
    text_analyser_free(limited);
}

Test(shortcuts, limited_stemming_keeps_every_stem_asked_for) {
    /* English suffix rules, the exceptions, an initial y, apostrophes. */
    static const char words[] =
        "Running runners ran; the happiest hoping agreed. Cries, skies, dying, lying "
        "and tying generously; yelling yes, yodelling youths; the team's kishida’s "
        "rationalisation, relational operational hopefulness, l'élève 'tis o'clock";
    static const char *const languages[] = {"english", "french", "german", "none"};
    for (size_t l = 0; l < sizeof languages / sizeof languages[0]; l++) {
        expect_limited_stems_agree(languages[l], words, strlen(words));
        for (size_t f = 0; f < text_fixture_count; f++) {
            text_decoded text = fixture_decoded(text_fixtures[f]);
            expect_limited_stems_agree(languages[l], text.utf8, text.len);
            text_decoded_free(&text);
        }
    }
}

Test(shortcuts, limited_stemming_leaves_other_english_words_unstemmed) {
    text_analyser *analyser = default_analyser();
    text_analyser_stem_none(analyser);
    token_list none = tokens_of_string(analyser, "running walks");
    text_analyser_stem_also(analyser, "walk", 4);
    token_list walk = tokens_of_string(analyser, "running walks");
    text_analyser_stem_all(analyser);
    token_list all = tokens_of_string(analyser, "running walks");
    cr_assert_str_eq(none.items[0].stem, "running");
    cr_assert_str_eq(none.items[1].stem, "walks");
    cr_assert_str_eq(walk.items[0].stem, "running");
    cr_assert_str_eq(walk.items[1].stem, "walk");
    cr_assert_str_eq(all.items[0].stem, "run");
    cr_assert_str_eq(all.items[1].stem, "walk");
    token_list_free(&none);
    token_list_free(&walk);
    token_list_free(&all);
    text_analyser_free(analyser);
}

/* Word and number tokens of [START, END) of TEXT, variants not counted. */
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

Test(shortcuts, passage_word_counts_equal_the_tokens_in_alphabetic_scripts) {
    /* The counts come from a byte scan with Unicode's word-break properties;
     * for scripts that separate words, they are exact. */
    static const char *const spaced[] = {"en.txt", "de.txt", "fr.txt", "ar.txt", "he.txt",
                                         "nfc.txt", "nfd.txt", "crlf.txt", "zw.txt",
                                         "emoji.txt", "width.txt"};
    text_analyser *analyser = analyser_with("english", true, 1, 12);
    for (size_t f = 0; f < sizeof spaced / sizeof spaced[0]; f++) {
        text_decoded text = fixture_decoded(spaced[f]);
        passage_list passages = passages_of(analyser, text.utf8, text.len);
        for (size_t i = 0; i < passages.n; i++) {
            const text_passage *p = &passages.items[i];
            size_t words = words_in(analyser, text.utf8, p->start, p->end);
            cr_assert_eq(p->words, words, "%s passage %zu: counted %u, tokens %zu in '%.*s'",
                         spaced[f], i + 1, p->words, words, (int)(p->end - p->start),
                         text.utf8 + p->start);
        }
        passage_list_free(&passages);
        text_decoded_free(&text);
    }
    text_analyser_free(analyser);
}

Test(shortcuts, passage_word_counts_of_generated_ascii_text_equal_the_tokens) {
    static const char *const pieces[] = {
        "alpha", "beta_", "_", "__init__", "x86", "3.14", "1,000", "a,b", "U.S.", "don't",
        "'", "e-mail", "@", "user@host", "a.b.c", "..", "1;2", "a;b", "::", "\n", "  ",
        "(x)", "[1]_", "`code`_", "a_.b", "9._", "__", "`x`__", "___|",
    };
    text_analyser *analyser = analyser_with("english", true, 1, 100000);
    unsigned seed = 7;
    for (int round = 0; round < 300; round++) {
        char text[2048];
        size_t len = 0;
        for (int k = 0; k < 60; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            size_t n = strlen(piece);
            memcpy(text + len, piece, n);
            len += n;
            text[len++] = (seed >> 8) % 3 ? ' ' : '-';
        }
        text[len] = '\0';
        passage_list passages = passages_of(analyser, text, len);
        for (size_t i = 0; i < passages.n; i++) {
            const text_passage *p = &passages.items[i];
            cr_assert_eq(p->words, words_in(analyser, text, p->start, p->end), "in '%.*s'",
                         (int)(p->end - p->start), text + p->start);
        }
        passage_list_free(&passages);
    }
    text_analyser_free(analyser);
}

Test(shortcuts, a_passage_counts_no_words_exactly_when_it_has_no_tokens) {
    /* The indexer drops passages that count no words: none may hold a token. */
    static const uint32_t bounds[][2] = {{1, 3}, {2, 8}, {60, 300}};
    for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++) {
        text_analyser *analyser = analyser_with("english", true, bounds[b][0], bounds[b][1]);
        for (size_t f = 0; f < text_fixture_count; f++) {
            text_decoded text = fixture_decoded(text_fixtures[f]);
            passage_list passages = passages_of(analyser, text.utf8, text.len);
            for (size_t i = 0; i < passages.n; i++) {
                const text_passage *p = &passages.items[i];
                token_list tokens = tokens_of(analyser, text.utf8 + p->start, p->end - p->start, 1);
                cr_assert_eq(p->words == 0, tokens.n == 0, "%s passage %zu: %u words, %zu tokens",
                             text_fixtures[f], i + 1, p->words, tokens.n);
                token_list_free(&tokens);
            }
            passage_list_free(&passages);
            text_decoded_free(&text);
        }
        text_analyser_free(analyser);
    }
}
