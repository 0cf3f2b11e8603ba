/* main.c — kensaku: answer a query with ranked passages and highlighted
 * snippets from the database kensaku-index built. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "query/batch.h"
#include "query/database.h"
#include "query/options.h"
#include "query/render.h"
#include "query/report.h"
#include "query/search.h"
#include "shim/shim.h"

#ifndef KENSAKU_VERSION
#define KENSAKU_VERSION "unknown"
#endif

/* The QUERY arguments joined with single spaces. */
static char *join_words(const options *o, size_t *len)
{
    size_t total = 1;
    for (size_t i = 0; i < o->n_words; i++)
        total += strlen(o->words[i]) + 1;
    char *query = malloc(total);
    if (!query)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < o->n_words; i++) {
        if (i)
            query[n++] = ' ';
        size_t w = strlen(o->words[i]);
        memcpy(query + n, o->words[i], w);
        n += w;
    }
    query[n] = '\0';
    *len = n;
    return query;
}

static void search_options_from(const options *o, search_options *so)
{
    search_options_default(so);
    so->any = o->any;
    so->literal = o->literal;
    so->limit = o->limit;
    so->offset = o->offset;
    so->per_file = o->per_file;
    so->files_only = o->format == OUTPUT_FILES;
    so->count_only = o->format == OUTPUT_COUNT;
    so->snippet_chars = o->snippet_chars;
    so->bm25_k1 = o->bm25_k1;
    so->bm25_b = o->bm25_b;
    /* Totals are printed in JSON summaries and by -c. */
    so->exact_total = o->format == OUTPUT_JSON || o->format == OUTPUT_COUNT;
    so->timed = o->format == OUTPUT_JSON || o->batch;
}

static int run_one(searcher *s, const options *o, const search_options *so,
                   const render_options *ro)
{
    size_t len = 0;
    char *query = join_words(o, &len);
    if (!query) {
        fprintf(stderr, "kensaku: out of memory\n");
        return 2;
    }
    search_result result;
    search_error error;
    search_failure failure = searcher_run(s, query, len, so, &result, &error);
    int status;
    if (failure != SEARCH_OK) {
        report_failure(stderr, NULL, query, len, failure, &error);
        search_error_free(&error);
        status = 2;
    } else {
        if (result.total == 0 && result.suggestion)
            fprintf(stderr, "kensaku: nothing found; did you mean: %s\n", result.suggestion);
        bool written = render_result(stdout, ro, NULL, &result);
        status = !written ? 2 : result.total > 0 || result.n_hits > 0 ? 0 : 1;
        search_result_free(&result);
    }
    free(query);
    return status;
}

static int run(const options *o)
{
    char *path = database_path(o->db);
    if (!path) {
        fprintf(stderr, "kensaku: no database given: use --db PATH or set KENSAKU_DB\n");
        return 2;
    }
    database db;
    char *message = NULL;
    if (database_open(path, &db, &message) != 0) {
        fprintf(stderr, "kensaku: %s\n", message ? message : "cannot open the database");
        free(message);
        free(path);
        return 2;
    }
    free(path);
    searcher *s = searcher_new(&db, o->batch);
    if (!s) {
        database_close(&db);
        fprintf(stderr, "kensaku: out of memory\n");
        return 2;
    }
    search_options so;
    search_options_from(o, &so);
    render_options ro = {o->format, o->null, false, o->batch, o->offset};
    ro.color = o->format == OUTPUT_HUMAN && render_use_color(o->color, stdout);
    int status = o->batch ? batch_run(s, &so, &ro, stdin, stdout, stderr)
                          : run_one(s, o, &so, &ro);
    if (fflush(stdout) != 0 && status != 2) {
        fprintf(stderr, "kensaku: cannot write the results\n");
        status = 2;
    }
    searcher_free(s);
    database_close(&db);
    return status;
}

/* Give the heap its first megabyte at once. A query process touches some
 * 700 kilobytes of fresh memory, a query of several words up to 1.3 MB
 * (Xapian's blocks and cursors, the analyser, the file runs, the hits);
 * taken page by page, each first touch is a page fault, and on a virtual
 * machine a fault costs some 13 microseconds: a millisecond or more of a
 * query that takes ten. One madvise(MADV_POPULATE_WRITE) maps them all for
 * about one microsecond a page. A megabyte is where the faults it spares
 * stop paying for the pages mapped in vain (kdoc's 20 benchmark queries:
 * 83 faults a query after start-up with half a megabyte, 52 with 768 KiB,
 * 41 with 1 MiB, 40 with 1152 KiB). Blocks up to 8 MiB come from the heap
 * (not from mmap, whose pages would fault one by one again), and freed memory
 * stays for the next allocation. Kernels before 5.14 refuse the advice: then
 * the pages fault in as before. */
static void prefault_heap(void)
{
    enum { HEAP_START_BYTES = 1 << 20, PAGE = 4096 };
    mallopt(M_MMAP_THRESHOLD, 8 << 20);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
    char *block = malloc(HEAP_START_BYTES);
    if (!block)
        return;
    char *first_page = (char *)(((uintptr_t)block + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
    madvise(first_page, HEAP_START_BYTES - PAGE, MADV_POPULATE_WRITE);
    free(block);
}

/* End the process once everything is freed. _exit skips the C library's
 * exit work: the destructors of libstdc++, Xapian and the other shared
 * libraries, each run from a page of code touched for the first time (a
 * page fault apiece), some 0.1 to 0.2 ms of a query. Only stdout holds
 * buffered output. AddressSanitizer's leak check runs at exit: its builds
 * return instead. */
static int leave(int status)
{
#ifndef __SANITIZE_ADDRESS__
    fflush(stdout);
    _exit(status);
#endif
    return status;
}

int main(int argc, char **argv)
{
    options o;
    if (options_parse(argc, argv, &o, stderr) != 0)
        return 2;
    int status;
    if (o.help) {
        options_usage(stdout);
        status = 0;
    } else if (o.version) {
        printf("kensaku %s (Xapian %s)\n", KENSAKU_VERSION, shim_xapian_version());
        status = 0;
    } else if (o.batch && o.n_words) {
        fprintf(stderr, "kensaku: --batch reads the queries from stdin: give no QUERY arguments\n");
        status = 2;
    } else if (!o.batch && o.n_words == 0) {
        fprintf(stderr, "kensaku: no query given\n");
        options_usage(stderr);
        status = 2;
    } else {
        prefault_heap();
        if (!isatty(STDOUT_FILENO))
            setvbuf(stdout, NULL, _IOFBF, 1 << 16);
        status = run(&o);
    }
    options_free(&o);
    return leave(status);
}
