/* test_file_runs.c — runs of passage ids per file: what a shard's writer
 * keeps as files come and go, and what the stored form accepts back. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "schema/file_runs.h"

/* The key of each id 1..LAST by brute force over a model array, against the runs. */
static void expect_keys(const file_runs *r, const uint64_t *model, uint32_t last)
{
    for (uint32_t id = 1; id <= last + 2; id++)
        cr_expect_eq(file_runs_key(r, id), id <= last ? model[id] : 0, "id %u", id);
    cr_expect_eq(file_runs_key(r, 0), 0);
    /* Walks in increasing order with a hint, dense and sparse, and a hint
     * left further on than the next id (a walk starting over). */
    static const uint32_t strides[] = {1, 2, 3, 7, 37, 1000};
    size_t hint = 0;
    for (size_t s = 0; s < sizeof strides / sizeof *strides; s++)
        for (uint32_t id = 1 + (uint32_t)s % 2; id <= last + 2; id += strides[s])
            cr_expect_eq(file_runs_key_onwards(r, &hint, id), id <= last ? model[id] : 0,
                         "id %u, stride %u", id, strides[s]);
}

Test(file_runs, consecutive_passages_of_one_file_are_one_run) {
    file_runs r = FILE_RUNS_INIT;
    for (uint32_t id = 1; id <= 5; id++)
        cr_assert(file_runs_add(&r, id, 0xAA));
    for (uint32_t id = 6; id <= 7; id++)
        cr_assert(file_runs_add(&r, id, 0xBB));
    cr_assert(file_runs_add(&r, 9, 0xBB)); /* a gap: a new run, same file */
    cr_expect_eq(r.n, 3);
    cr_expect_eq(file_runs_passages(&r), 8);
    uint64_t model[10] = {0, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xBB, 0xBB, 0, 0xBB};
    expect_keys(&r, model, 9);
    file_runs_free(&r);
}

Test(file_runs, removing_passages_shrinks_splits_and_drops_runs) {
    file_runs r = FILE_RUNS_INIT;
    uint64_t model[21] = {0};
    for (uint32_t id = 1; id <= 20; id++) {
        model[id] = id <= 10 ? 1 : 2;
        cr_assert(file_runs_add(&r, id, model[id]));
    }
    uint32_t removed[] = {1, 10, 5, 15, 11, 12, 13, 14, 16, 17, 18, 19, 20};
    for (size_t i = 0; i < sizeof removed / sizeof *removed; i++) {
        cr_assert(file_runs_remove(&r, removed[i]));
        model[removed[i]] = 0;
        expect_keys(&r, model, 20);
    }
    cr_assert(file_runs_remove(&r, 15)); /* already gone: nothing happens */
    cr_assert(file_runs_remove(&r, 99));
    cr_expect_eq(file_runs_passages(&r), 7);
    expect_keys(&r, model, 20);
    file_runs_free(&r);
}

Test(file_runs, many_files_replaced_stay_correct_through_compaction) {
    /* Files of 3 passages, each replaced (deleted, then added at the end)
     * in turn, as a re-index of a changed tree does. */
    enum { FILES = 300, PASSAGES = 3, ROUNDS = 4 };
    uint32_t last = FILES * PASSAGES * (ROUNDS + 1);
    uint64_t *model = calloc(last + 1, sizeof *model);
    uint32_t *start = calloc(FILES, sizeof *start);
    file_runs r = FILE_RUNS_INIT;
    uint32_t next = 1;
    for (uint32_t f = 0; f < FILES; f++) {
        start[f] = next;
        for (int p = 0; p < PASSAGES; p++, next++) {
            model[next] = 1000 + f;
            cr_assert(file_runs_add(&r, next, model[next]));
        }
    }
    for (int round = 0; round < ROUNDS; round++)
        for (uint32_t f = 0; f < FILES; f++) {
            for (int p = 0; p < PASSAGES; p++) {
                cr_assert(file_runs_remove(&r, start[f] + (uint32_t)p));
                model[start[f] + (uint32_t)p] = 0;
            }
            start[f] = next;
            for (int p = 0; p < PASSAGES; p++, next++) {
                model[next] = 1000 + f;
                cr_assert(file_runs_add(&r, next, model[next]));
            }
        }
    expect_keys(&r, model, next - 1);
    cr_expect_eq(file_runs_passages(&r), FILES * PASSAGES);
    cr_expect_leq(r.n, 2 * FILES, "deleted runs are compacted away (%zu runs)", r.n);
    file_runs_free(&r);
    free(model);
    free(start);
}

Test(file_runs, stored_form_round_trips_and_names_its_shard) {
    file_runs r = FILE_RUNS_INIT, back = FILE_RUNS_INIT;
    uint64_t model[40] = {0};
    for (uint32_t id = 3; id < 40; id++) {
        model[id] = id < 17 ? 0x0102030405060708ULL : UINT64_MAX - id / 8;
        cr_assert(file_runs_add(&r, id, model[id]));
    }
    cr_assert(file_runs_remove(&r, 20));
    model[20] = 0;
    size_t len = 0;
    char *data = file_runs_encode(&r, 36, 39, &len);
    cr_assert_not_null(data);
    cr_assert(file_runs_decode(data, len, 36, 39, &back));
    expect_keys(&back, model, 39);
    /* Runs of another state of the shard are refused. */
    cr_expect_not(file_runs_decode(data, len, 37, 39, &back));
    cr_expect_not(file_runs_decode(data, len, 36, 40, &back));
    cr_expect_eq(back.n, 0);
    /* So is anything damaged: every truncation, a byte too many. */
    for (size_t cut = 0; cut < len; cut++)
        cr_expect_not(file_runs_decode(data, cut, 36, 39, &back), "cut at %zu", cut);
    char *longer = malloc(len + 1);
    memcpy(longer, data, len);
    longer[len] = 0;
    cr_expect_not(file_runs_decode(longer, len + 1, 36, 39, &back));
    cr_expect_not(file_runs_decode(NULL, 0, 36, 39, &back));
    free(longer);
    free(data);
    file_runs_free(&r);
    file_runs_free(&back);
}

Test(file_runs, empty_shard_has_empty_runs) {
    file_runs r = FILE_RUNS_INIT, back = FILE_RUNS_INIT;
    size_t len = 0;
    char *data = file_runs_encode(&r, 0, 12, &len);
    cr_assert(file_runs_decode(data, len, 0, 12, &back));
    cr_expect_eq(back.n, 0);
    cr_expect_eq(file_runs_key(&back, 5), 0);
    free(data);
    file_runs_free(&back);
}
