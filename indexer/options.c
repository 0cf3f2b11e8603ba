/* options.c — command-line parsing; see options.h. */
#include "indexer/options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "indexer/paths.h"
#include "shim/shim.h"

#ifndef KENSAKU_VERSION
#define KENSAKU_VERSION "0"
#endif

enum {
    OPT_DB = 256,
    OPT_REBUILD,
    OPT_NO_DELETE,
    OPT_FORGET,
    OPT_LANG,
    OPT_EXCLUDE,
    OPT_MAX_SIZE,
    OPT_JOBS,
    OPT_NO_MERGE,
    OPT_LOCK_TIMEOUT,
    OPT_RETRY_FAILED,
    OPT_STATUS,
    OPT_JSON,
    OPT_QUIET,
    OPT_VERBOSE,
    OPT_HELP,
    OPT_VERSION
};

static const struct option long_options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"rebuild", no_argument, NULL, OPT_REBUILD},
    {"no-delete", no_argument, NULL, OPT_NO_DELETE},
    {"forget", required_argument, NULL, OPT_FORGET},
    {"lang", required_argument, NULL, OPT_LANG},
    {"exclude", required_argument, NULL, OPT_EXCLUDE},
    {"max-size", required_argument, NULL, OPT_MAX_SIZE},
    {"jobs", required_argument, NULL, OPT_JOBS},
    {"no-merge", no_argument, NULL, OPT_NO_MERGE},
    {"lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT},
    {"retry-failed", no_argument, NULL, OPT_RETRY_FAILED},
    {"status", no_argument, NULL, OPT_STATUS},
    {"json", no_argument, NULL, OPT_JSON},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"verbose", no_argument, NULL, OPT_VERBOSE},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0}};

static const char usage_text[] =
    "usage: kensaku-index [--db PATH] [OPTIONS] [PATH...]\n"
    "\n"
    "Index the files under each PATH (plain text of any kind, HTML, PDF, gzip) into a\n"
    "Xapian database, incrementally: only what changed is read again. The PATHs are\n"
    "remembered with their options; without PATH the remembered ones are re-indexed.\n"
    "\n"
    "  --db PATH             the database (default $KENSAKU_DB, else\n"
    "                        $XDG_DATA_HOME/kensaku/db, else ~/.local/share/kensaku/db)\n"
    "  --rebuild             start from an empty database (the old one stays readable\n"
    "                        until the new one is complete)\n"
    "  --no-delete           keep files that are gone from disk\n"
    "  --forget PATH         drop an indexed root and everything under it (repeatable)\n"
    "  --lang LANG           stemming language of a new database (default english;\n"
    "                        none = no stemming)\n"
    "  --exclude GLOB        skip matching paths below each root (repeatable): a glob\n"
    "                        without '/' matches names (*.log, node_modules), one with\n"
    "                        '/' the path below the root, one starting with '/' the\n"
    "                        absolute path\n"
    "  --max-size BYTES      skip larger files, and compressed files that decompress to\n"
    "                        more (K, M, G suffixes; default 64M)\n"
    "  --jobs N              analysis threads (default: all cores); a new database gets\n"
    "                        as many shards, written in parallel (at most 8), then\n"
    "                        merged into one compact database\n"
    "  --no-merge            keep a new database's shards as written (a faster build,\n"
    "                        a larger database, slower queries)\n"
    "  --lock-timeout SECS   wait this long for another indexer to finish (default 0)\n"
    "  --retry-failed        retry files that failed before although unchanged\n"
    "  --status              print what the database holds: roots, counts, last run,\n"
    "                        failures (with --json as one JSON object)\n"
    "  --json                print the final summary as one JSON object on stdout\n"
    "  --quiet               no summary line on stderr (errors only)\n"
    "  --verbose             report every file\n"
    "  --help, --version\n"
    "\n"
    "Hidden files and folders (.git, .hg, .svn, ...) are skipped below each root, and\n"
    "so is the database's own folder. Progress is shown only when stderr is a terminal.\n"
    "\n"
    "exit status: 0 done; 1 done, but some files failed in this run (listed on stderr);\n"
    "2 fatal error; 75 the database is locked by another indexer; 130 interrupted\n"
    "(work so far committed).\n"
    "summary keys: added updated removed unchanged failed skipped passages bytes seconds\n"
    "\n"
    "environment: KENSAKU_DB (the database), KENSAKU_COMMIT_MB (commit after this many\n"
    "megabytes of text, default 256; commits also happen every 30 seconds and at the end).\n";

unsigned options_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static bool append(char ***list, size_t *n, char *item)
{
    if (!item)
        return false;
    char **grown = realloc(*list, (*n + 1) * sizeof *grown);
    if (!grown) {
        free(item);
        return false;
    }
    grown[(*n)++] = item;
    *list = grown;
    return true;
}

/* "123", "64K", "64M", "1G" (binary multiples). */
static bool parse_size(const char *text, uint64_t *out)
{
    errno = 0;
    char *end = NULL;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno || end == text || text[0] == '-')
        return false;
    unsigned shift = 0;
    if (*end == 'k' || *end == 'K')
        shift = 10;
    else if (*end == 'm' || *end == 'M')
        shift = 20;
    else if (*end == 'g' || *end == 'G')
        shift = 30;
    else if (*end != '\0')
        return false;
    if (shift && end[1] != '\0' && strcmp(end + 1, "iB") != 0 && strcmp(end + 1, "B") != 0)
        return false;
    if (value == 0 || value > (OPTIONS_MAX_MAX_SIZE >> shift))
        return false;
    *out = (uint64_t)value << shift;
    return true;
}

