/* indexer.c — one run of kensaku-index, from the options to the exit status.
 *
 *   lock the database -> settle schema, analyser and roots -> load the file
 *   records -> walk, submitting what changed -> remove what is gone ->
 *   let the pipeline drain and commit -> record the run -> summary
 */
#include "indexer/indexer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "indexer/extract.h"
#include "indexer/file_table.h"
#include "indexer/meta.h"
#include "indexer/paths.h"
#include "indexer/pipeline.h"
#include "indexer/progress.h"
#include "indexer/report.h"
#include "indexer/signals.h"
#include "indexer/status.h"
#include "indexer/store.h"
#include "indexer/targets.h"
#include "indexer/walk.h"
#include "schema/schema.h"

enum {
    EXIT_DONE = 0,
    EXIT_SOME_FAILED = 1,
    EXIT_FATAL = 2,
    EXIT_LOCKED = 75,
    EXIT_INTERRUPTED = 130
};

/* Documents Xapian buffers per shard before it flushes on its own. Measured
 * on the kdoc corpus (bench/): from 500 to 4,000 the CPU cost hardly moves,
 * larger buffers are slower (Xapian's in-memory maps grow deeper), and each
 * 1,000 documents buffered cost about 20 MB per shard. */
#define FLUSH_THRESHOLD 800
/* Commits by size (KENSAKU_COMMIT_MB overrides) and by time. */
#define COMMIT_MB_DEFAULT 256
#define COMMIT_SECONDS 30.0
/* Memory for documents on their way to the writers; more does not make the
 * writers faster, it only lets the readers run further ahead. */
#define BUDGET_BYTES (16u << 20)
/* Shards of a new database: one per core, within reason. */
#define MAX_NEW_SHARDS 8

typedef struct run {
    const index_options *o;
    store *store;
    text_config config;
    root_list roots;           /* remembered roots, updated by this run */
    targets plan;              /* what this run walks and forgets */
    file_table *files;         /* every record the database held */
    pipeline *pipe;
    progress progress;
    summary decided;           /* files the walk settled without reading */
    char **protected;          /* subtrees not walked completely: keep their records */
    size_t n_protected;
    bool walk_trouble;         /* unreadable folders or missing roots */
    bool walk_complete;        /* every root was walked to the end */
} run;

/* ------------------------------------------------------------ opening */

static unsigned jobs_of(const index_options *o)
{
    return o->jobs ? o->jobs : options_cores();
}

static int open_store(run *r)
{
    unsigned shards = jobs_of(r->o);
    store_options options = {
        .rebuild = r->o->rebuild,
        .new_shards = shards > MAX_NEW_SHARDS ? MAX_NEW_SHARDS : shards,
        .lock_timeout = r->o->lock_timeout,
        .flush_threshold = FLUSH_THRESHOLD,
        .merge = !r->o->no_merge,
        .interrupted = &signals_interrupted};
    char *message = NULL;
    store_status status = store_open(r->o->db_path, &options, &r->store, &message);
    int exit_status = EXIT_DONE;
    if (status == STORE_LOCKED) {
        char *shown = report_escape(r->o->db_path, strlen(r->o->db_path));
        report_message("the database %s is locked: another kensaku-index holds it%s", shown,
                       r->o->lock_timeout > 0 ? " (waited in vain)"
                                              : " (use --lock-timeout SECS to wait)");
        free(shown);
        exit_status = EXIT_LOCKED;
    } else if (status == STORE_INTERRUPTED) {
        exit_status = EXIT_INTERRUPTED;
    } else if (status != STORE_OK) {
        report_message("%s", message ? message : "cannot open the database");
        exit_status = EXIT_FATAL;
    }
    free(message);
    return exit_status;
}

