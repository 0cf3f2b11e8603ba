/* test_analyse.c — tokens of the fixture texts in many scripts: what is a
 * token, how it is normalised and stemmed, its position and offsets. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "text_fixture.h"

/* The token of KIND with TERM in the decoded fixture NAME, checked against
 * the expected stem (NULL: not checked) and surface text (NULL: not checked). */
static const struct term_case {
    const char *fixture;
    text_token_kind kind;
    const char *term;
    const char *stem;
    const char *surface;
} term_cases[] = {
    /* English: typographic apostrophe, possessive stemmed away */
    {"en.txt", TEXT_TOKEN_WORD, "kishida's", "kishida", "Kishida’s"},
    {"en.txt", TEXT_TOKEN_WORD, "team's", "team", "team’s"},
    {"en.txt", TEXT_TOKEN_WORD, "don't", NULL, "don't"},
    {"en.txt", TEXT_TOKEN_WORD, "u.s", NULL, "U.S"},
    {"en.txt", TEXT_TOKEN_NUMBER, "38.101", "38.101", "38.101"},
    {"en.txt", TEXT_TOKEN_NUMBER, "1,000", "1,000", "1,000"},
    {"en.txt", TEXT_TOKEN_NUMBER, "3.5", "3.5", "3.5"},
    {"en.txt", TEXT_TOKEN_WORD, "running", "run", "Running"},
    {"en.txt", TEXT_TOKEN_WORD, "abducted", "abduct", "abducted"},
    {"en.txt", TEXT_TOKEN_WORD, "abduction", "abduct", "abduction"},
    {"en.txt", TEXT_TOKEN_WORD, "prime", "prime", "Prime"},
    /* German: sharp s, umlauts folded */
    {"de.txt", TEXT_TOKEN_WORD, "strasse", NULL, "Straße"},
    {"de.txt", TEXT_TOKEN_WORD, "fussganger", NULL, "Fußgänger"},
    {"de.txt", TEXT_TOKEN_WORD, "grossen", NULL, "großen"},
    {"de.txt", TEXT_TOKEN_WORD, "ausser", NULL, "außer"},
    /* French: elisions and accents */
    {"fr.txt", TEXT_TOKEN_WORD, "l'eleve", NULL, "L'élève"},
    {"fr.txt", TEXT_TOKEN_WORD, "reussi", NULL, "réussi"},
    {"fr.txt", TEXT_TOKEN_WORD, "geographie", NULL, "géographie"},
    {"fr.txt", TEXT_TOKEN_WORD, "l'hopital", NULL, "l’hôpital"},
    {"fr.txt", TEXT_TOKEN_WORD, "aujourd'hui", NULL, "Aujourd'hui"},
    /* Japanese: ICU's dictionary words */
    {"ja.txt", TEXT_TOKEN_WORD, "システム", "システム", "システム"},
    {"ja.txt", TEXT_TOKEN_WORD, "管理者", "管理者", "管理者"},
    {"ja.txt", TEXT_TOKEN_WORD, "ネットワーク", NULL, "ネットワーク"},
    {"ja.txt", TEXT_TOKEN_WORD, "圧縮", NULL, "圧縮"},
    /* Chinese */
    {"zh.txt", TEXT_TOKEN_WORD, "图书", NULL, "图书"},
    {"zh.txt", TEXT_TOKEN_WORD, "系统", NULL, "系统"},
    {"zh.txt", TEXT_TOKEN_CJK_BIGRAM, "书馆", "书馆", "书馆"},
    /* Korean words keep their particles; bigrams find the noun */
    {"ko.txt", TEXT_TOKEN_WORD, "도서관은", NULL, "도서관은"},
    {"ko.txt", TEXT_TOKEN_CJK_BIGRAM, "서관", NULL, "서관"},
    {"ko.txt", TEXT_TOKEN_CJK_UNIGRAM, "책", NULL, "책"},
    /* Thai: dictionary words out of a run without spaces */
    {"th.txt", TEXT_TOKEN_WORD, "ภาษา", "ภาษา", "ภาษา"},
    {"th.txt", TEXT_TOKEN_WORD, "สวยงาม", NULL, "สวยงาม"},
    {"th.txt", TEXT_TOKEN_WORD, "หนังสือ", NULL, "หนังสือ"},
    /* Arabic: presentation forms become the letters they show */
    {"ar.txt", TEXT_TOKEN_WORD, "المكتبة", "المكتبة", "المكتبة"},
    {"ar.txt", TEXT_TOKEN_WORD, "لا", NULL, "ﻻ"},
    /* ... and vowel marks (harakat) fold away like accents */
    {"ar.txt", TEXT_TOKEN_WORD, "كتاب", NULL, "كِتَابٌ"},
    /* Hebrew: gershayim inside an abbreviation keeps it one word */
    {"he.txt", TEXT_TOKEN_WORD, "מארה״ב", NULL, "מארה״ב"},
    {"he.txt", TEXT_TOKEN_WORD, "הספרייה", "הספרייה", "הספרייה"},
    /* Hebrew points (niqqud) fold away like accents */
    {"he.txt", TEXT_TOKEN_WORD, "בניקוד", NULL, "בְּנִיקּוּד"},
    /* Width and compatibility forms */
    {"width.txt", TEXT_TOKEN_WORD, "abc", "abc", "ＡＢＣ"},
    {"width.txt", TEXT_TOKEN_WORD, "def", NULL, "ｄｅｆ"},
    {"width.txt", TEXT_TOKEN_NUMBER, "123", "123", "１２３"},
    {"width.txt", TEXT_TOKEN_WORD, "カタカナ", NULL, "ｶﾀｶﾅ"},
    {"width.txt", TEXT_TOKEN_WORD, "file", NULL, "ﬁle"},
    /* Zero-width and soft hyphen characters vanish from the term */
    {"zw.txt", TEXT_TOKEN_WORD, "softhyphen", NULL, "soft\u00ADhyphen"},
    {"zw.txt", TEXT_TOKEN_WORD, "hyphenated", NULL, "hyphen\u00ADated"},
    {"zw.txt", TEXT_TOKEN_WORD, "wordjoiner", NULL, "word\u2060joiner"},
    {"zw.txt", TEXT_TOKEN_WORD, "nonjoiner", NULL, "non\u200Cjoiner"},
    /* CRLF text */
    {"crlf.txt", TEXT_TOKEN_WORD, "feed", NULL, "feed"},
};

