/* store.c — database layout, lock and shards; see store.h. */
#include "indexer/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "schema/file_runs.h"
#include "schema/schema.h"

#define STUB_NAME "XAPIANDB"
#define STUB_TEMP "XAPIANDB.tmp"
#define LOCK_POLL_MS 200

struct store {
    char *db_path;
    bool stub_layout;         /* a folder with XAPIANDB (else a plain glass database) */
    bool empty_start;         /* created now, or being rebuilt */
    size_t n;                 /* shards being written */
    shim_writable_db *shards[STORE_MAX_SHARDS];
    char *names[STORE_MAX_SHARDS];      /* their folder names (stub layout) */
    size_t n_old;             /* a rebuild's previous generation, locked until the switch */
    shim_writable_db *old[STORE_MAX_SHARDS];
    char *old_names[STORE_MAX_SHARDS];
    dev_t dev;
    ino_t ino;
    char *previous_roots;     /* a rebuild's roots from the database it replaces */
    char *previous_analyser;  /* and its analyser configuration */
    bool merge;               /* store_options.merge */
};

typedef enum layout {
    LAYOUT_NONE,   /* nothing there, or an empty folder */
    LAYOUT_STUB,   /* a folder with an XAPIANDB stub */
    LAYOUT_PLAIN,  /* a folder that is a glass database */
    LAYOUT_OTHER   /* something else: never touched */
} layout;

static void set_message(char **message, const char *format, ...)
{
    if (!message)
        return;
    free(*message);
    va_list args;
    va_start(args, format);
    if (vasprintf(message, format, args) < 0)
        *message = NULL;
    va_end(args);
}

static char *join(const char *dir, const char *name)
{
    char *path = NULL;
    return asprintf(&path, "%s/%s", dir, name) < 0 ? NULL : path;
}

static bool exists(const char *dir, const char *name)
{
    char *path = join(dir, name);
    struct stat st;
    bool found = path && stat(path, &st) == 0;
    free(path);
    return found;
}

static unsigned generation_of(const char *name);

/* Empty, or holding only what an interrupted creation leaves (shard folders
 * and a temporary stub, written before the stub itself). */
static bool folder_is_new(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir)
        return false;
    struct dirent *d;
    bool fresh = true;
    while (fresh && (d = readdir(dir)) != NULL)
        fresh = strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0 ||
                strcmp(d->d_name, STUB_TEMP) == 0 || generation_of(d->d_name) > 0;
    closedir(dir);
    return fresh;
}

static layout detect_layout(const char *db_path)
{
    struct stat st;
    if (stat(db_path, &st) != 0)
        return errno == ENOENT ? LAYOUT_NONE : LAYOUT_OTHER;
    if (!S_ISDIR(st.st_mode))
        return LAYOUT_OTHER;
    if (exists(db_path, STUB_NAME))
        return LAYOUT_STUB;
    if (exists(db_path, "iamglass"))
        return LAYOUT_PLAIN;
    return folder_is_new(db_path) ? LAYOUT_NONE : LAYOUT_OTHER;
}

/* --------------------------------------------------------------- the stub */

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
        names[i] = NULL;
    }
}

/* Parse one stub line into a shard name; false with a message for lines
 * kensaku-index cannot write to (remote shards, paths outside the folder). */
static bool parse_stub_line(char *line, char **name, char **message)
{
    char *type = strtok(line, " \t");
    char *path = type ? strtok(NULL, "\t\n") : NULL;
    if (!type || !path) {
        set_message(message, "the stub line \"%s\" has no database path", line);
        return false;
    }
    while (*path == ' ')
        path++;
    if (strcmp(type, "glass") != 0 && strcmp(type, "auto") != 0) {
        set_message(message, "the stub lists a \"%s\" shard, which kensaku-index cannot write",
                    type);
        return false;
    }
    if (path[0] == '/' || strstr(path, "..") || strchr(path, '/')) {
        set_message(message, "the stub lists \"%s\", which is not a shard folder inside it",
                    path);
        return false;
    }
    *name = strdup(path);
    return *name != NULL;
}

