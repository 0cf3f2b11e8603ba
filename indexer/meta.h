/* meta.h — the database-wide metadata in the first shard.
 *
 * The schema version and the analyser configuration are written when the
 * database is created and checked on every later run: a database written
 * with another schema is refused (--rebuild starts it again), and the stored
 * analyser configuration is the one used, so the index stays consistent with
 * itself; --lang only applies to a new database. The roots and the last run
 * live here too.
 */
#ifndef KENSAKU_INDEXER_META_H
#define KENSAKU_INDEXER_META_H

#include <stdbool.h>

#include "indexer/roots.h"
#include "indexer/summary.h"
#include "shim/shim.h"
#include "text/config.h"

/* Settle the analyser configuration: a new database (NEW_DATABASE, or one
 * with no schema yet) gets the defaults with LANG, else the language and
 * accent folding of PREVIOUS (the analyser of a database being rebuilt; may
 * be NULL), and records them with the schema version; an existing one must
 * have this schema, and LANG (if given) must be its language. False with
 * *message on refusal. */
bool meta_settle_config(shim_writable_db *db, bool new_database, const char *lang,
                        const char *previous, text_config *config, char **message);

/* The remembered roots (empty when none). PREVIOUS, when not NULL, is the
 * roots JSON of a database being rebuilt, used instead. False when the
 * stored value cannot be read. */
bool meta_load_roots(shim_writable_db *db, const char *previous, root_list *roots);

/* Store ROOTS when they differ from what is stored. *changed tells. */
shim_status meta_store_roots(shim_writable_db *db, const root_list *roots, bool *changed);

/* Record the run that just ended: when, how it ended (STATUS: "done",
 * "interrupted"), and its summary. */
shim_status meta_store_last_run(shim_writable_db *db, const char *status,
                                const summary *summary);

#endif
