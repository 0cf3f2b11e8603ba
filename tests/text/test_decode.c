/* test_decode.c — bytes of unknown encoding in, valid UTF-8 out: validation,
 * repair of invalid sequences, BOMs, and conversion of UTF-16, Shift_JIS,
 * EUC-JP, GB18030 and Latin-1 files (made from the UTF-8 fixtures with iconv). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_fixture.h"

/* Decode LEN bytes, failing the test unless text_decode succeeds. */
static text_decoded decode(const char *bytes, size_t len)
{
    text_decoded decoded;
    cr_assert_eq(text_decode(bytes, len, &decoded), TEXT_OK);
    cr_assert_not_null(decoded.utf8);
    cr_assert_eq(decoded.utf8[decoded.len], '\0', "NUL-terminated");
    cr_assert(text_is_valid_utf8(decoded.utf8, decoded.len), "output is valid UTF-8");
    return decoded;
}

static const struct validity_case {
    const char *bytes;
    size_t len;
    bool valid;
    const char *what;
} validity_cases[] = {
    {"", 0, true, "empty"},
    {"plain ASCII", 11, true, "ASCII"},
    {"\xC3\xA9\xE3\x81\x82\xF0\x9F\x98\x80", 9, true, "2, 3 and 4 byte sequences"},
    {"\xF4\x8F\xBF\xBF", 4, true, "U+10FFFF"},
    {"a\0b", 3, true, "NUL is a character"},
    {"\xFF", 1, false, "0xFF never occurs"},
    {"\x80", 1, false, "lone continuation byte"},
    {"\xC0\xAF", 2, false, "overlong '/'"},
    {"\xE0\x80\xAF", 3, false, "overlong 3-byte"},
    {"\xF0\x80\x80\xAF", 4, false, "overlong 4-byte"},
    {"\xED\xA0\x80", 3, false, "UTF-16 surrogate"},
    {"\xF4\x90\x80\x80", 4, false, "past U+10FFFF"},
    {"\xE3\x81", 2, false, "truncated at the end"},
    {"\xE3\x81z", 3, false, "truncated before ASCII"},
};

Test(decode, validator_accepts_utf8_and_rejects_overlong_surrogate_and_truncated_forms) {
    for (size_t i = 0; i < sizeof validity_cases / sizeof validity_cases[0]; i++) {
        const struct validity_case *c = &validity_cases[i];
        cr_assert_eq(text_is_valid_utf8(c->bytes, c->len), c->valid, "%s", c->what);
    }
}

Test(decode, valid_utf8_is_copied_unchanged) {
    size_t len = 0;
    char *bytes = fixture_read("ja.txt", &len);
    text_decoded decoded = decode(bytes, len);
    cr_assert_str_eq(decoded.charset, "UTF-8");
    cr_assert_eq(decoded.replaced, 0);
    cr_assert_not(decoded.had_bom);
    cr_assert_eq(decoded.len, len);
    cr_assert_eq(memcmp(decoded.utf8, bytes, len), 0);
    text_decoded_free(&decoded);
    free(bytes);
}

Test(decode, empty_input_gives_an_empty_string) {
    text_decoded decoded = decode("", 0);
    cr_assert_eq(decoded.len, 0);
    cr_assert_str_eq(decoded.charset, "UTF-8");
    text_decoded_free(&decoded);
}

Test(decode, utf8_byte_order_mark_is_dropped) {
    const char bytes[] = "\xEF\xBB\xBFword";
    text_decoded decoded = decode(bytes, sizeof bytes - 1);
    cr_assert(decoded.had_bom);
    cr_assert_str_eq(decoded.utf8, "word");
    cr_assert_str_eq(decoded.charset, "UTF-8");
    text_decoded_free(&decoded);
}

/* Damaged UTF-8 looks like UTF-8 around the damage: these cases carry enough
 * valid accented letters to be told from a Latin-1 text. */
#define DAMAGED "Noël à Zürich – “déjà vu” für André: "
static const struct repair_case {
    const char *bytes;
    const char *expected;
    size_t replaced;
} repair_cases[] = {
    {DAMAGED "the stray byte \xFF stands alone.",
     DAMAGED "the stray byte \xEF\xBF\xBD stands alone.", 1},
    {DAMAGED "a truncated kana \xE3\x81 is one replacement, not two.",
     DAMAGED "a truncated kana \xEF\xBF\xBD is one replacement, not two.", 1},
    {DAMAGED "an overlong slash \xC0\xAF and a surrogate \xED\xA0\x80 make two.",
     DAMAGED "an overlong slash \xEF\xBF\xBD and a surrogate \xEF\xBF\xBD make two.", 2},
    {DAMAGED "the text ends in the middle of a character \xF0\x9F\x98",
     DAMAGED "the text ends in the middle of a character \xEF\xBF\xBD", 1},
    {DAMAGED "stray continuation bytes \x80\x80 are one run.",
     DAMAGED "stray continuation bytes \xEF\xBF\xBD are one run.", 1},
};