static bool read_stub(const char *db_path, char **names, size_t *n, char **message)
{
    char *path = join(db_path, STUB_NAME);
    FILE *f = path ? fopen(path, "r") : NULL;
    free(path);
    *n = 0;
    if (!f) {
        set_message(message, "cannot read %s/" STUB_NAME ": %s", db_path, strerror(errno));
        return false;
    }
    char line[4096];
    bool ok = true;
    while (ok && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        if (*n == STORE_MAX_SHARDS) {
            set_message(message, "%s lists more than %d shards", db_path, STORE_MAX_SHARDS);
            ok = false;
        } else {
            ok = parse_stub_line(p, &names[*n], message);
            if (ok)
                (*n)++;
        }
    }
    fclose(f);
    if (ok && *n == 0) {
        set_message(message, "%s/" STUB_NAME " lists no shard", db_path);
        ok = false;
    }
    if (!ok)
        free_names(names, *n);
    return ok;
}

/* Write the stub listing NAMES atomically: a temporary file, fsync, rename,
 * fsync of the folder. */
static bool write_stub(const char *db_path, char *const *names, size_t n, char **message)
{
    char *temp = join(db_path, STUB_TEMP);
    char *final = join(db_path, STUB_NAME);
    bool ok = false;
    int fd = temp ? open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
    if (fd >= 0) {
        FILE *f = fdopen(fd, "w");
        ok = f != NULL;
        for (size_t i = 0; ok && i < n; i++)
            ok = fprintf(f, "glass %s\n", names[i]) > 0;
        ok = f && fflush(f) == 0 && fsync(fd) == 0 && ok;
        if (f)
            ok = fclose(f) == 0 && ok;
        else
            close(fd);
        ok = ok && rename(temp, final) == 0;
    }
    if (!ok) {
        set_message(message, "cannot write %s: %s", final ? final : db_path, strerror(errno));
        if (temp)
            unlink(temp);
    } else {
        int dir = open(db_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir >= 0) {
            fsync(dir);
            close(dir);
        }
    }
    free(temp);
    free(final);
    return ok;
}

/* ----------------------------------------------------------------- shards */

static store_status open_shard(const char *path, shim_open_mode mode, uint32_t flush_threshold,
                               shim_writable_db **db, char **message)
{
    shim_writable_options options = {mode, flush_threshold};
    char *why = NULL;
    shim_status status = shim_writable_open(path, &options, db, &why);
    if (status == SHIM_OK)
        return STORE_OK;
    if (status == SHIM_LOCKED) {
        free(why);
        return STORE_LOCKED;
    }
    set_message(message, "cannot open the database shard %s: %s", path,
                why ? why : shim_status_string(status));
    free(why);
    return STORE_ERROR;
}

static void abandon_all(shim_writable_db **dbs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        shim_writable_abandon(dbs[i]);
        dbs[i] = NULL;
    }
}

/* Open the shards NAMES[0..n) of the stub layout, the first one first. */
static store_status open_named(store *s, char *const *names, size_t n, shim_open_mode mode,
                               uint32_t flush_threshold, shim_writable_db **dbs,
                               char **message)
{
    for (size_t i = 0; i < n; i++) {
        char *path = join(s->db_path, names[i]);
        store_status status = path ? open_shard(path, mode, flush_threshold, &dbs[i], message)
                                   : STORE_ERROR;
        free(path);
        if (status != STORE_OK) {
            abandon_all(dbs, i);
            return status;
        }
    }
    return STORE_OK;
}

/* A generation number from a name "gen<N>-shard<K>" (0 for other names). */
static unsigned generation_of(const char *name)
{
    unsigned gen = 0, shard = 0;
    return sscanf(name, "gen%u-shard%u", &gen, &shard) == 2 ? gen : 0;
}

static bool make_names(char **names, unsigned generation, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (asprintf(&names[i], "gen%u-shard%zu", generation, i) < 0) {
            names[i] = NULL;
            free_names(names, i);
            return false;
        }
    }
    return true;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Shard folders of an unfinished rebuild (not in the stub) and a stale
 * temporary stub; called while holding every listed shard's lock. */
static void remove_leftovers(const store *s, char *const *listed, size_t n)
{
    DIR *dir = opendir(s->db_path);
    if (!dir)
        return;
    struct dirent *d;
    while ((d = readdir(dir)) != NULL) {
        bool is_temp = strcmp(d->d_name, STUB_TEMP) == 0;
        if (!is_temp && generation_of(d->d_name) == 0)
            continue;
        bool in_use = false;
        for (size_t i = 0; i < n && !in_use; i++)
            in_use = strcmp(listed[i], d->d_name) == 0;
        char *path = in_use ? NULL : join(s->db_path, d->d_name);
        if (path)
            nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(path);
    }
    closedir(dir);
}

/* ------------------------------------------------------------------ opening */

