/* test_heuristics.c — the judgement calls: when bytes that are not valid
 * UTF-8 are taken for another charset and when for damaged UTF-8, and what
 * the stemmers of different languages make of an English possessive. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_fixture.h"

/* COPIES copies of PIECE (LEN bytes) back to back, with the byte BAD
 * inserted before copy I for every I in BAD_AT (sorted, ending with -1). */
static char *repeat_with_bad_bytes(const char *piece, size_t len, int copies, unsigned char bad,
                                   const int *bad_at, size_t *out_len)
{
    char *out = malloc((size_t)copies * (len + 1) + 1);
    cr_assert_not_null(out);
    size_t n = 0;
    for (int i = 0; i < copies; i++) {
        if (*bad_at == i) {
            out[n++] = (char)bad;
            bad_at++;
        }
        memcpy(out + n, piece, len);
        n += len;
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}

Test(heuristics, utf8_with_a_dozen_bad_bytes_stays_utf8_when_good_characters_dominate) {
    /* More than a few invalid bytes, but far more valid multi-byte characters:
     * damaged UTF-8, not Shift_JIS or anything else. */
    static const char piece[] = "日本語の文章です。";
    static const int bad_at[] = {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, -1};
    size_t len = 0;
    char *bytes = repeat_with_bad_bytes(piece, strlen(piece), 30, 0xFF, bad_at, &len);
    text_decoded decoded;
    cr_assert_eq(text_decode(bytes, len, &decoded), TEXT_OK);
    cr_assert_str_eq(decoded.charset, "UTF-8");
    cr_assert_eq(decoded.replaced, 12);
    cr_assert(text_is_valid_utf8(decoded.utf8, decoded.len));
    cr_assert_not_null(strstr(decoded.utf8, "日本語の文章です。\xEF\xBF\xBD日本語"));
    text_decoded_free(&decoded);
    free(bytes);
}

Test(heuristics, a_few_bad_bytes_in_long_ascii_text_are_replaced_not_reinterpreted) {
    /* Two stray bytes in 2,300: under both thresholds (8 sequences, 1%). */
    static const char piece[] = "plain ascii words here ";
    static const int bad_at[] = {20, 40, -1};
    size_t len = 0;
    char *bytes = repeat_with_bad_bytes(piece, strlen(piece), 100, 0xE9, bad_at, &len);
    text_decoded decoded;
    cr_assert_eq(text_decode(bytes, len, &decoded), TEXT_OK);
    cr_assert_str_eq(decoded.charset, "UTF-8");
    cr_assert_eq(decoded.replaced, 2);
    cr_assert_eq(decoded.len, len - 2 + 2 * 3);
    text_decoded_free(&decoded);
    free(bytes);
}

Test(heuristics, many_accented_bytes_without_valid_utf8_are_read_as_latin1) {
    static const char sentence[] = "Le café de la gare ouvre à sept heures, même le dimanche. ";
    char utf8[sizeof sentence * 20];
    utf8[0] = '\0';
    for (int i = 0; i < 20; i++) strcat(utf8, sentence);
    size_t latin1_len = 0;
    char *latin1 = iconv_bytes("ISO-8859-1", "UTF-8", utf8, strlen(utf8), &latin1_len);
    text_decoded decoded;
    cr_assert_eq(text_decode(latin1, latin1_len, &decoded), TEXT_OK);
    cr_assert_str_neq(decoded.charset, "UTF-8");
    cr_assert_eq(decoded.replaced, 0);
    cr_assert_str_eq(decoded.utf8, utf8);
    text_decoded_free(&decoded);
    free(latin1);
}

Test(heuristics, a_utf8_byte_order_mark_rules_out_another_charset) {
    /* The same Latin-1 bytes after a UTF-8 BOM: the text says it is UTF-8, so
     * the accents are replaced, not reinterpreted. */
    static const char sentence[] = "Le café de la gare, même le dimanche. ";
    char utf8[sizeof sentence * 10];
    utf8[0] = '\0';
    for (int i = 0; i < 10; i++) strcat(utf8, sentence);
    size_t latin1_len = 0;
    char *latin1 = iconv_bytes("ISO-8859-1", "UTF-8", utf8, strlen(utf8), &latin1_len);
    char *bytes = malloc(latin1_len + 3);
    cr_assert_not_null(bytes);
    memcpy(bytes, "\xEF\xBB\xBF", 3);
    memcpy(bytes + 3, latin1, latin1_len);
    text_decoded decoded;
    cr_assert_eq(text_decode(bytes, latin1_len + 3, &decoded), TEXT_OK);
    cr_assert_str_eq(decoded.charset, "UTF-8");
    cr_assert(decoded.had_bom);
    cr_assert_eq(decoded.replaced, 20);
    cr_assert(text_is_valid_utf8(decoded.utf8, decoded.len));
    text_decoded_free(&decoded);
    free(bytes);
    free(latin1);
}

Test(heuristics, possessive_s_stems_to_the_bare_name_in_english_only) {
    /* The query side searches stems: in English "Kishida’s" is found by
     * "kishida"; other stemmers leave the apostrophe, and then only the exact
     * form (or a prefix query) finds it. */
    static const struct {
        const char *language;
        const char *stem;
    } cases[] = {
        {"english", "kishida"},
        {"french", "kishida'"},
        {"german", "kishida's"},
        {"none", "kishida's"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        text_analyser *analyser = analyser_with(cases[i].language, true, 60, 300);
        token_list tokens = tokens_of_string(analyser, "Kishida’s");
        cr_assert_eq(tokens.n, 1, "%s", cases[i].language);
        cr_assert_str_eq(tokens.items[0].term, "kishida's", "%s", cases[i].language);
        cr_assert_str_eq(tokens.items[0].stem, cases[i].stem, "%s", cases[i].language);
        token_list_free(&tokens);
        text_analyser_free(analyser);
    }
}
