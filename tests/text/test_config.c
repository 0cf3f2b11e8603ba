/* test_config.c — the analyser configuration: defaults, validation, and the
 * serialised form the indexer stores and the query tool reads back. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "text/config.h"

Test(config, default_is_english_with_accents_folded_and_valid_bounds) {
    text_config config;
    text_config_default(&config);
    cr_assert_str_eq(config.language, "english");
    cr_assert(config.fold_accents);
    cr_assert_geq(config.passage_min_words, 1);
    cr_assert_geq(config.passage_max_words, config.passage_min_words);
    char *message = NULL;
    cr_assert_eq(text_config_validate(&config, &message), TEXT_OK);
    cr_assert_null(message);
}

static const struct round_trip_case {
    const char *language;
    bool fold_accents;
    uint32_t min_words, max_words;
} round_trip_cases[] = {
    {"english", true, 60, 300},
    {"none", false, 1, 1},
    {"french", true, 10, 1000},
    {"german", false, 200, 200},
    {"russian", true, 1, 100000},
};

Test(config, serialise_then_parse_gives_back_the_same_configuration) {
    for (size_t i = 0; i < sizeof round_trip_cases / sizeof round_trip_cases[0]; i++) {
        const struct round_trip_case *c = &round_trip_cases[i];
        text_config config;
        text_config_default(&config);
        strcpy(config.language, c->language);
        config.fold_accents = c->fold_accents;
        config.passage_min_words = c->min_words;
        config.passage_max_words = c->max_words;
        char *serialised = text_config_serialise(&config);
        cr_assert_not_null(serialised);
        cr_assert_eq(strncmp(serialised, "v1 ", 3), 0, "versioned: %s", serialised);
        cr_assert_null(strchr(serialised, '\n'), "one line: %s", serialised);

        text_config parsed;
        memset(&parsed, 0xAB, sizeof parsed);
        char *message = NULL;
        cr_assert_eq(text_config_parse(serialised, strlen(serialised), &parsed, &message),
                     TEXT_OK, "%s: %s", serialised, message ? message : "");
        cr_assert_str_eq(parsed.language, c->language);
        cr_assert_eq(parsed.fold_accents, c->fold_accents, "%s", serialised);
        cr_assert_eq(parsed.passage_min_words, c->min_words, "%s", serialised);
        cr_assert_eq(parsed.passage_max_words, c->max_words, "%s", serialised);
        free(serialised);
    }
}

Test(config, parse_reads_only_len_bytes) {
    const char *stored = "v1 language=french accents=keep passage=5-50GARBAGE";
    text_config parsed;
    cr_assert_eq(text_config_parse(stored, strlen(stored) - strlen("GARBAGE"), &parsed, NULL),
                 TEXT_OK);
    cr_assert_str_eq(parsed.language, "french");
    cr_assert_not(parsed.fold_accents);
    cr_assert_eq(parsed.passage_min_words, 5);
    cr_assert_eq(parsed.passage_max_words, 50);
}

/* Every line is complete but for one fault, which the message must name. */
static const struct bad_case {
    const char *serialised;
    const char *why; /* a word the message must contain (NULL: any message) */
} bad_cases[] = {
    {"", NULL},
    {"v2 language=english accents=fold passage=60-300", "v2"},
    {"V1 language=english accents=fold passage=60-300", "V1"},
    {"language=english v1 accents=fold passage=60-300", NULL},
    {"v1 language=klingon accents=fold passage=60-300", "klingon"},
    {"v1 language= accents=fold passage=60-300", "language"},
    {"v1 language=english accents=fold passage=60-300 colour=blue", "colour"},
    {"v1 language=english accents=maybe passage=60-300", "accents"},
    {"v1 language=english accents=fold passage=300-60", "passage"},
    {"v1 language=english accents=fold passage=0-10", "passage"},
    {"v1 language=english accents=fold passage=10", "passage"},
    {"v1 language=english accents=fold passage=10-20x", "passage"},
    {"v1 language=english accents=fold passage=-5-10", "passage"},
    {"v1 language=english accents=fold passage=5--1", "passage"},
    {"v1 language=english accents=fold passage=+5-10", "passage"},
    {"v1 language=english accents=fold passage=99999999999-99999999999", "passage"},
    {"v1 language=englishenglishenglishenglishenglish accents=fold passage=60-300", NULL},
    {"v1 language=english accents=fold", NULL},
    {"v1 language=english language=french accents=fold passage=60-300", NULL},
};

Test(config, parse_rejects_unknown_versions_items_languages_and_bounds) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *c = &bad_cases[i];
        text_config parsed;
        text_config_default(&parsed);
        strcpy(parsed.language, "untouched");
        char *message = NULL;
        cr_assert_eq(text_config_parse(c->serialised, strlen(c->serialised), &parsed, &message),
                     TEXT_INVALID_ARGUMENT, "accepted '%s'", c->serialised);
        cr_assert_not_null(message, "no message for '%s'", c->serialised);
        if (c->why)
            cr_assert_not_null(strstr(message, c->why), "'%s' gave '%s'", c->serialised,
                               message);
        cr_assert_str_eq(parsed.language, "untouched", "output left alone on failure");
        free(message);
        /* The message is optional. */
        cr_assert_eq(text_config_parse(c->serialised, strlen(c->serialised), &parsed, NULL),
                     TEXT_INVALID_ARGUMENT);
    }
}

Test(config, validate_rejects_an_unknown_language_and_names_it) {
    text_config config;
    text_config_default(&config);
    strcpy(config.language, "elvish");
    char *message = NULL;
    cr_assert_eq(text_config_validate(&config, &message), TEXT_INVALID_ARGUMENT);
    cr_assert_not_null(strstr(message, "elvish"), "%s", message);
    free(message);
}

Test(config, validate_rejects_inverted_or_zero_passage_bounds) {
    const uint32_t bounds[][2] = {{0, 0}, {0, 10}, {11, 10}};
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
        text_config config;
        text_config_default(&config);
        config.passage_min_words = bounds[i][0];
        config.passage_max_words = bounds[i][1];
        char *message = NULL;
        cr_assert_eq(text_config_validate(&config, &message), TEXT_INVALID_ARGUMENT,
                     "%u-%u", bounds[i][0], bounds[i][1]);
        cr_assert_not_null(message);
        free(message);
    }
}

Test(config, validate_rejects_a_language_name_without_terminator) {
    text_config config;
    text_config_default(&config);
    memset(config.language, 'a', sizeof config.language);
    cr_assert_eq(text_config_validate(&config, NULL), TEXT_INVALID_ARGUMENT);
}

Test(config, language_none_is_valid_and_means_no_stemming) {
    text_config config;
    text_config_default(&config);
    strcpy(config.language, "none");
    cr_assert_eq(text_config_validate(&config, NULL), TEXT_OK);
}

Test(config, every_status_has_its_own_description) {
    const text_status statuses[] = {TEXT_OK, TEXT_NO_MEMORY, TEXT_INVALID_ARGUMENT,
                                    TEXT_ICU_ERROR, TEXT_STOPPED};
    size_t n = sizeof statuses / sizeof statuses[0];
    for (size_t i = 0; i < n; i++) {
        const char *description = text_status_string(statuses[i]);
        cr_assert(description && description[0]);
        for (size_t j = 0; j < i; j++)
            cr_assert_str_neq(description, text_status_string(statuses[j]));
    }
}
