/* test_cjk.c — character bigrams and unigrams of Han, kana and Hangul runs:
 * a CJK query string is found wherever it stands as a substring, even where
 * ICU's dictionary cuts the text's words differently from the query's. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "text_fixture.h"

/* How many tokens of KIND LIST holds. */
static size_t count_kind(const token_list *list, text_token_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++) n += list->items[i].kind == kind;
    return n;
}

/* True if TEXT holds, for every K, a bigram with the term of the query's K-th
 * bigram at position P + K, for some P: the query's bigrams as a phrase. */
static bool bigram_phrase_occurs(const token_list *text, const token_list *query)
{
    const token_copy *first = NULL;
    for (size_t i = 0; i < query->n && !first; i++)
        if (query->items[i].kind == TEXT_TOKEN_CJK_BIGRAM) first = &query->items[i];
    cr_assert_not_null(first, "the query has bigrams");
    for (size_t s = 0; s < text->n; s++) {
        const token_copy *start = &text->items[s];
        if (start->kind != TEXT_TOKEN_CJK_BIGRAM || strcmp(start->term, first->term) != 0)
            continue;
        bool all = true;
        for (size_t q = 0; q < query->n && all; q++) {
            const token_copy *want = &query->items[q];
            if (want->kind != TEXT_TOKEN_CJK_BIGRAM) continue;
            uint32_t position = start->position + (want->position - first->position);
            bool found = false;
            for (size_t t = 0; t < text->n && !found; t++)
                found = text->items[t].kind == TEXT_TOKEN_CJK_BIGRAM &&
                        text->items[t].position == position &&
                        strcmp(text->items[t].term, want->term) == 0;
            all = found;
        }
        if (all) return true;
    }
    return false;
}

Test(cjk, query_bigrams_are_consecutive_character_pairs_at_consecutive_positions) {
    text_analyser *analyser = default_analyser();
    token_list query = tokens_of_string(analyser, "システム管理");
    static const char *const expected[] = {"シス", "ステ", "テム", "ム管", "管理"};
    size_t k = 0;
    uint32_t first_position = 0;
    for (size_t i = 0; i < query.n; i++) {
        const token_copy *t = &query.items[i];
        if (t->kind != TEXT_TOKEN_CJK_BIGRAM) continue;
        cr_assert_lt(k, 5);
        cr_assert_str_eq(t->term, expected[k]);
        if (k == 0) first_position = t->position;
        cr_assert_eq(t->position, first_position + k, "bigram %zu", k);
        cr_assert_eq(t->end - t->start, 6, "two kana or kanji of three bytes");
        k++;
    }
    cr_assert_eq(k, 5);
    cr_assert_eq(count_kind(&query, TEXT_TOKEN_CJK_UNIGRAM), 6);
    token_list_free(&query);
    text_analyser_free(analyser);
}

Test(cjk, query_phrase_is_found_in_text_whose_dictionary_words_differ) {
    text_analyser *analyser = default_analyser();
    text_decoded text = fixture_decoded("ja.txt");
    token_list tokens = tokens_of(analyser, text.utf8, text.len, 1);
    token_list query = tokens_of_string(analyser, "システム管理");

    /* ICU cuts the text as システム|管理者 and the query as システム|管理, so
     * the query's words never form a phrase in the text... */
    cr_assert_not_null(find_token(&query, TEXT_TOKEN_WORD, "管理"));
    cr_assert_null(find_token(&tokens, TEXT_TOKEN_WORD, "管理"));
    cr_assert_not_null(find_token(&tokens, TEXT_TOKEN_WORD, "管理者"));
    /* ... but its bigrams do. */
    cr_assert(bigram_phrase_occurs(&tokens, &query));

    token_list absent = tokens_of_string(analyser, "管理システム");
    cr_assert_not(bigram_phrase_occurs(&tokens, &absent), "a reordered string is not found");
    token_list_free(&absent);
    token_list_free(&query);
    token_list_free(&tokens);
    text_decoded_free(&text);
    text_analyser_free(analyser);
}

Test(cjk, every_occurrence_of_the_substring_is_found_at_its_offsets) {
    text_analyser *analyser = default_analyser();
    text_decoded text = fixture_decoded("ja.txt");
    token_list tokens = tokens_of(analyser, text.utf8, text.len, 1);
    size_t occurrences = 0;
    for (const char *p = text.utf8; (p = strstr(p, "ム管")) != NULL; p++) {
        size_t start = (size_t)(p - text.utf8);
        bool found = false;
        for (size_t i = 0; i < tokens.n && !found; i++)
            found = tokens.items[i].kind == TEXT_TOKEN_CJK_BIGRAM &&
                    tokens.items[i].start == start && tokens.items[i].end == start + 6 &&
                    strcmp(tokens.items[i].term, "ム管") == 0;
        cr_assert(found, "bigram at byte %zu", start);
        occurrences++;
    }
    cr_assert_eq(occurrences, 3);
    token_list_free(&tokens);
    text_decoded_free(&text);
    text_analyser_free(analyser);
}

Test(cjk, single_characters_are_unigrams_for_one_character_queries) {
    text_analyser *analyser = default_analyser();
    text_decoded text = fixture_decoded("zh.txt");
    token_list tokens = tokens_of(analyser, text.utf8, text.len, 1);
    const token_copy *shu = find_token(&tokens, TEXT_TOKEN_CJK_UNIGRAM, "馆");
    cr_assert_not_null(shu);
    cr_assert_eq(shu->end - shu->start, 3);
    cr_assert_eq(memcmp(text.utf8 + shu->start, "馆", 3), 0);
    token_list_free(&tokens);
    text_decoded_free(&text);
    text_analyser_free(analyser);
}