static bool make_parents(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return false;
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
            free(copy);
            return false;
        }
        *p = '/';
    }
    free(copy);
    return true;
}

/* Refuse a database that holds documents kensaku did not write. */
static store_status check_owner(const char *db_path, shim_writable_db *first_shard,
                                char **message)
{
    shim_db *reader = shim_writable_reader(first_shard);
    char *version = NULL;
    size_t len = 0;
    shim_status status = shim_db_get_metadata(reader, SCHEMA_META_VERSION, &version, &len);
    free(version);
    if (status == SHIM_OK)
        return STORE_OK;
    uint32_t count = 0;
    if (status == SHIM_NOT_FOUND && shim_db_doc_count(reader, &count) == SHIM_OK && count == 0)
        return STORE_OK;
    set_message(message, "%s holds a Xapian database that kensaku-index did not write; "
                         "refusing to change it", db_path);
    return STORE_ERROR;
}

static char *get_metadata(shim_writable_db *db, const char *key)
{
    char *value = NULL;
    size_t len = 0;
    if (shim_db_get_metadata(shim_writable_reader(db), key, &value, &len) == SHIM_OK)
        return value;
    free(value);
    return NULL;
}

/* Keep the roots and analyser of the database a rebuild replaces. */
static void keep_roots(store *s, shim_writable_db *db)
{
    free(s->previous_roots);
    free(s->previous_analyser);
    s->previous_roots = get_metadata(db, SCHEMA_META_ROOTS);
    s->previous_analyser = get_metadata(db, SCHEMA_META_ANALYSER);
}

/* A database built from empty is to be merged: say so in its first shard,
 * committed before the stub names it, so that a run resuming an interrupted
 * build, wherever it was cut, merges it when it completes. */
static store_status mark_unmerged(store *s, char **message)
{
    if (!s->merge)
        return STORE_OK;
    shim_status status = shim_writable_set_metadata(s->shards[0], SCHEMA_META_UNMERGED, "1", 1);
    if (status == SHIM_OK)
        status = shim_writable_commit(s->shards[0]);
    if (status == SHIM_OK)
        return STORE_OK;
    set_message(message, "cannot write the database: %s",
                shim_writable_last_error(s->shards[0]));
    return STORE_ERROR;
}

/* A new database: the first shard (taking the lock), the others, then the
 * stub. The stub comes last so that a kill during the creation never leaves
 * a stub naming a shard that does not exist yet: without a stub, the next
 * run creates the database again. */
static store_status create_database(store *s, const store_options *options, char **message)
{
    if ((!make_parents(s->db_path) || mkdir(s->db_path, 0755) != 0) && errno != EEXIST) {
        set_message(message, "cannot create the database folder %s: %s", s->db_path,
                    strerror(errno));
        return STORE_ERROR;
    }
    s->n = options->new_shards;
    if (!make_names(s->names, 1, s->n))
        return STORE_ERROR;
    /* Overwrite: a folder left by an interrupted creation holds nothing of
     * value, and Xapian takes the lock before it overwrites. */
    store_status status = open_named(s, s->names, 1, SHIM_CREATE_OR_OVERWRITE,
                                     options->flush_threshold, s->shards, message);
    if (status != STORE_OK)
        return status;
    /* Locked: if another creator was faster, its stub is there now. */
    if (exists(s->db_path, STUB_NAME)) {
        abandon_all(s->shards, 1);
        return STORE_LOCKED; /* retried as an existing database */
    }
    status = open_named(s, s->names + 1, s->n - 1, SHIM_CREATE_OR_OVERWRITE,
                        options->flush_threshold, s->shards + 1, message);
    if (status != STORE_OK) {
        abandon_all(s->shards, 1);
        return status;
    }
    if (mark_unmerged(s, message) != STORE_OK || !write_stub(s->db_path, s->names, s->n, message)) {
        abandon_all(s->shards, s->n);
        return STORE_ERROR;
    }
    s->stub_layout = true;
    s->empty_start = true;
    return STORE_OK;
}

