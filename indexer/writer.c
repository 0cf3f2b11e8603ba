/* writer.c — apply jobs to a shard; see writer.h. */
#include "indexer/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "indexer/report.h"
#include "indexer/spelling.h"
#include "schema/file_runs.h"
#include "schema/schema.h"

/* Xapian keeps spelling changes in memory until a commit, and a new word
 * costs it a dozen fragments; committing after this many distinct words
 * keeps that memory bounded however large the vocabulary. */
#define SPELLING_COMMIT_WORDS 40000

struct writer {
    shim_writable_db *db;
    spelling_counts *spelling;   /* changes since the last commit */
    uint64_t commit_bytes;
    double commit_seconds;
    bool verbose;
    uint64_t bytes_since_commit;
    double last_commit;
    bool dirty;                  /* something to commit */
    file_runs runs;              /* the shard's passages by file, stored at each commit */
    bool runs_loaded;
    bool runs_rebuilt;           /* not stored yet: rebuilt from the values */
    uint64_t file_key;           /* the key of the file being written */
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

writer *writer_new(shim_writable_db *db, uint64_t commit_bytes, double commit_seconds,
                   bool verbose)
{
    writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->spelling = spelling_counts_new();
    if (!w->spelling) {
        free(w);
        return NULL;
    }
    w->db = db;
    w->commit_bytes = commit_bytes;
    w->commit_seconds = commit_seconds;
    w->verbose = verbose;
    w->last_commit = now_seconds();
    return w;
}

void writer_free(writer *w)
{
    if (!w)
        return;
    spelling_counts_free(w->spelling);
    file_runs_free(&w->runs);
    free(w);
}

const char *writer_last_error(const writer *w)
{
    return shim_writable_last_error(w->db);
}

/* The shard's document count and highest document id, pending changes
 * included: what its runs describe. */
static shim_status shard_state(writer *w, uint32_t *doc_count, uint32_t *last_docid)
{
    shim_db *reader = shim_writable_reader(w->db);
    shim_status status = shim_db_doc_count(reader, doc_count);
    return status == SHIM_OK ? shim_db_last_docid(reader, last_docid) : status;
}

/* The shard's runs of passages as its last commit stored them; rebuilt from
 * the file-key values when they are missing or do not match the shard (a
 * database from before they were kept). */
static shim_status load_runs(writer *w)
{
    if (w->runs_loaded)
        return SHIM_OK;
    shim_db *reader = shim_writable_reader(w->db);
    uint32_t doc_count = 0, last_docid = 0;
    char *stored = NULL;
    size_t len = 0;
    shim_status status = shard_state(w, &doc_count, &last_docid);
    if (status == SHIM_OK)
        status = shim_db_get_metadata(reader, SCHEMA_META_FILE_RUNS, &stored, &len);
    if (status == SHIM_NOT_FOUND)
        status = SHIM_OK;
    if (status != SHIM_OK)
        return status;
    bool known = file_runs_decode(stored, len, doc_count, last_docid, &w->runs);
    free(stored);
    if (!known && doc_count > 0) {
        status = file_runs_from_values(reader, &w->runs);
        if (status != SHIM_OK)
            return status;
        w->runs_rebuilt = true;
    }
    w->runs_loaded = true;
    return SHIM_OK;
}

/* Store the runs for the commit about to be made. */
static shim_status store_runs(writer *w)
{
    uint32_t doc_count = 0, last_docid = 0;
    shim_status status = shard_state(w, &doc_count, &last_docid);
    if (status != SHIM_OK)
        return status;
    size_t len = 0;
    char *encoded = file_runs_encode(&w->runs, doc_count, last_docid, &len);
    if (!encoded)
        return SHIM_NO_MEMORY;
    status = shim_writable_set_metadata(w->db, SCHEMA_META_FILE_RUNS, encoded, len);
    free(encoded);
    return status;
}

/* Take back the spelling words of every passage indexed by FILE_TERM, then
 * delete those passages. */
static shim_status delete_passages(writer *w, const char *file_term)
{
    shim_db *reader = shim_writable_reader(w->db);
    shim_postlist *list = NULL;
    shim_status status = shim_db_postlist(reader, file_term, &list);
    uint32_t docid, wdf;
    while (status == SHIM_OK && (status = shim_postlist_next(list, &docid, &wdf)) == SHIM_OK) {
        status = spelling_counts_add_document(w->spelling, reader, docid, -1);
        if (status == SHIM_OK && !file_runs_remove(&w->runs, docid))
            status = SHIM_NO_MEMORY;
    }
    shim_postlist_free(list);
    if (status != SHIM_END)
        return status;
    return shim_writable_delete_documents(w->db, file_term);
}

shim_status writer_begin(writer *w, const job *j)
{
    shim_status status = load_runs(w);
    if (status != SHIM_OK)
        return status;
    char key[SCHEMA_FILE_KEY_BYTES];
    schema_file_key(j->path, j->path_len, key);
    w->file_key = schema_file_key_number(key);
    status = shim_writable_begin_transaction(w->db, false);
    w->dirty = true;
    if (status != SHIM_OK || (j->known.present && j->known.kind != FILE_INDEXED))
        return status;
    char file_term[SCHEMA_TERM_MAX];
    schema_path_term(SCHEMA_PREFIX_FILE, j->path, j->path_len, file_term);
    if (!j->known.present) {
        /* No record: normally no passages either, but a record lost to a
         * hand-edited or damaged database must not leave them twice. */
        uint32_t passages = 0;
        status = shim_db_term_freq(shim_writable_reader(w->db), file_term, &passages, NULL);
        if (status != SHIM_OK || passages == 0)
            return status;
    }
    return delete_passages(w, file_term);
}

shim_status writer_add_chunk(writer *w, prepared_chunk *chunk)
{
    shim_status status = SHIM_OK;
    for (size_t i = 0; status == SHIM_OK && i < chunk->n_docs; i++) {
        uint32_t docid = 0;
        status = shim_writable_add_document(w->db, chunk->docs[i], &docid);
        if (status == SHIM_OK && !file_runs_add(&w->runs, docid, w->file_key))
            status = SHIM_NO_MEMORY;
    }
    if (status == SHIM_OK && !spelling_counts_merge(w->spelling, chunk->words))
        status = SHIM_NO_MEMORY;
    return status;
}

/* Write RECORD under PREFIX, or delete the key when RECORD is NULL. */
static shim_status set_record(writer *w, const char *prefix, const job *j,
                              const file_record *record)
{
    char key[SCHEMA_TERM_MAX];
    size_t key_len = file_state_key(prefix, j->path, j->path_len, key);
    (void)key_len;
    if (!record)
        return shim_writable_set_metadata(w->db, key, "", 0);
    size_t len = 0;
    char *value = file_record_encode(record, &len);
    if (!value)
        return SHIM_NO_MEMORY;
    shim_status status = shim_writable_set_metadata(w->db, key, value, len);
    free(value);
    return status;
}

/* The records JOB leaves: one under the file or the failed prefix, or none;
 * the other key is deleted when the database had it. */
static shim_status write_records(writer *w, const job *j)
{
    file_record record = {.signature = j->signature, .passages = j->passages,
                          .limit = j->limit, .path = j->path, .path_len = j->path_len,
                          .reason = ""};
    const file_record *state = NULL, *failure = NULL;
    if (j->outcome == OUTCOME_INDEXED) {
        record.kind = FILE_INDEXED;
        state = &record;
    } else if (j->outcome == OUTCOME_SKIPPED) {
        record.kind = FILE_SKIPPED;
        record.reason = (char *)j->reason;
        state = &record;
    } else if (j->outcome == OUTCOME_FAILED) {
        record.kind = FILE_FAILED;
        record.reason = (char *)j->reason;
        failure = &record;
    }
    bool had_state = j->known.present && j->known.kind != FILE_FAILED;
    bool had_failure = j->known.present && j->known.kind == FILE_FAILED;
    shim_status status = SHIM_OK;
    if (state || had_state)
        status = set_record(w, SCHEMA_META_FILE_PREFIX, j, state);
    if (status == SHIM_OK && (failure || had_failure))
        status = set_record(w, SCHEMA_META_FAILED_PREFIX, j, failure);
    return status;
}

/* Count JOB into COUNTS and say what happened to it. */
static void account(writer *w, const job *j, summary *counts)
{
    bool was_indexed = j->known.present && j->known.kind == FILE_INDEXED;
    switch (j->outcome) {
    case OUTCOME_INDEXED:
        if (was_indexed)
            counts->updated++;
        else
            counts->added++;
        counts->passages += j->passages;
        counts->bytes += j->bytes;
        if (w->verbose) {
            char detail[64];
            snprintf(detail, sizeof detail, "%s, %u passage%s", j->format, (unsigned)j->passages,
                     j->passages == 1 ? "" : "s");
            report_file(was_indexed ? "updated" : "added", j->path, j->path_len, detail);
        }
        break;
    case OUTCOME_SKIPPED:
    case OUTCOME_TOO_LARGE:
        counts->skipped++;
        if (w->verbose)
            report_file("skipped", j->path, j->path_len, j->reason);
        break;
    case OUTCOME_FAILED:
        counts->failed++;
        report_file("failed", j->path, j->path_len, j->reason);
        break;
    case OUTCOME_GONE:
        if (was_indexed) {
            counts->removed++;
            if (w->verbose)
                report_file("removed", j->path, j->path_len, NULL);
        }
        break;
    }
}

shim_status writer_end(writer *w, const job *j, summary *counts)
{
    shim_status status = write_records(w, j);
    if (status == SHIM_OK)
        status = shim_writable_commit_transaction(w->db);
    if (status != SHIM_OK)
        return status;
    if (j->outcome == OUTCOME_INDEXED)
        w->bytes_since_commit += j->bytes;
    account(w, j, counts);
    return SHIM_OK;
}

shim_status writer_commit(writer *w)
{
    /* A shard without runs (from before they were kept) gets them now, even
     * when this run changes nothing in it. */
    shim_status status = load_runs(w);
    if (status == SHIM_OK && w->runs_rebuilt)
        w->dirty = true;
    if (status == SHIM_OK)
        status = spelling_counts_apply(w->spelling, w->db);
    if (status == SHIM_OK && w->dirty) {
        status = store_runs(w);
        w->runs_rebuilt = false;
    }
    if (status == SHIM_OK && w->dirty)
        status = shim_writable_commit(w->db);
    w->bytes_since_commit = 0;
    w->last_commit = now_seconds();
    w->dirty = false;
    return status;
}

shim_status writer_maybe_commit(writer *w)
{
    if (w->bytes_since_commit >= w->commit_bytes ||
        spelling_counts_size(w->spelling) >= SPELLING_COMMIT_WORDS ||
        (w->dirty && now_seconds() - w->last_commit >= w->commit_seconds))
        return writer_commit(w);
    return SHIM_OK;
}
