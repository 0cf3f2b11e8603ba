/* status.h — `kensaku-index --status`: what a database holds.
 *
 * Roots and their options, file and passage counts, the last run and every
 * remembered failure, read without taking the lock (so it works while an
 * indexer runs), for people or as one JSON object.
 */
#ifndef KENSAKU_INDEXER_STATUS_H
#define KENSAKU_INDEXER_STATUS_H

#include <stdbool.h>
#include <stdio.h>

/* Print the status of the database at DB_PATH to OUT (errors to ERR).
 * Returns the exit status: 0, or 2 when there is no readable database. */
int status_print(const char *db_path, bool json, FILE *out, FILE *err);

#endif