/* Open an existing stub layout; a rebuild also creates the next generation. */
static store_status open_stub_layout(store *s, const store_options *options, char **message)
{
    char *names[STORE_MAX_SHARDS] = {0};
    size_t n = 0;
    if (!read_stub(s->db_path, names, &n, message))
        return STORE_ERROR;
    shim_writable_db *dbs[STORE_MAX_SHARDS] = {0};
    store_status status = open_named(s, names, n, SHIM_CREATE_OR_OPEN,
                                     options->flush_threshold, dbs, message);
    if (status != STORE_OK) {
        free_names(names, n);
        return status;
    }
    s->stub_layout = true;
    status = check_owner(s->db_path, dbs[0], message);
    if (status != STORE_OK) {
        abandon_all(dbs, n);
        free_names(names, n);
        return status;
    }
    remove_leftovers(s, names, n);
    if (!options->rebuild) {
        memcpy(s->shards, dbs, sizeof dbs);
        memcpy(s->names, names, sizeof names);
        s->n = n;
        return STORE_OK;
    }
    /* Rebuild: keep the old generation locked; write a new one beside it. */
    keep_roots(s, dbs[0]);
    memcpy(s->old, dbs, sizeof dbs);
    memcpy(s->old_names, names, sizeof names);
    s->n_old = n;
    unsigned generation = 0;
    for (size_t i = 0; i < n; i++)
        if (generation_of(names[i]) > generation)
            generation = generation_of(names[i]);
    s->n = options->new_shards;
    if (!make_names(s->names, generation + 1, s->n))
        return STORE_ERROR;
    s->empty_start = true;
    status = open_named(s, s->names, s->n, SHIM_CREATE_OR_OVERWRITE, options->flush_threshold,
                        s->shards, message);
    return status == STORE_OK ? mark_unmerged(s, message) : status;
}

/* A plain glass database: one shard, rebuilt in place (Xapian takes the
 * lock before it overwrites anything). */
static store_status open_plain_layout(store *s, const store_options *options, char **message)
{
    store_status status = open_shard(s->db_path, SHIM_OPEN_EXISTING, options->flush_threshold,
                                     &s->shards[0], message);
    if (status != STORE_OK)
        return status;
    s->n = 1;
    status = check_owner(s->db_path, s->shards[0], message);
    if (status != STORE_OK || !options->rebuild)
        return status;
    keep_roots(s, s->shards[0]);
    shim_writable_abandon(s->shards[0]);
    s->shards[0] = NULL;
    s->empty_start = true;
    status = open_shard(s->db_path, SHIM_CREATE_OR_OVERWRITE, options->flush_threshold,
                        &s->shards[0], message);
    if (status != STORE_OK)
        s->n = 0;
    return status;
}

static void release(store *s)
{
    abandon_all(s->shards, s->n);
    abandon_all(s->old, s->n_old);
    free_names(s->names, STORE_MAX_SHARDS);
    free_names(s->old_names, STORE_MAX_SHARDS);
    free(s->previous_roots);
    free(s->previous_analyser);
    s->previous_roots = s->previous_analyser = NULL;
    s->n = s->n_old = 0;
    s->stub_layout = s->empty_start = false;
}

static store_status try_open(store *s, const store_options *options, char **message)
{
    store_status status;
    switch (detect_layout(s->db_path)) {
    case LAYOUT_NONE:
        status = create_database(s, options, message);
        break;
    case LAYOUT_STUB:
        status = open_stub_layout(s, options, message);
        break;
    case LAYOUT_PLAIN:
        status = open_plain_layout(s, options, message);
        break;
    default:
        set_message(message, "%s exists and is not a kensaku database", s->db_path);
        status = STORE_ERROR;
        break;
    }
    if (status != STORE_OK)
        release(s);
    return status;
}

/* Sleep MS milliseconds; a signal cuts it short so the caller sees its flag. */
static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

store_status store_open(const char *db_path, const store_options *options, store **out,
                        char **message)
{
    *out = NULL;
    if (message)
        *message = NULL;
    store *s = calloc(1, sizeof *s);
    if (!s || !(s->db_path = strdup(db_path))) {
        free(s);
        set_message(message, "out of memory");
        return STORE_ERROR;
    }
    s->merge = options->merge;
    double deadline = now_seconds() + options->lock_timeout;
    store_status status;
    for (;;) {
        status = try_open(s, options, message);
        if (status != STORE_LOCKED || now_seconds() >= deadline)
            break;
        if (options->interrupted && *options->interrupted) {
            status = STORE_INTERRUPTED;
            break;
        }
        sleep_ms(LOCK_POLL_MS);
    }
    struct stat st;
    if (status == STORE_OK && stat(db_path, &st) == 0) {
        s->dev = st.st_dev;
        s->ino = st.st_ino;
    }
    if (status != STORE_OK) {
        free(s->db_path);
        free(s);
        return status;
    }
    *out = s;
    return STORE_OK;
}