Test(cjk, bigrams_do_not_cross_punctuation_spaces_or_latin_words) {
    text_analyser *analyser = default_analyser();
    token_list tokens = tokens_of_string(analyser, "テスト。管理 本棚 abc 書類");
    cr_assert_null(find_token(&tokens, TEXT_TOKEN_CJK_BIGRAM, "ト管"));
    cr_assert_null(find_token(&tokens, TEXT_TOKEN_CJK_BIGRAM, "理本"));
    cr_assert_null(find_token(&tokens, TEXT_TOKEN_CJK_BIGRAM, "棚書"));
    const token_copy *kanri = find_token(&tokens, TEXT_TOKEN_CJK_BIGRAM, "管理");
    const token_copy *tesuto = find_token(&tokens, TEXT_TOKEN_CJK_BIGRAM, "スト");
    cr_assert_not_null(kanri);
    cr_assert_not_null(tesuto);
    cr_assert_gt(kanri->position, tesuto->position + 1, "a gap keeps them from a phrase");
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

Test(cjk, bigrams_and_unigrams_follow_their_word_and_count_from_one_per_call) {
    text_analyser *analyser = default_analyser();
    token_list tokens = tokens_of(analyser, "漢字", strlen("漢字"), 100);
    cr_assert_geq(tokens.n, 4);
    cr_assert_eq(tokens.items[0].kind, TEXT_TOKEN_WORD);
    cr_assert_eq(tokens.items[0].position, 100);
    uint32_t lowest = UINT32_MAX;
    for (size_t i = 1; i < tokens.n; i++) {
        cr_assert_neq(tokens.items[i].kind, TEXT_TOKEN_WORD);
        if (tokens.items[i].position < lowest) lowest = tokens.items[i].position;
    }
    cr_assert_eq(lowest, 1, "character positions count from 1 whatever FIRST_POSITION is");
    cr_assert_eq(tokens.next_position, 101, "n-grams use no word positions");
    token_list_free(&tokens);
    text_analyser_free(analyser);
}

Test(cjk, hangul_words_yield_bigrams) {
    text_analyser *analyser = default_analyser();
    token_list text = tokens_of_string(analyser, "도서관은 매일 문을 엽니다");
    token_list query = tokens_of_string(analyser, "도서관");
    cr_assert_null(find_token(&text, TEXT_TOKEN_WORD, "도서관"), "the word has its particle");
    cr_assert(bigram_phrase_occurs(&text, &query));
    token_list_free(&query);
    token_list_free(&text);
    text_analyser_free(analyser);
}

/* TEXT in Unicode normalisation form NFD, with ICU (caller frees). */
static char *to_nfd(const char *text, size_t len, size_t *out_len)
{
    UErrorCode error = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&error);
    int32_t n16 = 0;
    UChar *utf16 = malloc(2 * (len + 1) * sizeof *utf16);
    UChar *decomposed = malloc(8 * (len + 1) * sizeof *decomposed);
    cr_assert(utf16 && decomposed);
    u_strFromUTF8(utf16, (int32_t)(2 * (len + 1)), &n16, text, (int32_t)len, &error);
    int32_t nd = unorm2_normalize(nfd, utf16, n16, decomposed, (int32_t)(8 * (len + 1)), &error);
    char *out = malloc(4 * (size_t)nd + 1);
    cr_assert_not_null(out);
    int32_t n8 = 0;
    u_strToUTF8(out, 4 * nd + 1, &n8, decomposed, nd, &error);
    cr_assert(U_SUCCESS(error), "%s", u_errorName(error));
    free(utf16);
    free(decomposed);
    *out_len = (size_t)n8;
    return out;
}

Test(cjk, decomposed_kana_and_hangul_give_the_same_ngrams_as_composed) {
    text_analyser *analyser = default_analyser();
    static const char *const texts[] = {
        "ガス管の点検はデータベースの設定です。",
        "한국어 문서를 검색합니다",
    };
    for (size_t i = 0; i < 2; i++) {
        size_t nfd_len = 0;
        char *nfd = to_nfd(texts[i], strlen(texts[i]), &nfd_len);
        cr_assert_gt(nfd_len, strlen(texts[i]), "decomposition made it longer");
        token_list composed = tokens_of_string(analyser, texts[i]);
        token_list decomposed = tokens_of(analyser, nfd, nfd_len, 1);
        size_t a = 0, b = 0, compared = 0;
        for (;;) {
            while (a < composed.n && composed.items[a].kind == TEXT_TOKEN_WORD) a++;
            while (b < decomposed.n && decomposed.items[b].kind == TEXT_TOKEN_WORD) b++;
            if (a == composed.n || b == decomposed.n) break;
            const token_copy *x = &composed.items[a++], *y = &decomposed.items[b++];
            cr_assert_eq(x->kind, y->kind, "n-gram %zu of '%s'", compared, texts[i]);
            cr_assert_str_eq(x->term, y->term, "n-gram %zu of '%s'", compared, texts[i]);
            cr_assert_eq(x->position, y->position, "n-gram %zu '%s'", compared, x->term);
            compared++;
        }
        cr_assert_eq(a, composed.n, "'%s': as many n-grams in NFD", texts[i]);
        cr_assert_eq(b, decomposed.n, "'%s': as many n-grams in NFC", texts[i]);
        cr_assert_gt(compared, 10);
        cr_assert_not_null(find_token(&decomposed, TEXT_TOKEN_CJK_UNIGRAM,
                                      i == 0 ? "ガ" : "한"));
        token_list_free(&composed);
        token_list_free(&decomposed);
        free(nfd);
    }
    text_analyser_free(analyser);
}
