/* bench_analyse.c — how fast text/ analyses a folder of documents on one core.
 *
 *   bench-analyse [--icu-only | --both] [--runs N] DIR...
 *
 * Reads every regular file under the folders (hidden entries left out, names
 * sorted, as the indexer walks), then decodes each with text_decode, splits it
 * with text_split_passages and analyses every passage with text_analyse, all
 * on one thread. With --icu-only it times just ICU's word break iterator
 * (utext_openUTF8, ubrk_next, rule status) over the same bytes: the floor our
 * own work is measured against. --both runs the two alternately and prints
 * the ratio, which stays meaningful on a machine shared with other work.
 * Prints one line per figure:
 *
 *   WHAT: N files, N MB, N tokens, N passages, N s CPU (N s wall), N MB/s
 *
 * The seconds are the analysing thread's CPU time, and MB/s is computed from
 * them: on a busy machine wall time also counts the waits for a core, which
 * is not the analyser's speed (wall time is printed beside it). Reading the
 * files is timed apart and not counted. With --runs N each figure is the best
 * (least CPU) of N runs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "text/analyse.h"
#include "text/decode.h"
#include "text/passages.h"

/* The file list, in walk order. */
typedef struct file_list {
    char **paths;
    size_t n, cap;
} file_list;

/* What one run counted. */
typedef struct totals {
    size_t files;
    size_t bytes;
    size_t tokens;
    size_t passages;
    double read_seconds;     /* reading files: excluded from the figure */
    double analyse_seconds;  /* wall time of the timed work */
    double cpu_seconds;      /* this thread's CPU time for the same work */
} totals;

/* The passages of one file, gathered before they are analysed (as the indexer does). */
typedef struct passage_list {
    text_passage *items;
    size_t n, cap;
} passage_list;

static double seconds_now(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static bool list_add(file_list *list, char *path)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 1024;
        char **grown = realloc(list->paths, cap * sizeof *grown);
        if (!grown) return false;
        list->paths = grown;
        list->cap = cap;
    }
    list->paths[list->n++] = path;
    return true;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The non-hidden entry names of DIR, sorted; NULL (and *n == 0) when empty. */
static char **sorted_entries(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "bench-analyse: %s: %s\n", dir, strerror(errno));
        return NULL;
    }
    file_list names = {0};
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        if (entry->d_name[0] == '.') continue;
        char *name = strdup(entry->d_name);
        if (!name || !list_add(&names, name)) {
            free(name);
            break;
        }
    }
    closedir(d);
    if (names.n > 1) qsort(names.paths, names.n, sizeof *names.paths, compare_names);
    *n = names.n;
    return names.paths;
}

/* Add the regular files under PATH to LIST, depth first, in name order. */
static void collect(const char *path, file_list *list)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "bench-analyse: %s: %s\n", path, strerror(errno));
        return;
    }
    if (S_ISREG(st.st_mode)) {
        char *copy = strdup(path);
        if (!copy || !list_add(list, copy)) free(copy);
        return;
    }
    if (!S_ISDIR(st.st_mode)) return;
    size_t n = 0;
    char **names = sorted_entries(path, &n);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *child = malloc(len);
        if (child) {
            snprintf(child, len, "%s/%s", path, names[i]);
            collect(child, list);
            free(child);
        }
        free(names[i]);
    }
    free(names);
}

/* The whole file at PATH; NULL (with a message) when it cannot be read. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench-analyse: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buffer = malloc(cap);
    while (buffer) {
        n += fread(buffer + n, 1, cap - n, f);
        if (n < cap) break;
        char *grown = realloc(buffer, cap * 2);
        if (!grown) {
            free(buffer);
            buffer = NULL;
            break;
        }
        buffer = grown;
        cap *= 2;
    }
    fclose(f);
    *len = n;
    return buffer;
}

static int count_token(void *context, const text_token *token)
{
    (void)token;
    ++*(size_t *)context;
    return 0;
}

static int gather_passage(void *context, const text_passage *passage)
{
    passage_list *list = context;
    if (list->n == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 64;
        text_passage *grown = realloc(list->items, cap * sizeof *grown);
        if (!grown) return 1;
        list->items = grown;
        list->cap = cap;
    }
    list->items[list->n++] = *passage;
    return 0;
}

/* Decode, split and analyse one file's bytes; false on an analysis error. */
static bool analyse_bytes(text_analyser *analyser, const char *bytes, size_t len,
                          passage_list *passages, totals *t)
{
    text_decoded decoded;
    if (text_decode(bytes, len, &decoded) != TEXT_OK) return false;
    passages->n = 0;
    text_status status = text_split_passages(analyser, decoded.utf8, decoded.len,
                                             gather_passage, passages);
    for (size_t i = 0; i < passages->n && status == TEXT_OK; i++) {
        const text_passage *p = &passages->items[i];
        status = text_analyse(analyser, decoded.utf8 + p->start, p->end - p->start, 1,
                              count_token, &t->tokens, NULL);
    }
    t->passages += passages->n;
    text_decoded_free(&decoded);
    return status == TEXT_OK;
}

/* ICU's word iterator alone over the same bytes: the tokens it would report. */
static bool icu_words(UBreakIterator *words, UText **ut, const char *bytes, size_t len,
                      totals *t)
{
    UErrorCode error = U_ZERO_ERROR;
    *ut = utext_openUTF8(*ut, bytes, (int64_t)len, &error);
    ubrk_setUText(words, *ut, &error);
    if (U_FAILURE(error)) return false;
    ubrk_first(words);
    while (ubrk_next(words) != UBRK_DONE)
        if (ubrk_getRuleStatus(words) >= UBRK_WORD_NONE_LIMIT) t->tokens++;
    return true;
}