/* Schema, analyser and roots; the plan of the run. */
static int settle_database(run *r)
{
    shim_writable_db *first = store_shard(r->store, 0);
    char *message = NULL;
    if (!meta_settle_config(first, store_is_empty_start(r->store), r->o->lang,
                            store_previous_analyser(r->store), &r->config, &message)) {
        report_message("%s", message ? message : "cannot read the database's configuration");
        free(message);
        return EXIT_FATAL;
    }
    if (!meta_load_roots(first, store_previous_roots(r->store), &r->roots)) {
        report_message("the database's list of roots cannot be read");
        return EXIT_FATAL;
    }
    if (!targets_plan(r->o, &r->roots, &r->plan, &message)) {
        report_message("%s", message);
        free(message);
        return EXIT_FATAL;
    }
    bool changed = false;
    shim_status status = meta_store_roots(first, &r->roots, &changed);
    /* Commit the roots at once: an interrupted first run is resumed by a bare one. */
    if (status == SHIM_OK && (changed || store_is_empty_start(r->store)))
        status = shim_writable_commit(first);
    if (status != SHIM_OK) {
        report_message("cannot write the database: %s", shim_writable_last_error(first));
        return EXIT_FATAL;
    }
    return EXIT_DONE;
}

static int load_files(run *r)
{
    r->files = file_table_new();
    if (!r->files)
        return EXIT_FATAL;
    if (store_is_empty_start(r->store))
        return EXIT_DONE;
    for (size_t i = 0; i < store_shard_count(r->store); i++) {
        shim_db *db = shim_writable_reader(store_shard(r->store, i));
        shim_status status = file_table_load(r->files, db, i, SCHEMA_META_FILE_PREFIX);
        if (status == SHIM_OK)
            status = file_table_load(r->files, db, i, SCHEMA_META_FAILED_PREFIX);
        if (status != SHIM_OK) {
            report_message("cannot read the database's file records: %s",
                           shim_db_last_error(db));
            return EXIT_FATAL;
        }
    }
    return EXIT_DONE;
}

static int start_pipeline(run *r)
{
    const char *commit_mb = getenv("KENSAKU_COMMIT_MB");
    double mb = commit_mb && atof(commit_mb) > 0 ? atof(commit_mb) : COMMIT_MB_DEFAULT;
    pipeline_config config = {
        .store = r->store,
        .analysis = r->config,
        .readers = jobs_of(r->o),
        .commit_bytes = (uint64_t)(mb * 1e6),
        .commit_seconds = COMMIT_SECONDS,
        .budget_bytes = BUDGET_BYTES,
        .verbose = r->o->verbose,
        .interrupted = &signals_interrupted};
    char *message = NULL;
    r->pipe = pipeline_start(&config, &message);
    if (!r->pipe) {
        report_message("%s", message ? message : "cannot start indexing");
        free(message);
        return EXIT_FATAL;
    }
    return EXIT_DONE;
}

/* ------------------------------------------------------------- walking */

/* What the walk callbacks need. */
typedef struct walk_context {
    run *r;
    uint64_t max_size;
    size_t files;
} walk_context;

static bool stop_requested(run *r)
{
    return signals_interrupted || pipeline_failed(r->pipe);
}

/* Settle a file the database knows unchanged, without reading it. True if
 * settled. */
static bool settle_unchanged(run *r, const file_entry *e, const file_signature *signature,
                             uint64_t size, uint64_t max_size)
{
    if (!file_signature_equal(&e->signature, signature) || size > max_size)
        return false;
    if (e->kind == FILE_INDEXED) {
        r->decided.unchanged++;
        return true;
    }
    if (e->kind == FILE_FAILED && r->o->retry_failed)
        return false;
    if (e->kind == FILE_SKIPPED && e->limit && max_size > e->limit)
        return false; /* skipped for a limit since raised */
    r->decided.skipped++;
    if (r->o->verbose)
        report_file("skipped", e->path, e->path_len,
                    e->kind == FILE_FAILED ? "failed before, unchanged" : e->reason);
    return true;
}

