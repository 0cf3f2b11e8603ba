/* pipeline.c — the threads, queues and memory budget; see pipeline.h.
 *
 * One mutex guards every queue; the hand-overs are a few per file, so it is
 * never contended for long. Waits:
 *   work_space  the walk, while the work queue is full
 *   work_ready  readers, while the work queue is empty
 *   room        readers, while their chunks would exceed the budget
 *   shard_ready a writer, while its head job has nothing new
 *
 * A chunk the writer has added goes back to the reader that made it, which
 * frees it: freeing a document's thousands of small blocks from another
 * thread would cost the writer (the bottleneck) a lock and a cold cache for
 * each. The budget counts a chunk until it is written (a reader that has
 * left can free nothing more, so waiting for frees could wait forever); a
 * reader frees what it got back before it reads the next file or sends the
 * next chunk, so little memory waits to be freed.
 */
#include "indexer/pipeline.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/job.h"
#include "indexer/reader.h"
#include "indexer/report.h"
#include "indexer/writer.h"

/* Files waiting for a reader: enough to keep every reader busy. */
#define WORK_QUEUE_PER_READER 8
/* Chunks of one file waiting for its writer. */
#define MAX_PENDING_CHUNKS 4

typedef struct shard_queue {
    job *head, *tail;              /* jobs in the order readers finished their first chunk */
    pthread_cond_t ready;
    pthread_t thread;
    writer *writer;
    summary counts;
    bool started;
    struct pipeline *owner;
} shard_queue;

struct pipeline {
    pipeline_config config;
    pthread_mutex_t lock;
    pthread_cond_t work_ready, work_space, room;

    job *work_head, *work_tail;    /* files for the readers */
    size_t work_count, work_max;
    bool no_more_work;             /* the walk is over */

    shard_queue shards[STORE_MAX_SHARDS];
    size_t n_shards;
    bool readers_done;             /* every reader has left: no more jobs */

    size_t budget_used;            /* estimated bytes of chunks in flight */

    pthread_t *readers;
    unsigned n_readers;
    prepared_chunk **spent;        /* per reader: chunks written, waiting to be freed */
    struct reader_slot *slots;     /* per reader: its thread's argument */

    bool failed;                   /* a writer failed: stop everything */
    char *failure;                 /* why (owned) */

    summary counts;                /* decided by the caller */
    pipeline_progress progress;
};

/* A reader thread's identity. */
typedef struct reader_slot {
    pipeline *p;
    unsigned index;
} reader_slot;

/* What a reader thread needs for one job. */
typedef struct reader_context {
    pipeline *p;
    unsigned reader;
    job *job;
} reader_context;

/* ------------------------------------------------------------ work queue */

static bool stopping(pipeline *p)
{
    return p->failed || (p->config.interrupted && *p->config.interrupted);
}

static void push_work(pipeline *p, job *j)
{
    if (p->work_tail)
        p->work_tail->next = j;
    else
        p->work_head = j;
    p->work_tail = j;
    p->work_count++;
    pthread_cond_signal(&p->work_ready);
}

/* The next job for a reader, or NULL when there is none left. An interrupt
 * drops the files not yet started. Called with the lock held. */
static job *take_work(pipeline *p)
{
    for (;;) {
        if (stopping(p)) {
            while (p->work_head) {
                job *j = p->work_head;
                p->work_head = j->next;
                job_free(j);
            }
            p->work_tail = NULL;
            p->work_count = 0;
            pthread_cond_broadcast(&p->work_space);
            return NULL;
        }
        if (p->work_head) {
            job *j = p->work_head;
            p->work_head = j->next;
            if (!p->work_head)
                p->work_tail = NULL;
            p->work_count--;
            j->next = NULL;
            pthread_cond_signal(&p->work_space);
            return j;
        }
        if (p->no_more_work)
            return NULL;
        pthread_cond_wait(&p->work_ready, &p->lock);
    }
}

/* ---------------------------------------------------------- shard queues */

static void enqueue_job(pipeline *p, job *j)
{
    shard_queue *q = &p->shards[j->shard];
    j->queued = true;
    j->next = NULL;
    if (q->tail)
        q->tail->next = j;
    else
        q->head = j;
    q->tail = j;
    pthread_cond_signal(&q->ready);
}