/* Time the work over every file in LIST; false on the first failure. */
static bool run(const file_list *list, bool icu_only, totals *t)
{
    text_config config;
    text_config_default(&config);
    text_analyser *analyser = NULL;
    char *message = NULL;
    UErrorCode error = U_ZERO_ERROR;
    UBreakIterator *words = ubrk_open(UBRK_WORD, "", NULL, 0, &error);
    UText *ut = NULL;
    passage_list passages = {0};
    bool ok = U_SUCCESS(error);
    if (!icu_only && text_analyser_new(&config, &analyser, &message) != TEXT_OK) {
        fprintf(stderr, "bench-analyse: %s\n", message ? message : "cannot create the analyser");
        ok = false;
    }
    for (size_t i = 0; ok && i < list->n; i++) {
        double read_start = seconds_now(CLOCK_MONOTONIC);
        size_t len = 0;
        char *bytes = read_file(list->paths[i], &len);
        double start = seconds_now(CLOCK_MONOTONIC);
        t->read_seconds += start - read_start;
        if (!bytes) continue;
        double cpu_start = seconds_now(CLOCK_THREAD_CPUTIME_ID);
        ok = icu_only ? icu_words(words, &ut, bytes, len, t)
                      : analyse_bytes(analyser, bytes, len, &passages, t);
        t->cpu_seconds += seconds_now(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
        t->analyse_seconds += seconds_now(CLOCK_MONOTONIC) - start;
        if (!ok) fprintf(stderr, "bench-analyse: %s: analysis failed\n", list->paths[i]);
        t->files++;
        t->bytes += len;
        free(bytes);
    }
    free(passages.items);
    free(message);
    text_analyser_free(analyser);
    if (words) ubrk_close(words);
    utext_close(ut);
    return ok;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: bench-analyse [--icu-only | --both] [--runs N] DIR...\n"
                 "  Decode, split and analyse every file under DIR on one thread and print\n"
                 "  files, MB, tokens, passages, CPU seconds and MB/s (file reading excluded).\n"
                 "  --icu-only  time only ICU's word break iterator over the same bytes\n"
                 "  --both      time ICU alone and the analysis alternately; print the ratio\n"
                 "  --runs N    the best of N runs of each (default 1)\n");
}

/* The best (least CPU) of RUNS runs; false if any run failed. */
static bool best_of(const file_list *list, bool icu_only, int runs, totals *best)
{
    bool ok = true;
    for (int r = 0; r < runs && ok; r++) {
        totals t = {0};
        ok = run(list, icu_only, &t);
        if (r == 0 || t.cpu_seconds < best->cpu_seconds) *best = t;
    }
    return ok;
}

static double rate(const totals *t)
{
    return t->cpu_seconds > 0 ? (double)t->bytes / 1e6 / t->cpu_seconds : 0;
}

static void print_totals(const char *what, const totals *t)
{
    printf("%s: %zu files, %.1f MB, %zu tokens, %zu passages, %.3f s CPU (%.3f s wall, "
           "reading files %.3f s not counted), %.1f MB/s\n",
           what, t->files, (double)t->bytes / 1e6, t->tokens, t->passages, t->cpu_seconds,
           t->analyse_seconds, t->read_seconds, rate(t));
}

int main(int argc, char **argv)
{
    bool icu_only = false, both = false;
    int runs = 1;
    int first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (strcmp(argv[first], "--icu-only") == 0) {
            icu_only = true;
        } else if (strcmp(argv[first], "--both") == 0) {
            both = true;
        } else if (strcmp(argv[first], "--runs") == 0 && first + 1 < argc &&
                   (runs = atoi(argv[first + 1])) > 0) {
            first++;
        } else if (strcmp(argv[first], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[first], "--") == 0) {
            first++;
            break;
        } else {
            fprintf(stderr, "bench-analyse: bad option '%s'\n", argv[first]);
            usage(stderr);
            return 2;
        }
    }
    if (first == argc || (icu_only && both)) {
        usage(stderr);
        return 2;
    }
    file_list list = {0};
    for (int i = first; i < argc; i++) collect(argv[i], &list);

    totals ours = {0}, icu = {0};
    bool ok = list.n > 0;
    if (ok && (icu_only || both)) ok = best_of(&list, true, runs, &icu);
    if (ok && !icu_only) ok = best_of(&list, false, runs, &ours);
    if (ok && both) {
        /* ICU alone again after ours, keeping its better figure, so that a burst
         * of load from elsewhere does not favour either side. */
        totals again = {0};
        ok = best_of(&list, true, runs, &again);
        if (again.cpu_seconds < icu.cpu_seconds) icu = again;
    }
    if (ok && (icu_only || both)) print_totals("ICU word iterator only", &icu);
    if (ok && both)
        printf("ours / ICU-only: %.2f\n", rate(&icu) > 0 ? rate(&ours) / rate(&icu) : 0);
    /* Ours last: scripts take the last MB/s figure printed. */
    if (ok && !icu_only) print_totals("decode+split+analyse", &ours);
    if (list.n == 0) fprintf(stderr, "bench-analyse: no files to read\n");

    for (size_t i = 0; i < list.n; i++) free(list.paths[i]);
    free(list.paths);
    return ok ? 0 : 1;
}
