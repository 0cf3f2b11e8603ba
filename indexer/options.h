/* options.h — kensaku-index's command line, as DESIGN.md's contract has it.
 *
 *   kensaku-index [--db PATH] [OPTIONS] [PATH...]
 *
 * Paths are made absolute against the working directory (symbolic links are
 * not resolved). The database path comes from --db, else $KENSAKU_DB, else
 * $XDG_DATA_HOME/kensaku/db, else ~/.local/share/kensaku/db.
 */
#ifndef KENSAKU_INDEXER_OPTIONS_H
#define KENSAKU_INDEXER_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Files larger than this are skipped unless --max-size says otherwise: large
 * enough for any book or manual, small enough that a stray disk image or
 * log is not read whole. */
#define OPTIONS_DEFAULT_MAX_SIZE (64ull << 20)
/* The largest --max-size accepted. */
#define OPTIONS_MAX_MAX_SIZE (1ull << 40)

typedef struct index_options {
    char *db_path;            /* absolute */
    char **paths;             /* roots given on the command line, absolute */
    size_t n_paths;
    char **excludes;          /* --exclude globs, as given */
    size_t n_excludes;
    char **forget;            /* --forget roots, absolute */
    size_t n_forget;
    const char *lang;         /* --lang, or NULL */
    uint64_t max_size;        /* --max-size, or 0 when not given */
    unsigned jobs;            /* --jobs, or 0 when not given */
    double lock_timeout;      /* seconds */
    bool rebuild, no_delete, no_merge, retry_failed, status, json, quiet, verbose;
} index_options;

typedef enum options_result {
    OPTIONS_RUN,     /* go on with OPTIONS */
    OPTIONS_EXIT_OK, /* --help or --version was printed */
    OPTIONS_USAGE    /* a usage error was printed: exit 2 */
} options_result;

/* Parse ARGV into OPTIONS (freed with options_free). Help and version go to
 * OUT, errors to ERR. */
options_result options_parse(int argc, char **argv, index_options *options, FILE *out,
                             FILE *err);

void options_free(index_options *options);

/* The number of cores this process may use. */
unsigned options_cores(void);

#endif