static bool is_head(pipeline *p, const job *j)
{
    return j->queued && p->shards[j->shard].head == j;
}

/* Free the chunks the writers gave back to reader ME. Lock held; it is
 * released while freeing. */
static void free_spent(pipeline *p, unsigned me)
{
    prepared_chunk *list = p->spent[me];
    if (!list)
        return;
    p->spent[me] = NULL;
    pthread_mutex_unlock(&p->lock);
    prepared_chunk_free(list);
    pthread_mutex_lock(&p->lock);
}

static bool may_send(pipeline *p, const job *j, const prepared_chunk *chunk)
{
    if (j->pending >= MAX_PENDING_CHUNKS)
        return false;
    return p->budget_used + chunk->cost <= p->config.budget_bytes || p->budget_used == 0 ||
           is_head(p, j);
}

/* A reader's chunk: wait for room (unless the writer is waiting for this very
 * job), then hand it over. Non-zero asks the reader to stop. */
static int emit_chunk(void *context, prepared_chunk *chunk)
{
    reader_context *rc = context;
    pipeline *p = rc->p;
    job *j = rc->job;
    chunk->producer = rc->reader;
    pthread_mutex_lock(&p->lock);
    free_spent(p, rc->reader);
    while (!p->failed && !may_send(p, j, chunk)) {
        pthread_cond_wait(&p->room, &p->lock);
        free_spent(p, rc->reader);
    }
    if (p->failed) {
        pthread_mutex_unlock(&p->lock);
        prepared_chunk_free(chunk);
        return 1;
    }
    chunk->next = NULL;
    if (j->chunks_tail)
        j->chunks_tail->next = chunk;
    else
        j->chunks = chunk;
    j->chunks_tail = chunk;
    j->pending++;
    p->budget_used += chunk->cost;
    if (!j->queued)
        enqueue_job(p, j);
    else
        pthread_cond_signal(&p->shards[j->shard].ready);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

/* The reader has finished with JOB. */
static void complete_job(pipeline *p, job *j)
{
    pthread_mutex_lock(&p->lock);
    j->complete = true;
    if (!j->queued)
        enqueue_job(p, j);
    else
        pthread_cond_signal(&p->shards[j->shard].ready);
    pthread_mutex_unlock(&p->lock);
}

/* ------------------------------------------------------------- readers */

/* The reader's analyser, made on its first file: a run with nothing to
 * read never pays for ICU's set-up. NULL after reporting the failure. */
static preparer *reader_preparer(pipeline *p, preparer **prep)
{
    if (*prep)
        return *prep;
    char *message = NULL;
    *prep = preparer_new(&p->config.analysis, &message);
    if (!*prep) {
        pthread_mutex_lock(&p->lock);
        if (!p->failed) {
            p->failed = true;
            p->failure = message;
            message = NULL;
        }
        pthread_cond_broadcast(&p->room);
        pthread_mutex_unlock(&p->lock);
        free(message);
    }
    return *prep;
}

static void *reader_main(void *arg)
{
    reader_slot *slot = arg;
    pipeline *p = slot->p;
    preparer *prep = NULL;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        free_spent(p, slot->index);
        job *j = take_work(p);
        pthread_mutex_unlock(&p->lock);
        if (!j)
            break;
        if (!j->remove_only && reader_preparer(p, &prep)) {
            reader_context rc = {p, slot->index, j};
            reader_process(prep, j, emit_chunk, &rc);
        }
        complete_job(p, j);
    }
    pthread_mutex_lock(&p->lock);
    free_spent(p, slot->index);
    pthread_mutex_unlock(&p->lock);
    preparer_free(prep);
    return NULL;
}

/* ------------------------------------------------------------- writers */

static void fail(pipeline *p, const char *what, const char *why)
{
    pthread_mutex_lock(&p->lock);
    if (!p->failed) {
        p->failed = true;
        if (asprintf(&p->failure, "%s: %s", what, why) < 0)
            p->failure = NULL;
    }
    pthread_cond_broadcast(&p->room);
    pthread_cond_broadcast(&p->work_ready);
    pthread_cond_broadcast(&p->work_space);
    pthread_mutex_unlock(&p->lock);
}

/* Wait for the head job of Q (NULL once no more will come). Lock held. */
static job *head_job(pipeline *p, shard_queue *q)
{
    while (!q->head && !p->readers_done)
        pthread_cond_wait(&q->ready, &p->lock);
    return q->head;
}