Test(analyse, fixture_terms_have_the_expected_kind_stem_and_surface) {
    text_analyser *analyser = default_analyser();
    for (size_t i = 0; i < sizeof term_cases / sizeof term_cases[0]; i++) {
        const struct term_case *c = &term_cases[i];
        text_decoded text = fixture_decoded(c->fixture);
        token_list tokens = tokens_of(analyser, text.utf8, text.len, 1);
        const token_copy *t = find_token(&tokens, c->kind, c->term);
        cr_assert_not_null(t, "%s: no token '%s' of kind %d", c->fixture, c->term, c->kind);
        cr_assert_not(t->variant, "%s: '%s'", c->fixture, c->term);
        if (c->stem) cr_assert_str_eq(t->stem, c->stem, "%s: stem of '%s'", c->fixture, c->term);
        size_t surface_len = t->end - t->start;
        cr_assert_eq(surface_len, strlen(c->surface), "%s: '%s' spans '%.*s'", c->fixture,
                     c->term, (int)surface_len, text.utf8 + t->start);
        cr_assert_eq(memcmp(text.utf8 + t->start, c->surface, surface_len), 0,
                     "%s: '%s' spans '%.*s'", c->fixture, c->term, (int)surface_len,
                     text.utf8 + t->start);
        token_list_free(&tokens);
        text_decoded_free(&text);
    }
    text_analyser_free(analyser);
}