static int on_file(void *context, const char *path, size_t len, const struct stat *st)
{
    walk_context *wc = context;
    run *r = wc->r;
    if ((++wc->files & 63) == 0)
        progress_update(&r->progress, r->pipe, true);
    if (stop_requested(r))
        return 1;
    file_entry *e = file_table_find(r->files, path);
    if (e)
        e->seen = true;
    file_signature signature = file_signature_of(st);
    uint64_t size = (uint64_t)st->st_size;
    if (e && settle_unchanged(r, e, &signature, size, wc->max_size))
        return 0;
    if (size > wc->max_size && !(e && e->kind == FILE_INDEXED)) {
        /* Never read, nothing to take back: no job at all. */
        r->decided.skipped++;
        if (r->o->verbose)
            report_file("skipped", path, len, "larger than the size limit");
        return 0;
    }
    known_file known = {e != NULL, e ? e->kind : FILE_INDEXED, e ? e->passages : 0};
    size_t shard = e ? e->shard : store_shard_of(r->store, path, len);
    return pipeline_submit(r->pipe, path, len, st, shard, wc->max_size, &known) ? 0 : 1;
}

static void protect(run *r, const char *path, size_t len)
{
    char **grown = realloc(r->protected, (r->n_protected + 1) * sizeof *grown);
    if (!grown)
        return;
    r->protected = grown;
    r->protected[r->n_protected] = strndup(path, len);
    if (r->protected[r->n_protected])
        r->n_protected++;
}

static void on_problem(void *context, const char *path, size_t len, walk_problem problem,
                       int error)
{
    walk_context *wc = context;
    run *r = wc->r;
    switch (problem) {
    case WALK_ROOT_MISSING:
        report_file("root missing, its files are kept:", path, len,
                    "use --forget to drop it");
        protect(r, path, len);
        r->walk_trouble = true;
        break;
    case WALK_UNREADABLE:
        report_file("cannot read", path, len, strerror(error));
        protect(r, path, len);
        r->walk_trouble = true;
        break;
    case WALK_LOOP:
        if (r->o->verbose)
            report_file("skipped", path, len, "symbolic link loop");
        break;
    case WALK_DANGLING:
        if (r->o->verbose)
            report_file("skipped", path, len, "dangling symbolic link");
        break;
    case WALK_SPECIAL:
        if (r->o->verbose)
            report_file("skipped", path, len, "not a regular file");
        break;
    }
}

static void walk_targets(run *r)
{
    dev_t dev;
    ino_t ino;
    store_folder_id(r->store, &dev, &ino);
    r->walk_complete = true;
    for (size_t i = 0; i < r->plan.walk.n; i++) {
        const root_entry *target = &r->plan.walk.items[i];
        walk_filter filter = {.excludes = (const char *const *)target->excludes,
                              .n_excludes = target->n_excludes,
                              .skip_dir = true, .skip_dev = dev, .skip_ino = ino};
        walk_context wc = {r, target->max_size ? target->max_size : OPTIONS_DEFAULT_MAX_SIZE,
                           0};
        walk_callbacks callbacks = {on_file, on_problem, &wc};
        if (walk_root(target->path, &filter, &callbacks) > 0 || stop_requested(r)) {
            r->walk_complete = false;
            break;
        }
    }
}

/* -------------------------------------------------------------- removal */

static bool under_any(const file_entry *e, char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (path_is_within(e->path, e->path_len, paths[i], strlen(paths[i])))
            return true;
    return false;
}

static bool under_walk(const file_entry *e, const root_list *walk)
{
    for (size_t i = 0; i < walk->n; i++)
        if (path_is_within(e->path, e->path_len, walk->items[i].path,
                           strlen(walk->items[i].path)))
            return true;
    return false;
}

static void remove_if_gone(void *context, file_entry *e)
{
    run *r = context;
    if (e->seen || stop_requested(r))
        return;
    bool forgotten = under_any(e, r->plan.forgotten, r->plan.n_forgotten);
    bool gone = !r->o->no_delete && under_walk(e, &r->plan.walk) &&
                !under_any(e, r->protected, r->n_protected);
    if (!forgotten && !gone)
        return;
    known_file known = {true, e->kind, e->passages};
    pipeline_remove(r->pipe, e->path, e->path_len, e->shard, &known);
}

