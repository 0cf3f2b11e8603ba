/* config.h — the analyser configuration shared by indexing and querying.
 *
 * Language, accent folding and passage bounds form one configuration. The
 * indexer stores it in the database metadata (text_config_serialise) and the
 * query tool reads it back (text_config_parse), so both sides analyse alike.
 */
#ifndef KENSAKU_TEXT_CONFIG_H
#define KENSAKU_TEXT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum text_status {
    TEXT_OK = 0,
    TEXT_NO_MEMORY,        /* an allocation failed */
    TEXT_INVALID_ARGUMENT, /* bad configuration, unknown language, malformed input */
    TEXT_ICU_ERROR,        /* ICU refused (missing data, internal error); message says which */
    TEXT_STOPPED           /* a callback asked to stop */
} text_status;

/* A short English description of STATUS. Static storage. */
const char *text_status_string(text_status status);

#define TEXT_LANGUAGE_MAX 32

typedef struct text_config {
    char language[TEXT_LANGUAGE_MAX]; /* Snowball language name, or "none" for no stemming */
    bool fold_accents;                /* "élève" is indexed and searched as "eleve" */
    uint32_t passage_min_words;       /* small paragraphs are merged up to this many words */
    uint32_t passage_max_words;       /* longer paragraphs are cut at sentence boundaries */
} text_config;

/* The defaults: english, accents folded, passages of 60 to 300 words (the
 * measurements behind the bounds are in config.c). */
void text_config_default(text_config *config);

/* Check CONFIG: a language the stemmer knows, 1 <= min <= max. On failure,
 * *message (if not NULL) receives a description; caller frees with free(). */
text_status text_config_validate(const text_config *config, char **message);

/* A one-line, versioned, human-readable form, e.g.
 * "v1 language=english accents=fold passage=50-200". Caller frees with free();
 * NULL when out of memory. */
char *text_config_serialise(const text_config *config);

/* Parse what text_config_serialise wrote. Unknown versions or keys are
 * TEXT_INVALID_ARGUMENT with *message (if not NULL; caller frees) saying why. */
text_status text_config_parse(const char *serialised, size_t len, text_config *config,
                              char **message);

#endif