size_t store_shard_count(const store *s)
{
    return s->n;
}

shim_writable_db *store_shard(store *s, size_t i)
{
    return i < s->n ? s->shards[i] : NULL;
}

size_t store_shard_of(const store *s, const char *path, size_t len)
{
    return s->n <= 1 ? 0 : (size_t)(XXH3_64bits(path, len) % s->n);
}

bool store_is_empty_start(const store *s)
{
    return s->empty_start;
}

bool store_merge_pending(const store *s)
{
    if (!s->merge || !s->stub_layout || s->n == 0)
        return false;
    char *mark = get_metadata(s->shards[0], SCHEMA_META_UNMERGED);
    bool pending = mark && *mark;
    free(mark);
    return pending;
}

const char *store_previous_roots(const store *s)
{
    return s->previous_roots;
}

const char *store_previous_analyser(const store *s)
{
    return s->previous_analyser;
}

void store_folder_id(const store *s, dev_t *dev, ino_t *ino)
{
    *dev = s->dev;
    *ino = s->ino;
}

/* ------------------------------------------------------------------ closing */

static void free_store(store *s)
{
    free(s->previous_roots);
    free(s->previous_analyser);
    free_names(s->names, STORE_MAX_SHARDS);
    free_names(s->old_names, STORE_MAX_SHARDS);
    free(s->db_path);
    free(s);
}

static void remove_folder(const char *db_path, const char *name)
{
    char *path = join(db_path, name);
    if (path)
        nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(path);
}

/* After the stub stopped listing them: unlock shards DBS[0..n) and remove
 * their folders, but for those the stub still names. */
static void retire(store *s, shim_writable_db **dbs, char **names, size_t n)
{
    abandon_all(dbs, n);
    for (size_t i = 0; i < n; i++) {
        bool listed = false;
        for (size_t j = 0; j < s->n && !listed; j++)
            listed = strcmp(names[i], s->names[j]) == 0;
        if (!listed)
            remove_folder(s->db_path, names[i]);
    }
    free_names(names, n);
}

/* Make a rebuild's new generation the database and drop the old one. */
static bool switch_generation(store *s, char **message)
{
    if (!write_stub(s->db_path, s->names, s->n, message))
        return false;
    retire(s, s->old, s->old_names, s->n_old);
    s->n_old = 0;
    return true;
}

/* Give the merged database MERGED the runs of its passages (renumbered by
 * the merge), take its mark of a pending merge away and commit. */
static shim_status store_merged_runs(shim_writable_db *merged)
{
    shim_db *reader = shim_writable_reader(merged);
    file_runs runs = FILE_RUNS_INIT;
    uint32_t doc_count = 0, last_docid = 0;
    shim_status status = shim_db_doc_count(reader, &doc_count);
    if (status == SHIM_OK)
        status = shim_db_last_docid(reader, &last_docid);
    if (status == SHIM_OK)
        status = file_runs_from_values(reader, &runs);
    size_t len = 0;
    char *encoded = status == SHIM_OK ? file_runs_encode(&runs, doc_count, last_docid, &len) : NULL;
    if (status == SHIM_OK && !encoded)
        status = SHIM_NO_MEMORY;
    if (status == SHIM_OK)
        status = shim_writable_set_metadata(merged, SCHEMA_META_FILE_RUNS, encoded, len);
    if (status == SHIM_OK)
        status = shim_writable_set_metadata(merged, SCHEMA_META_UNMERGED, "", 0);
    if (status == SHIM_OK)
        status = shim_writable_commit(merged);
    free(encoded);
    file_runs_free(&runs);
    return status;
}

/* Merge the committed shards into one compact database, the next generation,
 * and make it the database: one shard opens and searches faster than
 * several, and full blocks take about half the space of those left by
 * writing. The stub is switched only once the merged database is complete,
 * so a kill at any moment leaves either the shards or the merged database,
 * and the next run removes the other. False, with the shards kept as they
 * are, if the merge cannot be made. */