/* ------------------------------------------------------------ finishing */

static void wait_with_progress(run *r)
{
    if (!r->progress.enabled)
        return;
    for (;;) {
        pipeline_progress c;
        pipeline_get_progress(r->pipe, &c);
        if (c.files_done >= c.files_queued || stop_requested(r))
            break;
        progress_update(&r->progress, r->pipe, false);
        usleep(50 * 1000);
    }
}

static void print_summary(const run *r, const summary *totals)
{
    if (!r->o->quiet)
        summary_print_line(totals, stderr);
    if (!r->o->json)
        return;
    json_t *object = summary_to_json(totals);
    if (object) {
        json_dumpf(object, stdout, JSON_COMPACT | JSON_REAL_PRECISION(6));
        json_decref(object);
    }
    fputc('\n', stdout);
    fflush(stdout);
}

/* Drain the pipeline, record the run, commit. */
static int finish(run *r)
{
    wait_with_progress(r);
    summary totals;
    char *message = NULL;
    bool ok = pipeline_finish(r->pipe, &totals, &message);
    r->pipe = NULL;
    progress_clear(&r->progress);
    if (!ok) {
        report_message("%s; the database stays at its last commit", message);
        free(message);
        store_abandon(r->store);
        r->store = NULL;
        return EXIT_FATAL;
    }
    summary_add(&totals, &r->decided);
    totals.seconds = progress_now() - r->progress.started;
    /* The run's outcome is decided here, once: a signal arriving later (while
     * committing or merging) lets the work finish, since all of it is done,
     * and a second signal still stops at once. */
    bool completed = !signals_interrupted;
    const char *how = completed ? "done" : "interrupted";
    shim_status status = meta_store_last_run(store_shard(r->store, 0), how, &totals);
    /* A build from empty is merged into one database once a run completes
     * it; an interrupted one goes on in its shards at the next run. */
    if (r->progress.enabled && completed && store_merge_pending(r->store))
        report_progress("kensaku-index: merging the shards into one database");
    store_status closed = store_close(r->store, completed, &message);
    r->store = NULL;
    progress_clear(&r->progress);
    if (status != SHIM_OK || closed != STORE_OK) {
        report_message("%s", message ? message : "cannot record the run");
        free(message);
        return EXIT_FATAL;
    }
    if (message)
        report_message("warning: %s", message);
    free(message);
    totals.seconds = progress_now() - r->progress.started;
    print_summary(r, &totals);
    if (!completed)
        return EXIT_INTERRUPTED;
    return totals.failed || r->walk_trouble ? EXIT_SOME_FAILED : EXIT_DONE;
}

/* ----------------------------------------------------------------- a run */

static int run_steps(run *r)
{
    int status = open_store(r);
    if (status == EXIT_DONE)
        status = settle_database(r);
    if (status == EXIT_DONE)
        status = load_files(r);
    if (status == EXIT_DONE)
        status = start_pipeline(r);
    if (status != EXIT_DONE)
        return status;
    walk_targets(r);
    if (r->walk_complete && !stop_requested(r))
        file_table_foreach(r->files, remove_if_gone, r);
    return finish(r);
}

static void run_free(run *r)
{
    if (r->pipe) {
        summary ignored;
        char *message = NULL;
        pipeline_finish(r->pipe, &ignored, &message);
        free(message);
    }
    store_abandon(r->store);
    roots_free(&r->roots);
    targets_free(&r->plan);
    file_table_free(r->files);
    for (size_t i = 0; i < r->n_protected; i++)
        free(r->protected[i]);
    free(r->protected);
}

int indexer_run(const index_options *options)
{
    if (options->status)
        return status_print(options->db_path, options->json, stdout, stderr);
    signals_install(options->quiet);
    extract_init();
    run r = {.o = options};
    progress_init(&r.progress, isatty(STDERR_FILENO) && !options->quiet);
    int status = run_steps(&r);
    run_free(&r);
    extract_cleanup();
    return status;
}
