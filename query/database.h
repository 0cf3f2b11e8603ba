/* database.h — find, open and check the database kensaku searches, and make
 * the analyser it was indexed with.
 */
#ifndef KENSAKU_QUERY_DATABASE_H
#define KENSAKU_QUERY_DATABASE_H

#include <stdbool.h>

#include "shim/shim.h"
#include "text/analyse.h"

/* The database path: OPTION (--db), else $KENSAKU_DB, else
 * $XDG_DATA_HOME/kensaku/db, else ~/.local/share/kensaku/db. Caller frees;
 * NULL when out of memory or when not even HOME is set. */
char *database_path(const char *option);

typedef struct database {
    shim_db *db;
    text_analyser *analyser;   /* configured as the index was */
    bool stemming;             /* Z terms exist (the language stems) */
} database;

/* Open the database at PATH for reading and check its schema version.
 * Returns 0, or -1 with *message (caller frees) saying what is wrong and, for
 * a missing database, how to create one. */
int database_open(const char *path, database *out, char **message);

void database_close(database *d);

#endif
