/* meta.c — schema, analyser, roots and last run in metadata; see meta.h. */
#include "indexer/meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "schema/schema.h"

static char *get(shim_writable_db *db, const char *key)
{
    char *value = NULL;
    size_t len = 0;
    if (shim_db_get_metadata(shim_writable_reader(db), key, &value, &len) == SHIM_OK)
        return value;
    free(value);
    return NULL;
}

static void set_message(char **message, const char *text)
{
    *message = strdup(text);
}

/* The defaults with LANG (or PREVIOUS's language), recorded with the
 * schema version. */
static bool create_config(shim_writable_db *db, const char *lang, const char *previous,
                          text_config *config, char **message)
{
    text_config_default(config);
    text_config old;
    if (!lang && previous &&
        text_config_parse(previous, strlen(previous), &old, NULL) == TEXT_OK) {
        memcpy(config->language, old.language, sizeof config->language);
        config->fold_accents = old.fold_accents;
    }
    if (lang) {
        if (strlen(lang) >= sizeof config->language) {
            set_message(message, "--lang: no such language");
            return false;
        }
        strcpy(config->language, lang);
    }
    if (text_config_validate(config, message) != TEXT_OK)
        return false;
    char *serialised = text_config_serialise(config);
    shim_status status = serialised ? SHIM_OK : SHIM_NO_MEMORY;
    if (status == SHIM_OK)
        status = shim_writable_set_metadata(db, SCHEMA_META_ANALYSER, serialised,
                                            strlen(serialised));
    if (status == SHIM_OK)
        status = shim_writable_set_metadata(db, SCHEMA_META_VERSION, SCHEMA_VERSION,
                                            strlen(SCHEMA_VERSION));
    free(serialised);
    if (status != SHIM_OK)
        set_message(message, shim_writable_last_error(db));
    return status == SHIM_OK;
}

bool meta_settle_config(shim_writable_db *db, bool new_database, const char *lang,
                        const char *previous, text_config *config, char **message)
{
    *message = NULL;
    char *version = new_database ? NULL : get(db, SCHEMA_META_VERSION);
    if (!version)
        return create_config(db, lang, previous, config, message);
    bool ok = strcmp(version, SCHEMA_VERSION) == 0;
    if (!ok && asprintf(message,
                        "the database was written with index schema %s and this kensaku-index "
                        "writes schema %s: run it with --rebuild",
                        version, SCHEMA_VERSION) < 0)
        *message = NULL;
    free(version);
    char *stored = ok ? get(db, SCHEMA_META_ANALYSER) : NULL;
    if (ok && (!stored || text_config_parse(stored, strlen(stored), config, message) != TEXT_OK)) {
        if (!*message)
            set_message(message, "the database's analyser configuration is missing");
        ok = false;
    }
    free(stored);
    if (ok && lang && strcmp(lang, config->language) != 0) {
        if (asprintf(message,
                     "the database stems in \"%s\"; --lang applies to a new database only "
                     "(add --rebuild to start again in \"%s\")",
                     config->language, lang) < 0)
            *message = NULL;
        ok = false;
    }
    return ok;
}

bool meta_load_roots(shim_writable_db *db, const char *previous, root_list *roots)
{
    memset(roots, 0, sizeof *roots);
    char *stored = previous ? NULL : get(db, SCHEMA_META_ROOTS);
    const char *json = previous ? previous : stored;
    bool ok = !json || roots_decode(json, strlen(json), roots);
    free(stored);
    return ok;
}

shim_status meta_store_roots(shim_writable_db *db, const root_list *roots, bool *changed)
{
    *changed = false;
    char *json = roots_encode(roots);
    if (!json)
        return SHIM_NO_MEMORY;
    char *stored = get(db, SCHEMA_META_ROOTS);
    shim_status status = SHIM_OK;
    if (!stored || strcmp(stored, json) != 0) {
        status = shim_writable_set_metadata(db, SCHEMA_META_ROOTS, json, strlen(json));
        *changed = true;
    }
    free(stored);
    free(json);
    return status;
}

shim_status meta_store_last_run(shim_writable_db *db, const char *status,
                                const summary *summary)
{
    char when[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
    json_t *object = summary_to_json(summary);
    if (!object)
        return SHIM_NO_MEMORY;
    json_object_set_new(object, "finished", json_string(when));
    json_object_set_new(object, "status", json_string(status));
    char *text = json_dumps(object, JSON_COMPACT | JSON_REAL_PRECISION(6));
    json_decref(object);
    if (!text)
        return SHIM_NO_MEMORY;
    shim_status result = shim_writable_set_metadata(db, SCHEMA_META_LAST_RUN, text, strlen(text));
    free(text);
    return result;
}
