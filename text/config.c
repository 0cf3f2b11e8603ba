/* config.c — the analyser configuration: defaults, validation, and the
 * one-line form stored in the database so that both binaries analyse alike.
 */
#include "text/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim/shim.h"

/* Passage bounds, in words. Measured with bench/eval.sh on Cranfield (225
 * queries; about 0.01 MAP is noise) and by splitting the kdoc corpus:
 *
 *   bounds     MAP     nDCG@10  kdoc passages  words/passage
 *   20-60      0.2755  0.3439   147,105        35
 *   40-150     0.3007  0.3719    81,395        63
 *   60-300     0.2985  0.3688    59,353        87
 *   150-1000   0.2988  0.3657    28,669       180
 *
 * Relevance falls when passages shrink to a couple of sentences and is flat
 * from about 40 words up. 60-300 is on that plateau with 27% fewer Xapian
 * documents than 40-150 (documents are the writer's main cost), and a passage
 * averages some 90 words, about a screenful, so the best paragraph of a long
 * file still wins on its own and its snippet stays local. An experiment build
 * may override the defaults with -D. */
#ifndef TEXT_DEFAULT_PASSAGE_MIN_WORDS
#define TEXT_DEFAULT_PASSAGE_MIN_WORDS 60
#endif
#ifndef TEXT_DEFAULT_PASSAGE_MAX_WORDS
#define TEXT_DEFAULT_PASSAGE_MAX_WORDS 300
#endif

/* No passage bound above this: it would make one passage of a whole book. */
enum { PASSAGE_WORDS_LIMIT = 100000 };

/* The serialised form's version. Bump it when what the analyser produces for
 * the same configuration changes, so an old database is recognised. */
#define CONFIG_VERSION "v1"

const char *text_status_string(text_status status)
{
    switch (status) {
    case TEXT_OK: return "success";
    case TEXT_NO_MEMORY: return "out of memory";
    case TEXT_INVALID_ARGUMENT: return "invalid argument";
    case TEXT_ICU_ERROR: return "ICU error (missing or broken ICU data)";
    case TEXT_STOPPED: return "stopped by the caller";
    }
    return "unknown status";
}

void text_config_default(text_config *config)
{
    memset(config, 0, sizeof *config);
    strcpy(config->language, "english");
    config->fold_accents = true;
    config->passage_min_words = TEXT_DEFAULT_PASSAGE_MIN_WORDS;
    config->passage_max_words = TEXT_DEFAULT_PASSAGE_MAX_WORDS;
}

/* Set *message (if wanted) to a formatted description; returns STATUS. */
static text_status fail(char **message, text_status status, const char *format,
                        const char *detail)
{
    if (message) {
        int size = snprintf(NULL, 0, format, detail);
        *message = size < 0 ? NULL : malloc((size_t)size + 1);
        if (*message) snprintf(*message, (size_t)size + 1, format, detail);
    }
    return status;
}

/* A language name is a short word: it goes into a space-separated line. */
static bool is_plain_name(const char *name)
{
    if (!name[0]) return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return false;
    return true;
}

static text_status validate_language(const char *language, char **message)
{
    if (!memchr(language, '\0', TEXT_LANGUAGE_MAX) || !is_plain_name(language))
        return fail(message, TEXT_INVALID_ARGUMENT, "invalid stemming language name%s", "");
    if (strcmp(language, "none") == 0) return TEXT_OK;
    shim_stemmer *stemmer = NULL;
    shim_status status = shim_stemmer_new(language, &stemmer);
    shim_stemmer_free(stemmer);
    if (status == SHIM_NO_MEMORY) return TEXT_NO_MEMORY;
    if (status == SHIM_OK) return TEXT_OK;
    char detail[512];
    snprintf(detail, sizeof detail, "'%s' (known: none %s)", language, shim_stemmer_languages());
    return fail(message, TEXT_INVALID_ARGUMENT, "unknown stemming language %s", detail);
}

text_status text_config_validate(const text_config *config, char **message)
{
    if (message) *message = NULL;
    text_status status = validate_language(config->language, message);
    if (status != TEXT_OK) return status;
    if (config->passage_min_words < 1 || config->passage_max_words < config->passage_min_words ||
        config->passage_max_words > PASSAGE_WORDS_LIMIT)
        return fail(message, TEXT_INVALID_ARGUMENT,
                    "passage bounds must satisfy 1 <= min <= max <= %s words", "100000");
    return TEXT_OK;
}