Test(analyse, hyphenated_words_are_separate_words_at_consecutive_positions) {
    text_analyser *analyser = default_analyser();
    token_list tokens = tokens_of_string(analyser, "Our multi-agent planner");
    char *terms = word_terms(&tokens);
    cr_assert_str_eq(terms, "our multi agent planner");
    free(terms);
    const token_copy *multi = find_token(&tokens, TEXT_TOKEN_WORD, "multi");
    const token_copy *agent = find_token(&tokens, TEXT_TOKEN_WORD, "agent");
    cr_assert_eq(agent->position, multi->position + 1);
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

static const struct sequence_case {
    const char *text;
    const char *terms; /* the word and number terms, space-separated */
} sequence_cases[] = {
    {"Version 38.101 ships 1,000 parts to the U.S. today.",
     "version 38.101 ships 1,000 parts to the u.s today"},
    {"Kishida\u2019s, Kishida\u02BCs and Kishida\uFF07s", "kishida's kishida's and kishida's"},
    {"well-known, e-mail; night-shift", "well known e mail night shift"},
    {"  ...  !!  --  ", ""},
    {"ＡＢＣ ＤＥＦ ａｂｃ", "abc def abc"},
    {"STRASSE Straße straße", "strasse strasse strasse"},
    {"Launch \U0001F680 at dawn \U0001F469\u200D\U0001F469\u200D\U0001F467 done",
     "launch at dawn done"},
};

Test(analyse, text_gives_exactly_the_expected_word_and_number_terms) {
    text_analyser *analyser = default_analyser();
    for (size_t i = 0; i < sizeof sequence_cases / sizeof sequence_cases[0]; i++) {
        token_list tokens = tokens_of_string(analyser, sequence_cases[i].text);
        char *terms = word_terms(&tokens);
        cr_assert_str_eq(terms, sequence_cases[i].terms, "'%s'", sequence_cases[i].text);
        free(terms);
        token_list_free(&tokens);
    }
    text_analyser_free(analyser);
}

Test(analyse, elision_also_yields_the_bare_word_as_a_variant_at_the_same_position) {
    text_analyser *analyser = default_analyser();
    text_decoded text = fixture_decoded("fr.txt");
    token_list tokens = tokens_of(analyser, text.utf8, text.len, 1);
    static const char *const pairs[][2] = {
        {"l'eleve", "eleve"}, {"qu'il", "il"}, {"d'histoire", "histoire"},
        {"l'hopital", "hopital"}, {"c'est", "est"}, {"n'est", "est"},
    };
    for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
        const token_copy *word = find_token(&tokens, TEXT_TOKEN_WORD, pairs[p][0]);
        cr_assert_not_null(word, "%s", pairs[p][0]);
        cr_assert_not(word->variant);
        const token_copy *variant = word + 1;
        cr_assert(variant < tokens.items + tokens.n && variant->variant, "%s", pairs[p][0]);
        cr_assert_str_eq(variant->term, pairs[p][1]);
        cr_assert_eq(variant->position, word->position);
        cr_assert_eq(variant->start, word->start);
        cr_assert_eq(variant->end, word->end);
    }
    /* "aujourd'hui" is no elision. */
    const token_copy *today = find_token(&tokens, TEXT_TOKEN_WORD, "aujourd'hui");
    cr_assert_not_null(today);
    cr_assert(today + 1 == tokens.items + tokens.n || !today[1].variant);
    token_list_free(&tokens);
    text_decoded_free(&text);
    text_analyser_free(analyser);
}