/* Take J's next chunk, waiting for it; NULL once J is complete. Lock held. */
static prepared_chunk *next_chunk(pipeline *p, shard_queue *q, job *j)
{
    while (!j->chunks && !j->complete)
        pthread_cond_wait(&q->ready, &p->lock);
    prepared_chunk *chunk = j->chunks;
    if (chunk) {
        j->chunks = chunk->next;
        if (!j->chunks)
            j->chunks_tail = NULL;
        j->pending--;
        chunk->next = NULL;
    }
    return chunk;
}

/* Give a written chunk back to the reader that made it. */
static void release_chunk(pipeline *p, prepared_chunk *chunk)
{
    pthread_mutex_lock(&p->lock);
    p->budget_used -= chunk->cost;
    chunk->next = p->spent[chunk->producer];
    p->spent[chunk->producer] = chunk;
    pthread_cond_broadcast(&p->room);
    pthread_mutex_unlock(&p->lock);
}

/* Apply the head job J of Q; its chunks may still be coming. */
static shim_status write_job(pipeline *p, shard_queue *q, job *j)
{
    bool healthy = !pipeline_failed(p);
    shim_status status = healthy ? writer_begin(q->writer, j) : SHIM_OK;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        prepared_chunk *chunk = next_chunk(p, q, j);
        pthread_mutex_unlock(&p->lock);
        if (!chunk)
            break;
        if (healthy && status == SHIM_OK)
            status = writer_add_chunk(q->writer, chunk);
        release_chunk(p, chunk);
    }
    if (healthy && status == SHIM_OK)
        status = writer_end(q->writer, j, &q->counts);
    return status;
}

static void finish_job(pipeline *p, shard_queue *q, job *j)
{
    pthread_mutex_lock(&p->lock);
    q->head = j->next;
    if (!q->head)
        q->tail = NULL;
    p->progress.files_done++;
    p->progress.bytes_done += (uint64_t)j->walk_st.st_size;
    pthread_cond_broadcast(&p->room); /* a new head may be waiting for room */
    pthread_mutex_unlock(&p->lock);
    job_free(j);
}

static void *writer_main(void *arg)
{
    shard_queue *q = arg;
    pipeline *p = q->owner;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        job *j = head_job(p, q);
        pthread_mutex_unlock(&p->lock);
        if (!j)
            break;
        shim_status status = write_job(p, q, j);
        if (status == SHIM_OK && !pipeline_failed(p))
            status = writer_maybe_commit(q->writer);
        if (status != SHIM_OK)
            fail(p, "writing the database failed", writer_last_error(q->writer));
        finish_job(p, q, j);
    }
    if (!pipeline_failed(p)) {
        shim_status status = writer_commit(q->writer);
        if (status != SHIM_OK)
            fail(p, "commit failed", writer_last_error(q->writer));
    }
    return NULL;
}

/* ------------------------------------------------------------ the caller */

static void destroy(pipeline *p)
{
    /* The readers are gone: what they did not free is freed here. */
    for (unsigned i = 0; p->spent && i < p->config.readers; i++)
        prepared_chunk_free(p->spent[i]);
    free(p->spent);
    free(p->slots);
    for (size_t i = 0; i < p->n_shards; i++) {
        writer_free(p->shards[i].writer);
        pthread_cond_destroy(&p->shards[i].ready);
    }
    pthread_cond_destroy(&p->work_ready);
    pthread_cond_destroy(&p->work_space);
    pthread_cond_destroy(&p->room);
    pthread_mutex_destroy(&p->lock);
    free(p->readers);
    free(p->failure);
    free(p);
}

static bool start_threads(pipeline *p)
{
    for (size_t i = 0; i < p->n_shards; i++) {
        if (pthread_create(&p->shards[i].thread, NULL, writer_main, &p->shards[i]) != 0)
            return false;
        p->shards[i].started = true;
    }
    for (unsigned i = 0; i < p->config.readers; i++) {
        p->slots[i] = (reader_slot){p, i};
        if (pthread_create(&p->readers[i], NULL, reader_main, &p->slots[i]) != 0)
            return false;
        p->n_readers++;
    }
    return true;
}