char *text_config_serialise(const text_config *config)
{
    char buffer[96 + TEXT_LANGUAGE_MAX];
    int n = snprintf(buffer, sizeof buffer,
                     CONFIG_VERSION " language=%.*s accents=%s passage=%u-%u",
                     TEXT_LANGUAGE_MAX - 1, config->language,
                     config->fold_accents ? "fold" : "keep",
                     (unsigned)config->passage_min_words, (unsigned)config->passage_max_words);
    if (n < 0 || (size_t)n >= sizeof buffer) return NULL;
    return strdup(buffer);
}

/* The keys of the serialised form; each must appear exactly once. */
enum { KEY_LANGUAGE = 1, KEY_ACCENTS = 2, KEY_PASSAGE = 4, ALL_KEYS = 7 };

/* A decimal number of at most 9 digits spanning [S, END). */
static bool parse_count(const char *s, const char *end, uint32_t *value)
{
    if (s == end || end - s > 9) return false;
    uint32_t v = 0;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9') return false;
        v = v * 10 + (uint32_t)(*s - '0');
    }
    *value = v;
    return true;
}

/* Apply one "key=value" item to CONFIG; returns the key's bit, 0 if the item
 * is not understood. */
static unsigned parse_item(const char *item, text_config *config)
{
    if (strncmp(item, "language=", 9) == 0) {
        size_t n = strlen(item + 9);
        if (n == 0 || n >= TEXT_LANGUAGE_MAX) return 0;
        memcpy(config->language, item + 9, n + 1);
        return KEY_LANGUAGE;
    }
    if (strcmp(item, "accents=fold") == 0 || strcmp(item, "accents=keep") == 0) {
        config->fold_accents = item[8] == 'f';
        return KEY_ACCENTS;
    }
    if (strncmp(item, "passage=", 8) == 0) {
        const char *dash = strchr(item + 8, '-');
        if (!dash || !parse_count(item + 8, dash, &config->passage_min_words) ||
            !parse_count(dash + 1, dash + 1 + strlen(dash + 1), &config->passage_max_words))
            return 0;
        return KEY_PASSAGE;
    }
    return 0;
}

/* Parse the items after the version into CONFIG. */
static text_status parse_items(char *items, text_config *config, char **message)
{
    unsigned seen = 0;
    char *saveptr = NULL;
    for (char *item = strtok_r(items, " \t\r\n", &saveptr); item;
         item = strtok_r(NULL, " \t\r\n", &saveptr)) {
        unsigned key = parse_item(item, config);
        if (key == 0 || (seen & key))
            return fail(message, TEXT_INVALID_ARGUMENT,
                        key ? "analyser configuration item '%s' given twice"
                            : "unknown analyser configuration item '%s'", item);
        seen |= key;
    }
    if (seen != ALL_KEYS)
        return fail(message, TEXT_INVALID_ARGUMENT, "incomplete analyser configuration%s", "");
    return TEXT_OK;
}

text_status text_config_parse(const char *serialised, size_t len, text_config *config,
                              char **message)
{
    if (message) *message = NULL;
    if (memchr(serialised, '\0', len))
        return fail(message, TEXT_INVALID_ARGUMENT, "malformed analyser configuration%s", "");
    char *copy = malloc(len + 1);
    if (!copy) return TEXT_NO_MEMORY;
    memcpy(copy, serialised, len);
    copy[len] = '\0';

    text_config parsed;
    memset(&parsed, 0, sizeof parsed);
    text_status status;
    char *saveptr = NULL;
    char *version = strtok_r(copy, " \t\r\n", &saveptr);
    if (!version || strcmp(version, CONFIG_VERSION) != 0)
        status = fail(message, TEXT_INVALID_ARGUMENT,
                      "unknown analyser configuration version '%s' (this kensaku reads "
                      CONFIG_VERSION ")", version ? version : "");
    else
        status = parse_items(saveptr, &parsed, message);
    free(copy);
    if (status == TEXT_OK) status = text_config_validate(&parsed, message);
    if (status == TEXT_OK) *config = parsed;
    return status;
}