static bool parse_unsigned(const char *text, unsigned max, unsigned *out)
{
    errno = 0;
    char *end = NULL;
    unsigned long value = strtoul(text, &end, 10);
    if (errno || end == text || *end || text[0] == '-' || value == 0 || value > max)
        return false;
    *out = (unsigned)value;
    return true;
}

static bool parse_seconds(const char *text, double *out)
{
    errno = 0;
    char *end = NULL;
    double value = strtod(text, &end);
    if (errno || end == text || *end || !isfinite(value) || value < 0 || value > 1e7)
        return false;
    *out = value;
    return true;
}

/* The database path when --db is not given. */
static char *default_db_path(const char *cwd)
{
    const char *env = getenv("KENSAKU_DB");
    if (env && *env)
        return path_absolute(env, cwd);
    char *joined = NULL;
    const char *data = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (data && data[0] == '/') {
        if (asprintf(&joined, "%s/kensaku/db", data) < 0)
            return NULL;
    } else if (home && *home) {
        if (asprintf(&joined, "%s/.local/share/kensaku/db", home) < 0)
            return NULL;
    } else {
        return NULL;
    }
    char *path = path_absolute(joined, cwd);
    free(joined);
    return path;
}

/* One option; false after printing a usage error. */
static bool apply_option(int c, const char *arg, const char *cwd, index_options *o, FILE *err)
{
    switch (c) {
    case OPT_DB:
        free(o->db_path);
        o->db_path = path_absolute(arg, cwd);
        return o->db_path != NULL;
    case OPT_REBUILD: o->rebuild = true; return true;
    case OPT_NO_DELETE: o->no_delete = true; return true;
    case OPT_NO_MERGE: o->no_merge = true; return true;
    case OPT_RETRY_FAILED: o->retry_failed = true; return true;
    case OPT_STATUS: o->status = true; return true;
    case OPT_JSON: o->json = true; return true;
    case OPT_QUIET: o->quiet = true; return true;
    case OPT_VERBOSE: o->verbose = true; return true;
    case OPT_FORGET: return append(&o->forget, &o->n_forget, path_absolute(arg, cwd));
    case OPT_EXCLUDE: return append(&o->excludes, &o->n_excludes, strdup(arg));
    case OPT_LANG: o->lang = arg; return true;
    case OPT_MAX_SIZE:
        if (parse_size(arg, &o->max_size))
            return true;
        fprintf(err, "kensaku-index: --max-size wants a size in bytes (1 .. 1T, K/M/G "
                     "suffixes allowed), not '%s'\n", arg);
        return false;
    case OPT_JOBS:
        if (parse_unsigned(arg, 1024, &o->jobs))
            return true;
        fprintf(err, "kensaku-index: --jobs wants a number from 1 to 1024, not '%s'\n", arg);
        return false;
    case OPT_LOCK_TIMEOUT:
        if (parse_seconds(arg, &o->lock_timeout))
            return true;
        fprintf(err, "kensaku-index: --lock-timeout wants seconds (0 or more), not '%s'\n",
                arg);
        return false;
    }
    return false;
}

static void unknown_option(int argc, char **argv, FILE *err)
{
    const char *bad = (optind > 0 && optind <= argc) ? argv[optind - 1] : "?";
    if (optopt && optopt < OPT_DB)
        fprintf(err, "kensaku-index: unknown option '-%c'\n", optopt);
    else if (optopt >= OPT_DB)
        fprintf(err, "kensaku-index: option '%s' needs a value\n", bad);
    else
        fprintf(err, "kensaku-index: unknown option '%s'\n", bad);
    fprintf(err, "Try 'kensaku-index --help'.\n");
}

options_result options_parse(int argc, char **argv, index_options *o, FILE *out, FILE *err)
{
    memset(o, 0, sizeof *o);
    char *cwd = path_cwd();
    if (!cwd) {
        fprintf(err, "kensaku-index: cannot read the working directory: %s\n", strerror(errno));
        return OPTIONS_USAGE;
    }
    options_result result = OPTIONS_RUN;
    opterr = 0;
    optind = 1;
    int c;
    while (result == OPTIONS_RUN && (c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        if (c == OPT_HELP) {
            fputs(usage_text, out);
            result = OPTIONS_EXIT_OK;
        } else if (c == OPT_VERSION) {
            fprintf(out, "kensaku-index %s (Xapian %s)\n", KENSAKU_VERSION,
                    shim_xapian_version());
            result = OPTIONS_EXIT_OK;
        } else if (c == '?' || c == ':') {
            unknown_option(argc, argv, err);
            result = OPTIONS_USAGE;
        } else if (!apply_option(c, optarg, cwd, o, err)) {
            result = OPTIONS_USAGE;
        }
    }
    for (int i = optind; result == OPTIONS_RUN && i < argc; i++)
        if (!append(&o->paths, &o->n_paths, path_absolute(argv[i], cwd)))
            result = OPTIONS_USAGE;
    if (result == OPTIONS_RUN && !o->db_path && !(o->db_path = default_db_path(cwd))) {
        fprintf(err, "kensaku-index: no database: give --db PATH or set KENSAKU_DB\n");
        result = OPTIONS_USAGE;
    }
    free(cwd);
    return result;
}

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void options_free(index_options *o)
{
    free(o->db_path);
    free_list(o->paths, o->n_paths);
    free_list(o->excludes, o->n_excludes);
    free_list(o->forget, o->n_forget);
    memset(o, 0, sizeof *o);
}