static bool merge_shards(store *s, char **message)
{
    char *name = NULL;
    if (asprintf(&name, "gen%u-shard0", generation_of(s->names[0]) + 1) < 0)
        return false;
    char *target = join(s->db_path, name);
    char *sources[STORE_MAX_SHARDS] = {0};
    bool ok = target != NULL;
    for (size_t i = 0; ok && i < s->n; i++)
        ok = (sources[i] = join(s->db_path, s->names[i])) != NULL;
    shim_writable_db *merged = NULL;
    char *why = NULL;
    shim_status status = SHIM_NO_MEMORY;
    if (ok) {
        remove_folder(s->db_path, name); /* left by a merge that was killed */
        status = shim_compact((const char *const *)sources, s->n, target, &why);
    }
    if (status == SHIM_OK) {
        shim_writable_options options = {SHIM_OPEN_EXISTING, 0};
        status = shim_writable_open(target, &options, &merged, &why);
    }
    if (status == SHIM_OK && (status = store_merged_runs(merged)) != SHIM_OK)
        why = strdup(shim_writable_last_error(merged));
    ok = status == SHIM_OK && write_stub(s->db_path, &name, 1, message);
    if (!ok) {
        if (status != SHIM_OK)
            set_message(message, "%s", why && *why ? why : shim_status_string(status));
        shim_writable_abandon(merged);
        remove_folder(s->db_path, name);
        free(name);
    } else {
        /* The stub names the merged database alone now. */
        shim_writable_db *shards[STORE_MAX_SHARDS];
        char *names[STORE_MAX_SHARDS];
        size_t n = s->n;
        memcpy(shards, s->shards, sizeof shards);
        memcpy(names, s->names, sizeof names);
        memset(s->shards, 0, sizeof s->shards);
        memset(s->names, 0, sizeof s->names);
        s->shards[0] = merged;
        s->names[0] = name;
        s->n = 1;
        retire(s, shards, names, n);
        retire(s, s->old, s->old_names, s->n_old);
        s->n_old = 0;
    }
    for (size_t i = 0; i < STORE_MAX_SHARDS; i++)
        free(sources[i]);
    free(target);
    free(why);
    return ok;
}

store_status store_close(store *s, bool completed, char **message)
{
    if (message)
        *message = NULL;
    store_status result = STORE_OK;
    for (size_t i = 0; i < s->n && result == STORE_OK; i++) {
        if (shim_writable_commit(s->shards[i]) != SHIM_OK) {
            set_message(message, "commit failed: %s", shim_writable_last_error(s->shards[i]));
            result = STORE_ERROR;
        }
    }
    if (result == STORE_OK && completed && store_merge_pending(s)) {
        char *why = NULL;
        if (!merge_shards(s, &why))
            set_message(message, "the database is complete but stays in %zu shards: "
                                 "merging them failed: %s", s->n, why ? why : "out of memory");
        free(why);
    }
    if (result == STORE_OK && s->n_old && !switch_generation(s, message))
        result = STORE_ERROR;
    for (size_t i = 0; i < s->n; i++) {
        if (result == STORE_OK && shim_writable_close(s->shards[i]) != SHIM_OK) {
            set_message(message, "closing the database failed");
            result = STORE_ERROR;
        } else if (result != STORE_OK) {
            shim_writable_abandon(s->shards[i]);
        }
    }
    abandon_all(s->old, s->n_old);
    free_store(s);
    return result;
}

void store_abandon(store *s)
{
    if (!s)
        return;
    abandon_all(s->shards, s->n);
    abandon_all(s->old, s->n_old);
    free_store(s);
}

bool store_shard_paths(const char *db_path, char ***paths, size_t *n, char **message)
{
    *paths = NULL;
    *n = 0;
    if (message)
        *message = NULL;
    layout kind = detect_layout(db_path);
    if (kind == LAYOUT_PLAIN) {
        *paths = malloc(sizeof **paths);
        if (!*paths || !((*paths)[0] = strdup(db_path))) {
            free(*paths);
            *paths = NULL;
            return false;
        }
        *n = 1;
        return true;
    }
    if (kind != LAYOUT_STUB) {
        set_message(message, kind == LAYOUT_NONE ? "there is no database at %s"
                                                 : "%s is not a kensaku database",
                    db_path);
        return false;
    }
    char *names[STORE_MAX_SHARDS] = {0};
    size_t count = 0;
    if (!read_stub(db_path, names, &count, message))
        return false;
    *paths = calloc(count, sizeof **paths);
    bool ok = *paths != NULL;
    for (size_t i = 0; ok && i < count; i++)
        ok = ((*paths)[i] = join(db_path, names[i])) != NULL;
    free_names(names, count);
    if (!ok) {
        for (size_t i = 0; *paths && i < count; i++)
            free((*paths)[i]);
        free(*paths);
        *paths = NULL;
        set_message(message, "out of memory");
        return false;
    }
    *n = count;
    return true;
}