Test(decode, invalid_sequences_become_replacement_characters_and_are_counted) {
    for (size_t i = 0; i < sizeof repair_cases / sizeof repair_cases[0]; i++) {
        const struct repair_case *c = &repair_cases[i];
        text_decoded decoded = decode(c->bytes, strlen(c->bytes));
        cr_assert_str_eq(decoded.charset, "UTF-8", "case %zu", i);
        cr_assert_str_eq(decoded.utf8, c->expected, "case %zu", i);
        cr_assert_eq(decoded.replaced, c->replaced, "case %zu", i);
        text_decoded_free(&decoded);
    }
}

Test(decode, invalid_fixture_is_repaired_and_its_words_survive) {
    text_decoded decoded = fixture_decoded("invalid.txt");
    cr_assert_str_eq(decoded.charset, "UTF-8");
    cr_assert_eq(decoded.replaced, 2);
    cr_assert_not_null(strstr(decoded.utf8, "stray byte \xEF\xBF\xBD in the middle"));
    cr_assert_not_null(strstr(decoded.utf8, "cut sequence \xEF\xBF\xBD here"));
    text_analyser *analyser = default_analyser();
    token_list tokens = tokens_of(analyser, decoded.utf8, decoded.len, 1);
    char *terms = word_terms(&tokens);
    cr_assert_str_eq(terms, "resume of the cafe meeting naive questions quoted words facade and "
                            "senor then a stray byte in the middle a cut sequence here and clean "
                            "text until the end");
    free(terms);
    token_list_free(&tokens);
    text_analyser_free(analyser);
    text_decoded_free(&decoded);
}

Test(decode, japanese_utf8_with_one_bad_byte_stays_utf8) {
    size_t len = 0;
    char *bytes = fixture_read("ja.txt", &len);
    /* Overwrite the first byte of a character in the middle of the text. */
    size_t middle = len / 2;
    while (((unsigned char)bytes[middle] & 0xC0) == 0x80) middle++;
    bytes[middle] = (char)0xFF;
    text_decoded decoded = decode(bytes, len);
    cr_assert_str_eq(decoded.charset, "UTF-8", "not taken for %s", decoded.charset);
    cr_assert_eq(decoded.replaced, 1);
    cr_assert_not_null(strstr(decoded.utf8, "システム管理者"));
    text_decoded_free(&decoded);
    free(bytes);
}

/* Convert the fixture NAME from UTF-8 to CHARSET, prefix PREFIX (a BOM), decode it
 * and check it comes back as the fixture's own UTF-8 text. Returns the charset
 * text_decode reported (static buffer). */
static const char *round_trip(const char *name, const char *charset, const char *prefix,
                              size_t prefix_len, bool expect_bom)
{
    static char reported[TEXT_CHARSET_MAX];
    size_t len = 0, converted_len = 0;
    char *utf8 = fixture_read(name, &len);
    char *converted = iconv_bytes(charset, "UTF-8", utf8, len, &converted_len);
    char *bytes = malloc(prefix_len + converted_len);
    cr_assert_not_null(bytes);
    memcpy(bytes, prefix, prefix_len);
    memcpy(bytes + prefix_len, converted, converted_len);
    cr_assert(!text_is_valid_utf8(bytes, prefix_len + converted_len),
              "%s as %s is not UTF-8 already", name, charset);

    text_decoded decoded = decode(bytes, prefix_len + converted_len);
    cr_assert_eq(decoded.had_bom, expect_bom, "%s", charset);
    cr_assert_eq(decoded.len, len, "%s: %zu bytes instead of %zu", charset, decoded.len, len);
    cr_assert_eq(memcmp(decoded.utf8, utf8, len), 0, "%s: text differs", charset);
    cr_assert_eq(decoded.replaced, 0);
    snprintf(reported, sizeof reported, "%s", decoded.charset);
    text_decoded_free(&decoded);
    free(bytes);
    free(converted);
    free(utf8);
    return reported;
}