Test(analyse, french_stemmer_stems_the_elided_variant) {
    text_analyser *analyser = analyser_with("french", true, 60, 300);
    token_list tokens = tokens_of_string(analyser, "L'élève et les élèves");
    const token_copy *word = find_token(&tokens, TEXT_TOKEN_WORD, "l'eleve");
    cr_assert_not_null(word);
    cr_assert(word[1].variant);
    const token_copy *plural = find_token(&tokens, TEXT_TOKEN_WORD, "eleves");
    cr_assert_not_null(plural);
    cr_assert_str_eq(word[1].stem, plural->stem, "'eleve' and 'eleves' share the stem '%s'",
                     plural->stem);
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

Test(analyse, accents_are_kept_when_folding_is_off) {
    text_analyser *analyser = analyser_with("none", false, 60, 300);
    token_list tokens = tokens_of_string(analyser, "L’Élève Straße ＡＢＣ");
    char *terms = word_terms(&tokens);
    cr_assert_str_eq(terms, "l'élève strasse abc");
    free(terms);
    const token_copy *variant = find_token(&tokens, TEXT_TOKEN_WORD, "élève");
    cr_assert_not_null(variant);
    cr_assert(variant->variant);
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

Test(analyse, language_none_does_not_stem) {
    text_analyser *analyser = analyser_with("none", true, 60, 300);
    text_decoded text = fixture_decoded("en.txt");
    token_list tokens = tokens_of(analyser, text.utf8, text.len, 1);
    cr_assert_gt(tokens.n, 50);
    for (size_t i = 0; i < tokens.n; i++)
        cr_assert_str_eq(tokens.items[i].stem, tokens.items[i].term);
    cr_assert_not_null(find_token(&tokens, TEXT_TOKEN_WORD, "running"));
    cr_assert_not_null(find_token(&tokens, TEXT_TOKEN_WORD, "kishida's"));
    token_list_free(&tokens);
    text_decoded_free(&text);
    text_analyser_free(analyser);
}

Test(analyse, numbers_and_cjk_are_never_stemmed) {
    text_analyser *analyser = default_analyser();
    token_list tokens = tokens_of_string(analyser, "1,000 runs 38.101 システム管理者");
    for (size_t i = 0; i < tokens.n; i++) {
        const token_copy *t = &tokens.items[i];
        if (t->kind != TEXT_TOKEN_WORD || ((unsigned char)t->term[0] >= 0x80))
            cr_assert_str_eq(t->stem, t->term, "'%s'", t->term);
    }
    cr_assert_str_eq(find_token(&tokens, TEXT_TOKEN_WORD, "runs")->stem, "run");
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

Test(analyse, over_long_token_is_skipped_not_truncated_and_its_position_is_used) {
    char text[256];
    char letters[101];
    memset(letters, 'a', 100);
    letters[100] = '\0';
    snprintf(text, sizeof text, "before %s after", letters);
    text_analyser *analyser = default_analyser();
    token_list tokens = tokens_of(analyser, text, strlen(text), 10);
    cr_assert_eq(tokens.n, 2, "only 'before' and 'after', got %zu tokens", tokens.n);
    cr_assert_str_eq(tokens.items[0].term, "before");
    cr_assert_eq(tokens.items[0].position, 10);
    cr_assert_str_eq(tokens.items[1].term, "after");
    cr_assert_eq(tokens.items[1].position, 12, "the skipped word used position 11");
    cr_assert_eq(tokens.next_position, 13);
    for (size_t i = 0; i < tokens.n; i++) cr_assert_lt(strlen(tokens.items[i].term), 100);
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

Test(analyse, token_of_exactly_the_maximum_length_is_kept_and_one_more_is_skipped) {
    char kept[TEXT_MAX_TOKEN_BYTES + 1], skipped[TEXT_MAX_TOKEN_BYTES + 2];
    memset(kept, 'k', TEXT_MAX_TOKEN_BYTES);
    kept[TEXT_MAX_TOKEN_BYTES] = '\0';
    memset(skipped, 's', TEXT_MAX_TOKEN_BYTES + 1);
    skipped[TEXT_MAX_TOKEN_BYTES + 1] = '\0';
    text_analyser *analyser = analyser_with("none", true, 60, 300);
    token_list tokens = tokens_of_string(analyser, kept);
    cr_assert_eq(tokens.n, 1);
    cr_assert_str_eq(tokens.items[0].term, kept);
    token_list_free(&tokens);
    tokens = tokens_of_string(analyser, skipped);
    cr_assert_eq(tokens.n, 0);
    cr_assert_eq(tokens.next_position, 2);
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

Test(analyse, length_limit_applies_to_the_normalised_form) {
    /* 50 accented letters are 100 bytes raw but 50 once accents are folded. */
    char text[256] = "";
    for (int i = 0; i < 50; i++) strcat(text, "\xC3\xA9");
    text_analyser *analyser = default_analyser();
    token_list tokens = tokens_of_string(analyser, text);
    cr_assert_eq(tokens.n, 1);
    cr_assert_eq(strlen(tokens.items[0].term), 50);
    cr_assert_eq(tokens.items[0].end, 100);
    token_list_free(&tokens);
    text_analyser_free(analyser);

    /* Kept as they are, they stay 100 bytes: skipped. */
    analyser = analyser_with("none", false, 60, 300);
    tokens = tokens_of_string(analyser, text);
    cr_assert_eq(tokens.n, 0);
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

Test(analyse, positions_start_at_first_position_and_next_position_follows_the_last_word) {
    text_analyser *analyser = default_analyser();
    token_list tokens = tokens_of(analyser, "one two three", 13, 41);
    cr_assert_eq(tokens.n, 3);
    for (size_t i = 0; i < 3; i++) cr_assert_eq(tokens.items[i].position, 41 + i);
    cr_assert_eq(tokens.next_position, 44);
    token_list_free(&tokens);

    uint32_t next = 0;
    cr_assert_eq(text_analyse(analyser, "", 0, 7, NULL, NULL, &next), TEXT_OK);
    cr_assert_eq(next, 7, "empty text: next position is the first");
    text_analyser_free(analyser);
}

Test(analyse, only_len_bytes_are_read) {
    text_analyser *analyser = default_analyser();
    token_list tokens = tokens_of(analyser, "alpha beta gamma", 10, 1);
    char *terms = word_terms(&tokens);
    cr_assert_str_eq(terms, "alpha beta");
    free(terms);
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

Test(analyse, nul_bytes_separate_words_and_do_not_end_the_text) {
    text_analyser *analyser = default_analyser();
    const char text[] = "abc\0def ghi\0";
    token_list tokens = tokens_of(analyser, text, sizeof text - 1, 1);
    char *terms = word_terms(&tokens);
    cr_assert_str_eq(terms, "abc def ghi");
    free(terms);
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

Test(analyse, analyser_keeps_no_hold_on_the_text_after_returning) {
    /* ASan reports a read of the freed buffer if the iterator still used it. */
    text_analyser *analyser = default_analyser();
    char *text = strdup("first text, soon freed");
    token_list tokens = tokens_of_string(analyser, text);
    token_list_free(&tokens);
    free(text);
    tokens = tokens_of_string(analyser, "second text");
    char *terms = word_terms(&tokens);
    cr_assert_str_eq(terms, "second text");
    free(terms);
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

typedef struct stop_counter {
    size_t calls;
    size_t stop_after;
} stop_counter;

static int stop_after(void *context, const text_token *token)
{
    (void)token;
    stop_counter *counter = context;
    return ++counter->calls >= counter->stop_after;
}

Test(analyse, callback_can_stop_the_analysis) {
    text_analyser *analyser = default_analyser();
    const char *text = "one two three four five six";
    stop_counter counter = {.stop_after = 3};
    cr_assert_eq(text_analyse(analyser, text, strlen(text), 1, stop_after, &counter, NULL),
                 TEXT_STOPPED);
    cr_assert_eq(counter.calls, 3);
    /* A stop on a word with an elision reports no variant after it. */
    counter = (stop_counter){.stop_after = 1};
    cr_assert_eq(text_analyse(analyser, "l'élève", strlen("l'élève"), 1, stop_after, &counter,
                              NULL),
                 TEXT_STOPPED);
    cr_assert_eq(counter.calls, 1);
    /* And the analyser still works afterwards. */
    token_list tokens = tokens_of_string(analyser, text);
    cr_assert_eq(tokens.n, 6);
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

Test(analyse, stopping_inside_cjk_ngrams_reports_nothing_more) {
    text_analyser *analyser = default_analyser();
    const char *text = "システム管理者の仕事";
    stop_counter counter = {.stop_after = 4};
    cr_assert_eq(text_analyse(analyser, text, strlen(text), 1, stop_after, &counter, NULL),
                 TEXT_STOPPED);
    cr_assert_eq(counter.calls, 4);
    text_analyser_free(analyser);
}

Test(analyse, token_matches_by_stem_or_by_exact_form) {
    text_analyser *analyser = default_analyser();
    token_list text = tokens_of_string(analyser, "The abducted pilot");
    token_list query = tokens_of_string(analyser, "abduction");
    const token_copy *abducted = find_token(&text, TEXT_TOKEN_WORD, "abducted");
    const token_copy *abduction = &query.items[0];
    text_token token = {
        .kind = abducted->kind,
        .term = abducted->term, .term_len = strlen(abducted->term),
        .stem = abducted->stem, .stem_len = strlen(abducted->stem),
    };
    cr_assert(text_token_matches(&token, abduction->stem, strlen(abduction->stem), true));
    cr_assert_not(text_token_matches(&token, abduction->term, strlen(abduction->term), false));
    cr_assert(text_token_matches(&token, "abducted", 8, false));
    cr_assert_not(text_token_matches(&token, "abducte", 7, false), "no prefix match");
    cr_assert_not(text_token_matches(&token, "abduct", 6, false), "exact is not stemmed");
    cr_assert_not(text_token_matches(&token, "abducts", 7, true));
    token_list_free(&query);
    token_list_free(&text);
    text_analyser_free(analyser);
}

static const struct normalise_case {
    const char *word;
    const char *expected; /* "" when nothing remains */
} normalise_cases[] = {
    {"Kishida’s", "kishida's"},
    {"ＡＢＣ", "abc"},
    {"Straße", "strasse"},
    {"ÉLÈVE", "eleve"},
    {"e\u0301le\u0300ve", "eleve"},
    {"hyphen\u00ADation", "hyphenation"},
    {"ｶﾀｶﾅ", "カタカナ"},
    {"ﬁle", "file"},
    {"\u00AD", ""},
    {"", ""},
    {"ΣΟΦΊΑ", "σοφια"},
};

Test(analyse, normalise_word_folds_case_width_accents_and_apostrophes) {
    text_analyser *analyser = default_analyser();
    for (size_t i = 0; i < sizeof normalise_cases / sizeof normalise_cases[0]; i++) {
        const struct normalise_case *c = &normalise_cases[i];
        char out[TEXT_MAX_TOKEN_BYTES + 1];
        memset(out, 'x', sizeof out);
        size_t n = text_normalise_word(analyser, c->word, strlen(c->word), out, sizeof out);
        cr_assert_eq(n, strlen(c->expected), "'%s' gave %zu bytes", c->word, n);
        if (n) cr_assert_str_eq(out, c->expected, "'%s'", c->word);
    }
    text_analyser_free(analyser);
}

Test(analyse, normalise_word_refuses_a_small_buffer_and_an_over_long_word) {
    text_analyser *analyser = default_analyser();
    char out[8];
    cr_assert_eq(text_normalise_word(analyser, "abcdefgh", 8, out, sizeof out), 0,
                 "8 bytes and a NUL do not fit in 8");
    cr_assert_eq(text_normalise_word(analyser, "abcdefg", 7, out, sizeof out), 7);
    cr_assert_str_eq(out, "abcdefg");
    char big[TEXT_MAX_TOKEN_BYTES * 2];
    char word[TEXT_MAX_TOKEN_BYTES + 1];
    memset(word, 'w', sizeof word);
    cr_assert_eq(text_normalise_word(analyser, word, sizeof word, big, sizeof big), 0);
    text_analyser_free(analyser);
}

Test(analyse, analyser_reports_its_configuration) {
    text_analyser *analyser = analyser_with("french", false, 7, 70);
    const text_config *config = text_analyser_config(analyser);
    cr_assert_str_eq(config->language, "french");
    cr_assert_not(config->fold_accents);
    cr_assert_eq(config->passage_min_words, 7);
    cr_assert_eq(config->passage_max_words, 70);
    text_analyser_free(analyser);
}

Test(analyse, analyser_refuses_an_invalid_configuration_with_a_message) {
    text_config config;
    text_config_default(&config);
    strcpy(config.language, "klingon");
    text_analyser *analyser = (text_analyser *)&config;
    char *message = NULL;
    cr_assert_eq(text_analyser_new(&config, &analyser, &message), TEXT_INVALID_ARGUMENT);
    cr_assert_null(analyser);
    cr_assert_not_null(message);
    free(message);
    text_analyser_free(NULL);
}

Test(analyse, emoji_and_zwj_sequences_give_no_tokens) {
    text_analyser *analyser = default_analyser();
    text_decoded text = fixture_decoded("emoji.txt");
    token_list tokens = tokens_of(analyser, text.utf8, text.len, 1);
    char *terms = word_terms(&tokens);
    cr_assert_str_eq(terms, "launch at dawn family and coders flags and thumbs done");
    free(terms);
    for (size_t i = 0; i < tokens.n; i++) {
        const token_copy *t = &tokens.items[i];
        for (size_t k = t->start; k < t->end;) {
            UChar32 c;
            U8_NEXT(text.utf8, k, t->end, c);
            cr_assert_not(u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
                              u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR),
                          "token '%s' holds U+%04X", t->term, (unsigned)c);
        }
    }
    token_list_free(&tokens);
    text_decoded_free(&text);
    text_analyser_free(analyser);
}

Test(analyse, zero_width_space_separates_words_but_joiners_and_soft_hyphens_do_not) {
    text_analyser *analyser = default_analyser();
    text_decoded text = fixture_decoded("zw.txt");
    token_list tokens = tokens_of(analyser, text.utf8, text.len, 1);
    char *terms = word_terms(&tokens);
    cr_assert_str_eq(terms, "zero width space splits but softhyphen wordjoiner nonjoiner and "
                            "zerowidthjoiner do not a hyphenated paragraph keeps its words whole");
    free(terms);
    token_list_free(&tokens);
    text_decoded_free(&text);
    text_analyser_free(analyser);
}

Test(analyse, thai_run_without_spaces_is_segmented_into_several_words) {
    text_analyser *analyser = default_analyser();
    text_decoded text = fixture_decoded("th.txt");
    const char *newline = strchr(text.utf8, '\n');
    size_t first_line = (size_t)(newline - text.utf8);
    cr_assert_null(memchr(text.utf8, ' ', first_line), "the first line has no spaces");
    token_list tokens = tokens_of(analyser, text.utf8, first_line, 1);
    char *terms = word_terms(&tokens);
    cr_assert_str_eq(terms, "ภาษา ไทย เป็น ภาษา ที่ สวยงาม");
    free(terms);
    for (size_t i = 0; i < tokens.n; i++) cr_assert_eq(tokens.items[i].kind, TEXT_TOKEN_WORD);
    token_list_free(&tokens);
    text_decoded_free(&text);
    text_analyser_free(analyser);
}

Test(analyse, composed_and_decomposed_text_give_the_same_tokens) {
    text_analyser *analyser = default_analyser();
    text_decoded nfc = fixture_decoded("nfc.txt"), nfd = fixture_decoded("nfd.txt");
    cr_assert_neq(nfc.len, nfd.len, "the fixtures really differ in form");
    token_list composed = tokens_of(analyser, nfc.utf8, nfc.len, 1);
    token_list decomposed = tokens_of(analyser, nfd.utf8, nfd.len, 1);
    cr_assert_eq(composed.n, decomposed.n);
    for (size_t i = 0; i < composed.n; i++) {
        const token_copy *a = &composed.items[i], *b = &decomposed.items[i];
        cr_assert_eq(a->kind, b->kind, "token %zu", i);
        cr_assert_str_eq(a->term, b->term, "token %zu", i);
        cr_assert_str_eq(a->stem, b->stem, "token %zu", i);
        cr_assert_eq(a->position, b->position, "token %zu '%s'", i, a->term);
        cr_assert_eq(a->variant, b->variant, "token %zu", i);
    }
    char *terms = word_terms(&composed);
    cr_assert_str_eq(terms, "cafe creme brulee naive resume angstrom senor tieng viet αθηνα "
                            "иошкар ола 한국어 문서를 검색합니다");
    free(terms);
    token_list_free(&composed);
    token_list_free(&decomposed);
    text_decoded_free(&nfc);
    text_decoded_free(&nfd);
    text_analyser_free(analyser);
}

Test(analyse, composed_and_decomposed_accents_are_alike_when_kept_too) {
    text_analyser *analyser = analyser_with("none", false, 60, 300);
    token_list composed = tokens_of_string(analyser, "caf\u00e9 \u00c5ngstr\u00f6m");
    token_list decomposed = tokens_of_string(analyser, "cafe\u0301 A\u030angstro\u0308m");
    char *a = word_terms(&composed), *b = word_terms(&decomposed);
    cr_assert_str_eq(a, "caf\u00e9 \u00e5ngstr\u00f6m");
    cr_assert_str_eq(b, a);
    free(a);
    free(b);
    token_list_free(&composed);
    token_list_free(&decomposed);
    text_analyser_free(analyser);
}

static const struct cjk_codepoint_case {
    uint32_t codepoint;
    bool cjk;
} cjk_codepoint_cases[] = {
    {'A', false},    {0x00E9, false}, {0x3042, true},  /* あ */
    {0x30A2, true},  /* ア */          {0x6F22, true},  /* 漢 */
    {0xD55C, true},  /* 한 */          {0x1100, true},  /* ᄀ jamo */
    {0x30FC, true},  /* ー */          {0x3005, true},  /* 々 */
    {0xFF71, true},  /* ｱ */           {0x20B9F, true}, /* 𠮟 */
    {0x0E01, false}, /* ก */           {0x05D0, false}, /* א */
    {0x3002, false}, /* 。 */          {0x1F600, false},
};

Test(analyse, cjk_codepoints_are_han_kana_and_hangul_only) {
    for (size_t i = 0; i < sizeof cjk_codepoint_cases / sizeof cjk_codepoint_cases[0]; i++)
        cr_assert_eq(text_is_cjk_codepoint(cjk_codepoint_cases[i].codepoint),
                     cjk_codepoint_cases[i].cjk, "U+%04X",
                     (unsigned)cjk_codepoint_cases[i].codepoint);
}
