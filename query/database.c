/* database.c — locate, open and check the database; read back the analyser
 * configuration the indexer stored, so queries are analysed as the index was.
 */
#include "query/database.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schema/schema.h"
#include "text/config.h"

char *database_path(const char *option)
{
    char *path = NULL;
    if (option && *option)
        return strdup(option);
    const char *env = getenv("KENSAKU_DB");
    if (env && *env)
        return strdup(env);
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && *xdg && xdg[0] == '/') {
        if (asprintf(&path, "%s/kensaku/db", xdg) < 0)
            return NULL;
        return path;
    }
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    if (asprintf(&path, "%s/.local/share/kensaku/db", home) < 0)
        return NULL;
    return path;
}

static int failure(char **message, const char *fmt, const char *a, const char *b)
{
    if (asprintf(message, fmt, a, b) < 0)
        *message = NULL;
    return -1;
}

/* The stored metadata KEY as a NUL-terminated string, or NULL. */
static char *metadata(shim_db *db, const char *key, shim_status *status)
{
    char *value = NULL;
    size_t len = 0;
    *status = shim_db_get_metadata(db, key, &value, &len);
    return *status == SHIM_OK ? value : NULL;
}

/* How many times the database is opened or its metadata read again when a
 * writer's commits discard the revision being read (the query itself
 * retries likewise). */
#define MODIFIED_RETRIES 10

static int check_schema(const char *path, shim_db *db, shim_status *status, char **message)
{
    char *version = metadata(db, SCHEMA_META_VERSION, status);
    if (!version) {
        if (*status == SHIM_MODIFIED)
            return -1;
        if (*status == SHIM_NOT_FOUND)
            return failure(message,
                           "%s is not a kensaku database (it has no schema version)%s", path, "");
        return failure(message, "cannot read %s: %s", path, shim_db_last_error(db));
    }
    int rc = 0;
    if (strcmp(version, SCHEMA_VERSION) != 0) {
        char *text = NULL;
        if (asprintf(&text,
                     "%s has index schema version %s, and this kensaku reads version %s:\n"
                     "  rebuild it with: kensaku-index --rebuild --db %s",
                     path, version, SCHEMA_VERSION, path) < 0)
            text = NULL;
        *message = text;
        rc = -1;
    }
    free(version);
    return rc;
}

static int make_analyser(const char *path, database *d, shim_status *status, char **message)
{
    char *stored = metadata(d->db, SCHEMA_META_ANALYSER, status);
    if (!stored) {
        if (*status == SHIM_MODIFIED)
            return -1;
        return failure(message, "%s holds no analyser configuration: %s", path,
                       *status == SHIM_NOT_FOUND ? "rebuild it with kensaku-index --rebuild"
                                                 : shim_status_string(*status));
    }
    text_config config;
    char *why = NULL;
    text_status ts = text_config_parse(stored, strlen(stored), &config, &why);
    free(stored);
    if (ts == TEXT_OK)
        ts = text_analyser_new(&config, &d->analyser, &why);
    if (ts != TEXT_OK) {
        int rc = failure(message, "cannot use the analyser configuration of %s: %s", path,
                         why ? why : text_status_string(ts));
        free(why);
        return rc;
    }
    d->stemming = strcmp(config.language, "none") != 0;
    return 0;
}

int database_open(const char *path, database *d, char **message)
{
    memset(d, 0, sizeof *d);
    *message = NULL;
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT)
        return failure(message,
                       "no database at %s\n  create one with: kensaku-index --db %s FOLDER...",
                       path, path);
    /* Opening reads each table's root at the newest revision: a writer
     * committing twice meanwhile discards it, and opening again reads the
     * next one. */
    char *why = NULL;
    shim_status status = shim_db_open(path, &d->db, &why);
    for (int attempt = 0; status == SHIM_MODIFIED && attempt < MODIFIED_RETRIES; attempt++) {
        free(why);
        why = NULL;
        status = shim_db_open(path, &d->db, &why);
    }
    if (status != SHIM_OK) {
        int rc;
        if (status == SHIM_NOT_FOUND)
            rc = failure(message,
                         "no kensaku database in %s\n  create one with: kensaku-index --db %s FOLDER...",
                         path, path);
        else
            rc = failure(message, "cannot open the database %s: %s", path,
                         why ? why : shim_status_string(status));
        free(why);
        return rc;
    }
    /* A writer committing twice between the open and a read discards the
     * revision being read: reopen at the latest one and read again. */
    for (int attempt = 0;; attempt++) {
        status = SHIM_OK;
        if (check_schema(path, d->db, &status, message) == 0 &&
            make_analyser(path, d, &status, message) == 0)
            return 0;
        if (status != SHIM_MODIFIED || attempt == MODIFIED_RETRIES ||
            shim_db_reopen(d->db) != SHIM_OK)
            break;
    }
    if (status == SHIM_MODIFIED && !*message)
        failure(message, "cannot read %s: it kept changing under a writer's commits%s", path, "");
    database_close(d);
    return -1;
}

void database_close(database *d)
{
    text_analyser_free(d->analyser);
    shim_db_free(d->db);
    d->analyser = NULL;
    d->db = NULL;
}