Test(decode, utf16le_file_with_bom_is_converted) {
    const char *charset = round_trip("ja.txt", "UTF-16LE", "\xFF\xFE", 2, true);
    cr_assert_str_eq(charset, "UTF-16LE");
    charset = round_trip("en.txt", "UTF-16LE", "\xFF\xFE", 2, true);
    cr_assert_str_eq(charset, "UTF-16LE");
}

Test(decode, utf16be_and_utf32le_files_with_bom_are_converted) {
    cr_assert_str_eq(round_trip("fr.txt", "UTF-16BE", "\xFE\xFF", 2, true), "UTF-16BE");
    cr_assert_str_eq(round_trip("ko.txt", "UTF-32LE", "\xFF\xFE\0\0", 4, true), "UTF-32LE");
}

Test(decode, shift_jis_file_is_detected_and_converted) {
    cr_assert_str_eq(round_trip("ja.txt", "SHIFT_JIS", "", 0, false), "Shift_JIS");
}

Test(decode, shift_jis_file_analyses_like_its_utf8_original) {
    size_t len = 0, sjis_len = 0;
    char *utf8 = fixture_read("ja.txt", &len);
    char *sjis = iconv_bytes("SHIFT_JIS", "UTF-8", utf8, len, &sjis_len);
    text_decoded decoded = decode(sjis, sjis_len);
    text_analyser *analyser = default_analyser();
    token_list original = tokens_of(analyser, utf8, len, 1);
    token_list converted = tokens_of(analyser, decoded.utf8, decoded.len, 1);
    cr_assert_eq(original.n, converted.n);
    for (size_t i = 0; i < original.n; i++) {
        cr_assert_str_eq(original.items[i].term, converted.items[i].term);
        cr_assert_eq(original.items[i].position, converted.items[i].position);
        cr_assert_eq(original.items[i].start, converted.items[i].start);
    }
    token_list_free(&original);
    token_list_free(&converted);
    text_analyser_free(analyser);
    text_decoded_free(&decoded);
    free(sjis);
    free(utf8);
}

Test(decode, euc_jp_file_is_detected_and_converted) {
    cr_assert_str_eq(round_trip("ja.txt", "EUC-JP", "", 0, false), "EUC-JP");
}

Test(decode, gb18030_file_is_detected_and_converted) {
    cr_assert_str_eq(round_trip("zh.txt", "GB18030", "", 0, false), "GB18030");
}

Test(decode, latin1_and_windows_1252_files_are_detected_and_converted) {
    /* ICU names Latin-1 text that uses 0x80-0x9F (’ is 0x92) windows-1252. */
    const char *charset = round_trip("de.txt", "ISO-8859-1", "", 0, false);
    cr_assert(strcmp(charset, "ISO-8859-1") == 0 || strcmp(charset, "windows-1252") == 0,
              "detected as %s", charset);
    charset = round_trip("fr.txt", "WINDOWS-1252", "", 0, false);
    cr_assert_str_eq(charset, "windows-1252");
}

Test(decode, byte_order_mark_alone_gives_an_empty_text) {
    const char *boms[] = {"\xEF\xBB\xBF", "\xFF\xFE", "\xFE\xFF"};
    const size_t lens[] = {3, 2, 2};
    for (size_t i = 0; i < 3; i++) {
        text_decoded decoded = decode(boms[i], lens[i]);
        cr_assert(decoded.had_bom, "BOM %zu", i);
        cr_assert_eq(decoded.len, 0, "BOM %zu", i);
        text_decoded_free(&decoded);
    }
}

Test(decode, utf16_with_a_lone_surrogate_or_odd_length_is_repaired_and_counted) {
    /* BOM, "ab", an unpaired high surrogate, "c", then half a code unit. */
    const char bytes[] = "\xFF\xFE" "a\0b\0" "\x3D\xD8" "c\0" "d";
    text_decoded decoded = decode(bytes, sizeof bytes - 1);
    cr_assert_str_eq(decoded.charset, "UTF-16LE");
    cr_assert_not_null(strstr(decoded.utf8, "ab"));
    cr_assert_not_null(strstr(decoded.utf8, "\xEF\xBF\xBD"), "replacement in '%s'",
                       decoded.utf8);
    cr_assert_geq(decoded.replaced, 2, "both faults counted, got %zu", decoded.replaced);
    text_decoded_free(&decoded);
}

Test(decode, free_is_null_safe_and_clears_the_result) {
    text_decoded_free(NULL);
    text_decoded decoded = decode("abc", 3);
    text_decoded_free(&decoded);
    cr_assert_null(decoded.utf8);
    cr_assert_eq(decoded.len, 0);
    text_decoded_free(&decoded);
}
