/* store.h — the database on disk: its layout, its lock and its shards.
 *
 * A database kensaku-index creates is a folder holding Xapian shards and an
 * XAPIANDB stub listing them, so Xapian's own tools, shim_db_open and
 * `kensaku --db` open it as one database:
 *
 *   DB/XAPIANDB            "glass gen1-shard0\nglass gen1-shard1\n"
 *   DB/gen1-shard0/        a glass database: global metadata lives here
 *   DB/gen1-shard1/        ...
 *
 * Each file belongs to one shard (a hash of its path), so the shards can be
 * written in parallel, one writer thread each. Opening takes Xapian's lock
 * on every shard, the first shard first, so a second writer is refused at
 * once. --rebuild writes a new generation of shards beside the old one
 * (still locked and readable) and switches the stub to it at the end with a
 * rename: readers never see an empty database, and an interrupted rebuild
 * leaves the old one intact. A database built from empty (created, or
 * rebuilt) is merged into one compact shard, the next generation, at the end
 * of the first run that completes (an interrupted build is resumed in its
 * shards), and switched to the same way:
 *
 *   DB/XAPIANDB            "glass gen2-shard0\n"
 *
 * Later runs update that one shard. A plain glass database that kensaku wrote (one
 * shard, no stub) is also accepted.
 */
#ifndef KENSAKU_INDEXER_STORE_H
#define KENSAKU_INDEXER_STORE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "shim/shim.h"

#define STORE_MAX_SHARDS 16

typedef struct store store;

typedef struct store_options {
    bool rebuild;                  /* start from an empty database */
    unsigned new_shards;           /* shards of a database created now (1..STORE_MAX_SHARDS) */
    double lock_timeout;           /* seconds to wait for another writer (0: fail at once) */
    uint32_t flush_threshold;      /* documents Xapian buffers per shard (0: its default) */
    bool merge;                    /* merge a database built from empty into one shard */
    volatile sig_atomic_t *interrupted; /* stop waiting for the lock when set (may be NULL) */
} store_options;

typedef enum store_status {
    STORE_OK,
    STORE_LOCKED,       /* another writer holds the database (after LOCK_TIMEOUT) */
    STORE_INTERRUPTED,  /* a signal came while waiting for the lock */
    STORE_ERROR         /* anything else; the message says what */
} store_status;

/* Open (creating it if absent) the database at DB_PATH for writing. On
 * failure *message receives a description (caller frees with free()). */
store_status store_open(const char *db_path, const store_options *options, store **out,
                        char **message);

/* The number of shards, and shard I's writable handle (borrowed). */
size_t store_shard_count(const store *store);
shim_writable_db *store_shard(store *store, size_t i);

/* The shard that holds the file at PATH. */
size_t store_shard_of(const store *store, const char *path, size_t len);

/* True when this open created the database or is rebuilding it: it holds
 * nothing yet. */
bool store_is_empty_start(const store *store);

/* The database folder's device and inode (the walk never enters it). */
void store_folder_id(const store *store, dev_t *dev, ino_t *ino);

/* A rebuild starts from an empty database but keeps the roots and the
 * language: the roots and analyser metadata of the database it replaces
 * (NULL when none). Borrowed. */
const char *store_previous_roots(const store *store);
const char *store_previous_analyser(const store *store);

/* True when closing after a completed run will merge the shards: the
 * database was built from empty with the merge option, by this run or by
 * runs that were interrupted, and was not merged yet. */
bool store_merge_pending(const store *store);

/* Commit every shard and close, releasing the lock; a rebuild's new
 * generation becomes the database now. When the run COMPLETED and a merge
 * is pending, the shards are then merged into one compact shard of the
 * next generation (see merge_shards in store.c); if that fails they stay,
 * STORE_OK is returned and *message holds a warning. On failure *message
 * says why. */
store_status store_close(store *store, bool completed, char **message);

/* Release the lock without committing anything (after a fatal error). */
void store_abandon(store *store);

/* The shard folders of the database at DB_PATH, for reading without the
 * lock: the shards its stub lists, or DB_PATH itself. The caller frees each
 * path and the array with free(). False with *message when DB_PATH holds no
 * database. */
bool store_shard_paths(const char *db_path, char ***paths, size_t *n, char **message);

#endif