static void join_threads(pipeline *p)
{
    pthread_mutex_lock(&p->lock);
    p->no_more_work = true;
    pthread_cond_broadcast(&p->work_ready);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->n_readers; i++)
        pthread_join(p->readers[i], NULL);
    pthread_mutex_lock(&p->lock);
    p->readers_done = true;
    for (size_t i = 0; i < p->n_shards; i++)
        pthread_cond_broadcast(&p->shards[i].ready);
    pthread_mutex_unlock(&p->lock);
    for (size_t i = 0; i < p->n_shards; i++)
        if (p->shards[i].started)
            pthread_join(p->shards[i].thread, NULL);
}

pipeline *pipeline_start(const pipeline_config *config, char **message)
{
    pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        *message = strdup("out of memory");
        return NULL;
    }
    p->config = *config;
    p->work_max = WORK_QUEUE_PER_READER * (config->readers ? config->readers : 1);
    p->n_shards = store_shard_count(config->store);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work_ready, NULL);
    pthread_cond_init(&p->work_space, NULL);
    pthread_cond_init(&p->room, NULL);
    size_t readers = config->readers ? config->readers : 1;
    p->readers = calloc(readers, sizeof *p->readers);
    p->spent = calloc(readers, sizeof *p->spent);
    p->slots = calloc(readers, sizeof *p->slots);
    bool ok = p->readers && p->spent && p->slots;
    for (size_t i = 0; i < p->n_shards; i++) {
        shard_queue *q = &p->shards[i];
        q->owner = p;
        pthread_cond_init(&q->ready, NULL);
        q->writer = writer_new(store_shard(config->store, i), config->commit_bytes,
                               config->commit_seconds, config->verbose);
        ok = ok && q->writer;
    }
    if (ok && start_threads(p))
        return p;
    fail(p, "cannot start the indexing threads", "out of resources");
    join_threads(p);
    *message = p->failure ? strdup(p->failure) : strdup("cannot start the indexing threads");
    destroy(p);
    return NULL;
}

/* Queue J for the readers; false (J freed) once the pipeline stops. */
static bool submit_job(pipeline *p, job *j)
{
    pthread_mutex_lock(&p->lock);
    while (!stopping(p) && p->work_count >= p->work_max)
        pthread_cond_wait(&p->work_space, &p->lock);
    bool ok = !stopping(p);
    if (ok) {
        p->progress.files_queued++;
        p->progress.bytes_queued += (uint64_t)j->walk_st.st_size;
        push_work(p, j);
    }
    pthread_mutex_unlock(&p->lock);
    if (!ok)
        job_free(j);
    return ok;
}

bool pipeline_submit(pipeline *p, const char *path, size_t len, const struct stat *st,
                     size_t shard, uint64_t max_size, const known_file *known)
{
    job *j = job_new(path, len, shard, known);
    if (!j) {
        fail(p, "out of memory", "queueing a file");
        return false;
    }
    j->walk_st = *st;
    j->max_size = max_size;
    return submit_job(p, j);
}

bool pipeline_remove(pipeline *p, const char *path, size_t len, size_t shard,
                     const known_file *known)
{
    job *j = job_new(path, len, shard, known);
    if (!j) {
        fail(p, "out of memory", "queueing a removal");
        return false;
    }
    j->remove_only = true;
    j->outcome = OUTCOME_GONE;
    return submit_job(p, j);
}

void pipeline_count(pipeline *p, const summary *counts)
{
    pthread_mutex_lock(&p->lock);
    summary_add(&p->counts, counts);
    pthread_mutex_unlock(&p->lock);
}

void pipeline_get_progress(pipeline *p, pipeline_progress *progress)
{
    pthread_mutex_lock(&p->lock);
    *progress = p->progress;
    pthread_mutex_unlock(&p->lock);
}

bool pipeline_failed(pipeline *p)
{
    pthread_mutex_lock(&p->lock);
    bool failed = p->failed;
    pthread_mutex_unlock(&p->lock);
    return failed;
}

bool pipeline_finish(pipeline *p, summary *totals, char **message)
{
    join_threads(p);
    *totals = p->counts;
    for (size_t i = 0; i < p->n_shards; i++)
        summary_add(totals, &p->shards[i].counts);
    bool ok = !p->failed;
    *message = ok ? NULL : strdup(p->failure ? p->failure : "indexing failed");
    destroy(p);
    return ok;
}
