/* file_runs.c — runs of passage ids per file (see file_runs.h).
 *
 * Stored form: "R1", then as LEB128 numbers the shard's document count, its
 * highest id and the number of runs, then per run the gap since the end of
 * the previous run (from id 1), its length, and its key as 8 bytes. Deleted
 * runs stay in memory with a count of 0 until they are many, so that taking
 * a file out costs no move of the whole array.
 */
#include "schema/file_runs.h"

#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"

#define RUNS_MAGIC "R1"
/* Runs are compacted when at least half of them, and this many, are empty. */
#define COMPACT_MIN 64

void file_runs_free(file_runs *r)
{
    free(r->runs);
    r->runs = NULL;
    r->n = r->cap = r->empty = 0;
}

static bool reserve(file_runs *r, size_t need)
{
    if (need <= r->cap)
        return true;
    size_t cap = r->cap ? r->cap * 2 : 256;
    while (cap < need)
        cap *= 2;
    file_run *grown = realloc(r->runs, cap * sizeof *grown);
    if (!grown)
        return false;
    r->runs = grown;
    r->cap = cap;
    return true;
}

bool file_runs_add(file_runs *r, uint32_t docid, uint64_t key)
{
    if (r->n) {
        file_run *last = &r->runs[r->n - 1];
        if (last->count && last->key == key && last->first + last->count == docid) {
            last->count++;
            return true;
        }
    }
    if (!reserve(r, r->n + 1))
        return false;
    r->runs[r->n++] = (file_run){docid, 1, key};
    return true;
}

/* The index of the last run starting at or before DOCID, or R->n if none. */
static size_t run_at(const file_runs *r, uint32_t docid)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->runs[mid].first <= docid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : r->n;
}

/* Drop the runs deleted in full once they are half of all. */
static void compact(file_runs *r)
{
    size_t kept = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->runs[i].count)
            r->runs[kept++] = r->runs[i];
    r->n = kept;
    r->empty = 0;
}

bool file_runs_remove(file_runs *r, uint32_t docid)
{
    size_t i = run_at(r, docid);
    if (i == r->n)
        return true;
    file_run *run = &r->runs[i];
    if (docid - run->first >= run->count)
        return true;
    uint32_t end = run->first + run->count;
    if (docid == run->first) {
        run->first++;
        run->count--;
    } else if (docid == end - 1) {
        run->count--;
    } else { /* the middle of a run: split it */
        if (!reserve(r, r->n + 1))
            return false;
        run = &r->runs[i];
        memmove(run + 2, run + 1, (r->n - i - 1) * sizeof *run);
        r->n++;
        run[1] = (file_run){docid + 1, end - docid - 1, run->key};
        run->count = docid - run->first;
        return true;
    }
    if (run->count == 0 && ++r->empty * 2 >= r->n && r->n >= COMPACT_MIN)
        compact(r);
    return true;
}

static uint64_t key_in(const file_runs *r, size_t i, uint32_t docid)
{
    if (i == r->n || docid - r->runs[i].first >= r->runs[i].count)
        return 0;
    return r->runs[i].key;
}

uint64_t file_runs_key(const file_runs *r, uint32_t docid)
{
    return key_in(r, run_at(r, docid), docid);
}

uint64_t file_runs_key_onwards(const file_runs *r, size_t *hint, uint32_t docid)
{
    size_t lo = *hint;
    if (lo >= r->n || r->runs[lo].first > docid) {
        *hint = run_at(r, docid);
        return key_in(r, *hint, docid);
    }
    /* Gallop from the hint to a run starting after DOCID, then bisect. */
    size_t step = 1, hi = lo + 1;
    while (hi < r->n && r->runs[hi].first <= docid) {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    if (hi > r->n)
        hi = r->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->runs[mid].first <= docid)
            lo = mid;
        else
            hi = mid;
    }
    *hint = lo;
    return key_in(r, lo, docid);
}

uint64_t file_runs_passages(const file_runs *r)
{
    uint64_t total = 0;
    for (size_t i = 0; i < r->n; i++)
        total += r->runs[i].count;
    return total;
}

