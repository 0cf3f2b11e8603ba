/* test_stemmer.c — Snowball stemmers by language name. */
#include <criterion/criterion.h>
#include <string.h>

#include "shim_fixture.h"

static const struct stem_case {
    const char *language, *word, *stem;
} stem_cases[] = {
    {"english", "abduction", "abduct"},
    {"english", "running", "run"},
    {"english", "ponies", "poni"},
    {"english", "", ""},
    {"french", "continuellement", "continuel"},
    {"french", "chevaux", "cheval"},
    {"none", "running", "running"},
    {"none", "chevaux", "chevaux"},
    {"german", "häuser", "haus"},
};

Test(stemmer, stems_words_as_snowball_does_for_each_language) {
    for (size_t i = 0; i < sizeof stem_cases / sizeof stem_cases[0]; i++) {
        const struct stem_case *c = &stem_cases[i];
        shim_stemmer *stemmer = NULL;
        cr_assert_eq(shim_stemmer_new(c->language, &stemmer), SHIM_OK, "%s", c->language);
        char out[64];
        size_t len = 0;
        cr_assert_eq(shim_stemmer_stem(stemmer, c->word, strlen(c->word), out, sizeof out, &len),
                     SHIM_OK);
        cr_assert_str_eq(out, c->stem, "%s %s", c->language, c->word);
        cr_assert_eq(len, strlen(c->stem));
        shim_stemmer_free(stemmer);
    }
}

Test(stemmer, unknown_language_is_an_invalid_argument) {
    shim_stemmer *stemmer = (shim_stemmer *)1;
    cr_assert_eq(shim_stemmer_new("klingon", &stemmer), SHIM_INVALID_ARGUMENT);
    cr_assert_null(stemmer);
}

Test(stemmer, too_small_buffer_reports_the_length_needed) {
    shim_stemmer *stemmer = NULL;
    cr_assert_eq(shim_stemmer_new("english", &stemmer), SHIM_OK);
    char out[4];
    size_t len = 0;
    cr_assert_eq(shim_stemmer_stem(stemmer, "abduction", 9, out, sizeof out, &len),
                 SHIM_INVALID_ARGUMENT);
    cr_assert_eq(len, 6); /* "abduct" */
    char fits[7];
    cr_assert_eq(shim_stemmer_stem(stemmer, "abduction", 9, fits, sizeof fits, &len), SHIM_OK);
    cr_assert_str_eq(fits, "abduct");
    shim_stemmer_free(stemmer);
}

Test(stemmer, word_without_nul_terminator_is_read_by_length) {
    shim_stemmer *stemmer = NULL;
    cr_assert_eq(shim_stemmer_new("english", &stemmer), SHIM_OK);
    char out[32];
    size_t len = 0;
    /* Only "jumping" of "jumpingXYZ". */
    cr_assert_eq(shim_stemmer_stem(stemmer, "jumpingXYZ", 7, out, sizeof out, &len), SHIM_OK);
    cr_assert_str_eq(out, "jump");
    shim_stemmer_free(stemmer);
}

Test(stemmer, language_list_names_english_french_and_german) {
    const char *languages = shim_stemmer_languages();
    cr_assert_not_null(strstr(languages, "english"));
    cr_assert_not_null(strstr(languages, "french"));
    cr_assert_not_null(strstr(languages, "german"));
}

Test(stemmer, every_listed_language_opens) {
    char list[1024];
    strncpy(list, shim_stemmer_languages(), sizeof list - 1);
    list[sizeof list - 1] = '\0';
    size_t opened = 0;
    for (char *save = NULL, *name = strtok_r(list, " ", &save); name;
         name = strtok_r(NULL, " ", &save)) {
        shim_stemmer *stemmer = NULL;
        cr_assert_eq(shim_stemmer_new(name, &stemmer), SHIM_OK, "%s", name);
        shim_stemmer_free(stemmer);
        opened++;
    }
    cr_assert_gt(opened, 10);
}