shim_status file_runs_from_values(shim_db *db, file_runs *r)
{
    file_runs_free(r);
    shim_value_stream *stream = NULL;
    shim_status status = shim_db_value_stream(db, SCHEMA_SLOT_FILE_KEY, &stream);
    uint32_t docid = 1, found;
    const char *value;
    size_t len;
    while (status == SHIM_OK &&
           (status = shim_value_stream_skip_to(stream, docid, &found, &value, &len)) == SHIM_OK) {
        if (len == SCHEMA_FILE_KEY_BYTES && !file_runs_add(r, found, schema_file_key_number(value)))
            status = SHIM_NO_MEMORY;
        docid = found + 1;
    }
    shim_value_stream_free(stream);
    if (status == SHIM_END)
        return SHIM_OK;
    file_runs_free(r);
    return status;
}

/* ------------------------------------------------------------ stored form */

static char *put_number(char *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (char)((v & 0x7f) | 0x80);
        v >>= 7;
    }
    *p++ = (char)v;
    return p;
}

static bool get_number(const char **p, const char *end, uint64_t max, uint64_t *v)
{
    uint64_t value = 0;
    for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
        unsigned char byte = (unsigned char)*(*p)++;
        value |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *v = value;
            return value <= max;
        }
    }
    return false;
}

char *file_runs_encode(const file_runs *r, uint32_t doc_count, uint32_t last_docid, size_t *len)
{
    enum { NUMBER_MAX = 10, KEY_BYTES = 8 };
    char *data = malloc(sizeof RUNS_MAGIC + 3 * NUMBER_MAX +
                        r->n * (2 * NUMBER_MAX + KEY_BYTES));
    if (!data)
        return NULL;
    size_t live = 0;
    for (size_t i = 0; i < r->n; i++)
        live += r->runs[i].count != 0;
    char *p = data;
    memcpy(p, RUNS_MAGIC, sizeof RUNS_MAGIC - 1);
    p += sizeof RUNS_MAGIC - 1;
    p = put_number(p, doc_count);
    p = put_number(p, last_docid);
    p = put_number(p, live);
    uint32_t next = 1;
    for (size_t i = 0; i < r->n; i++) {
        const file_run *run = &r->runs[i];
        if (!run->count)
            continue;
        p = put_number(p, run->first - next);
        p = put_number(p, run->count);
        for (int b = 0; b < KEY_BYTES; b++)
            *p++ = (char)(unsigned char)(run->key >> (56 - 8 * b));
        next = run->first + run->count;
    }
    *len = (size_t)(p - data);
    return data;
}

static bool decode(const char *data, size_t len, uint32_t doc_count, uint32_t last_docid,
                   file_runs *r)
{
    const size_t magic_len = sizeof RUNS_MAGIC - 1;
    if (!data || len < magic_len || memcmp(data, RUNS_MAGIC, magic_len) != 0)
        return false;
    const char *p = data + magic_len, *end = data + len;
    uint64_t stored_count, stored_last, n;
    if (!get_number(&p, end, UINT32_MAX, &stored_count) ||
        !get_number(&p, end, UINT32_MAX, &stored_last) ||
        !get_number(&p, end, UINT32_MAX, &n) || stored_count != doc_count ||
        stored_last != last_docid || n > (uint64_t)(end - p) / 10 + 1 || !reserve(r, n))
        return false;
    uint64_t next = 1, total = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t gap, count;
        if (!get_number(&p, end, UINT32_MAX, &gap) || !get_number(&p, end, UINT32_MAX, &count) ||
            count == 0 || end - p < 8)
            return false;
        uint64_t key = 0;
        for (int b = 0; b < 8; b++)
            key = key << 8 | (unsigned char)*p++;
        uint64_t first = next + gap;
        if (first + count - 1 > last_docid)
            return false;
        r->runs[r->n++] = (file_run){(uint32_t)first, (uint32_t)count, key};
        next = first + count;
        total += count;
    }
    return p == end && total == doc_count;
}

bool file_runs_decode(const char *data, size_t len, uint32_t doc_count, uint32_t last_docid,
                      file_runs *r)
{
    r->n = r->empty = 0;
    if (decode(data, len, doc_count, last_docid, r))
        return true;
    r->n = 0;
    return false;
}
