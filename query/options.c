/* options.c — parse kensaku's command line by hand, so that errors can say
 * exactly what went wrong (and "-Stockholm" can get a hint about "--"). */
#include "query/options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void options_usage(FILE *out)
{
    fputs(
        "usage: kensaku [--db PATH] [OPTIONS] [--] QUERY...\n"
        "Search the files kensaku-index has indexed; print the best passages, matches highlighted.\n"
        "\n"
        "Query language (the QUERY arguments are joined with spaces):\n"
        "  word word      files holding every word (stemmed: abduction finds abducted)\n"
        "  \"a phrase\"     the exact words in a row, within one passage\n"
        "  a OR b         either; AND, NOT and parentheses as usual (operators in capitals)\n"
        "  +word -word    must hold / must not hold (anywhere in the file)\n"
        "  a NEAR b       within 10 words in one passage; NEAR/n within n words\n"
        "  prefix*        words starting with prefix\n"
        "  path:DIR  ext:md  after:2024-01-01  before:2024-12-31   filters\n"
        "\n"
        "Options:\n"
        "  -n, --limit N         hits to show (default 10)\n"
        "      --offset N        skip the first N hits\n"
        "      --any             rank files matching any word (default: all words, per file)\n"
        "      --per-file N      passages per file (default 1; 0 = no limit)\n"
        "      --json            JSON Lines: one object per hit, then a summary object\n"
        "  -l, --files           file paths only, best first\n"
        "  -0, --null            NUL-separated paths (implies -l)\n"
        "  -c, --count           print the exact number of matching files\n"
        "      --batch           queries from stdin, one per line: QUERY or ID<TAB>QUERY\n"
        "      --literal         plain words only, no operators (for user input in scripts)\n"
        "      --snippet-chars N snippet length limit in characters (default 200)\n"
        "      --color=WHEN      auto, always or never (NO_COLOR is respected)\n"
        "      --bm25 K1,B       BM25 parameters (for relevance experiments)\n"
        "      --db PATH         the database (default $KENSAKU_DB, else\n"
        "                        $XDG_DATA_HOME/kensaku/db, i.e. ~/.local/share/kensaku/db)\n"
        "  -h, --help            this help        -V, --version   the version\n"
        "\n"
        "Exit status: 0 something found, 1 nothing found, 2 error.\n",
        out);
}

void options_free(options *o)
{
    free(o->words);
    o->words = NULL;
    o->n_words = 0;
}

/* An unsigned number from TEXT for OPTION, at most MAX. */
static bool parse_count(const char *text, const char *option, unsigned long max,
                        unsigned long *value, FILE *err)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = text && *text && *text != '-' ? strtoul(text, &end, 10) : 0;
    if (!text || !*text || *text == '-' || errno || *end || v > max) {
        fprintf(err, "kensaku: %s needs a whole number from 0 to %lu, not '%s'\n", option, max,
                text ? text : "");
        return false;
    }
    *value = v;
    return true;
}

static bool parse_bm25(const char *text, options *o, FILE *err)
{
    char *end = NULL;
    double k1 = strtod(text, &end);
    if (end == text || *end != ',') {
        fprintf(err, "kensaku: --bm25 needs K1,B (e.g. 1.2,0.75), not '%s'\n", text);
        return false;
    }
    const char *rest = end + 1;
    double b = strtod(rest, &end);
    if (end == rest || *end || !(k1 >= 0) || !(b >= 0 && b <= 1)) {
        fprintf(err, "kensaku: --bm25 needs K1 >= 0 and 0 <= B <= 1, not '%s'\n", text);
        return false;
    }
    o->bm25_k1 = k1;
    o->bm25_b = b;
    return true;
}

static bool set_format(options *o, output_format format, const char *name, FILE *err)
{
    if (o->format != OUTPUT_HUMAN && o->format != format) {
        fprintf(err, "kensaku: %s cannot be combined with another output format "
                     "(--json, -l, -c: choose one)\n", name);
        return false;
    }
    o->format = format;
    return true;
}

static bool set_color(options *o, const char *when, FILE *err)
{
    if (!when || strcmp(when, "always") == 0)
        o->color = COLOR_ALWAYS;
    else if (strcmp(when, "auto") == 0)
        o->color = COLOR_AUTO;
    else if (strcmp(when, "never") == 0)
        o->color = COLOR_NEVER;
    else {
        fprintf(err, "kensaku: --color takes auto, always or never, not '%s'\n", when);
        return false;
    }
    return true;
}

typedef enum long_kind {
    L_FLAG,      /* no value */
    L_VALUE,     /* a value: --name VALUE or --name=VALUE */
    L_OPTIONAL   /* a value only as --name=VALUE */
} long_kind;

typedef struct long_option {
    const char *name;
    long_kind kind;
    int id;
} long_option;

enum {
    O_DB, O_LIMIT, O_OFFSET, O_ANY, O_ALL, O_PER_FILE, O_JSON, O_FILES, O_NULL, O_COUNT,
    O_BATCH, O_LITERAL, O_SNIPPET, O_COLOR, O_BM25, O_HELP, O_VERSION
};

static const long_option long_options[] = {
    {"db", L_VALUE, O_DB},           {"limit", L_VALUE, O_LIMIT},
    {"offset", L_VALUE, O_OFFSET},   {"any", L_FLAG, O_ANY},
    {"all", L_FLAG, O_ALL},          {"per-file", L_VALUE, O_PER_FILE},
    {"json", L_FLAG, O_JSON},        {"files", L_FLAG, O_FILES},
    {"null", L_FLAG, O_NULL},        {"count", L_FLAG, O_COUNT},
    {"batch", L_FLAG, O_BATCH},      {"literal", L_FLAG, O_LITERAL},
    {"snippet-chars", L_VALUE, O_SNIPPET}, {"color", L_OPTIONAL, O_COLOR},
    {"colour", L_OPTIONAL, O_COLOR}, {"bm25", L_VALUE, O_BM25},
    {"help", L_FLAG, O_HELP},        {"version", L_FLAG, O_VERSION},
};

/* Apply option ID with VALUE (NULL for flags). */
static bool apply(options *o, int id, const char *name, const char *value, FILE *err)
{
    unsigned long n;
    switch (id) {
    case O_DB: o->db = value; return true;
    case O_LIMIT:
        if (!parse_count(value, name, 1000000, &n, err)) return false;
        o->limit = (uint32_t)n;
        return true;
    case O_OFFSET:
        if (!parse_count(value, name, 100000000, &n, err)) return false;
        o->offset = (uint32_t)n;
        return true;
    case O_PER_FILE:
        if (!parse_count(value, name, 1000000, &n, err)) return false;
        o->per_file = (uint32_t)n;
        return true;
    case O_SNIPPET:
        if (!parse_count(value, name, 1000000, &n, err)) return false;
        if (n == 0) {
            fprintf(err, "kensaku: %s needs at least 1 character\n", name);
            return false;
        }
        o->snippet_chars = n;
        return true;
    case O_ANY: o->any = true; return true;
    case O_ALL: o->any = false; return true;
    case O_JSON: return set_format(o, OUTPUT_JSON, "--json", err);
    case O_FILES: return set_format(o, OUTPUT_FILES, "-l/--files", err);
    case O_NULL: o->null = true; return set_format(o, OUTPUT_FILES, "-0/--null", err);
    case O_COUNT: return set_format(o, OUTPUT_COUNT, "-c/--count", err);
    case O_BATCH: o->batch = true; return true;
    case O_LITERAL: o->literal = true; return true;
    case O_COLOR: return set_color(o, value, err);
    case O_BM25: return parse_bm25(value, o, err);
    case O_HELP: o->help = true; return true;
    case O_VERSION: o->version = true; return true;
    }
    return false;
}

/* A long option at ARGV[*I] ("--name" or "--name=value"). */
static bool parse_long(int argc, char **argv, int *i, options *o, FILE *err)
{
    const char *arg = argv[*i] + 2;
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    for (size_t k = 0; k < sizeof long_options / sizeof long_options[0]; k++) {
        const long_option *lo = &long_options[k];
        if (strlen(lo->name) != len || strncmp(lo->name, arg, len) != 0)
            continue;
        const char *value = eq ? eq + 1 : NULL;
        if (lo->kind == L_FLAG && value) {
            fprintf(err, "kensaku: --%s takes no value\n", lo->name);
            return false;
        }
        if (lo->kind == L_VALUE && !value) {
            if (*i + 1 >= argc) {
                fprintf(err, "kensaku: --%s needs a value\n", lo->name);
                return false;
            }
            value = argv[++*i];
        }
        char name[32];
        snprintf(name, sizeof name, "--%s", lo->name);
        return apply(o, lo->id, name, value, err);
    }
    fprintf(err, "kensaku: unknown option '%s' (see kensaku --help)\n", argv[*i]);
    return false;
}

/* The hint for "-word": it was meant as a query word, most likely. */
static void hint_minus_word(const char *arg, FILE *err)
{
    fprintf(err,
            "kensaku: unknown option '%s'\n"
            "  to exclude the word '%s', put the query after --:  kensaku [OPTIONS] -- ... %s\n"
            "  or give the query as one quoted argument:          kensaku '... %s'\n",
            arg, arg + 1, arg, arg);
}

/* Is ARG a well-formed cluster of short options? */
static bool valid_cluster(const char *arg)
{
    for (size_t k = 1; arg[k]; k++) {
        if (arg[k] == 'n') {
            for (size_t d = k + 1; arg[d]; d++)
                if (arg[d] < '0' || arg[d] > '9')
                    return false;
            return true;
        }
        if (!strchr("l0chV", arg[k]))
            return false;
    }
    return true;
}

/* A cluster of short options at ARGV[*I] ("-l", "-lc", "-n5", "-n 5"). */
static bool parse_short(int argc, char **argv, int *i, options *o, FILE *err)
{
    const char *arg = argv[*i];
    if (!valid_cluster(arg) && strlen(arg) > 2) {
        hint_minus_word(arg, err);
        return false;
    }
    for (size_t k = 1; arg[k]; k++) {
        char name[3] = {'-', arg[k], '\0'};
        switch (arg[k]) {
        case 'l': if (!apply(o, O_FILES, name, NULL, err)) return false; break;
        case '0': if (!apply(o, O_NULL, name, NULL, err)) return false; break;
        case 'c': if (!apply(o, O_COUNT, name, NULL, err)) return false; break;
        case 'h': o->help = true; break;
        case 'V': o->version = true; break;
        case 'n': {
            const char *value = arg[k + 1] ? arg + k + 1 : NULL;
            if (!value) {
                if (*i + 1 >= argc) {
                    fprintf(err, "kensaku: -n needs a number\n");
                    return false;
                }
                value = argv[++*i];
            }
            return apply(o, O_LIMIT, "-n", value, err);
        }
        default:
            fprintf(err, "kensaku: unknown option '-%c' (see kensaku --help)\n", arg[k]);
            return false;
        }
    }
    return true;
}

int options_parse(int argc, char **argv, options *o, FILE *err)
{
    memset(o, 0, sizeof *o);
    o->limit = OPTIONS_DEFAULT_LIMIT;
    o->per_file = 1;
    o->snippet_chars = OPTIONS_DEFAULT_SNIPPET_CHARS;
    o->bm25_k1 = o->bm25_b = -1;
    o->words = calloc(argc > 0 ? (size_t)argc : 1, sizeof *o->words);
    if (!o->words) {
        fprintf(err, "kensaku: out of memory\n");
        return -1;
    }
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool ok = true;
        if (options_done || arg[0] != '-' || arg[1] == '\0')
            o->words[o->n_words++] = argv[i];
        else if (strcmp(arg, "--") == 0)
            options_done = true;
        else if (arg[1] == '-')
            ok = parse_long(argc, argv, &i, o, err);
        else
            ok = parse_short(argc, argv, &i, o, err);
        if (!ok) {
            options_free(o);
            return -1;
        }
    }
    return 0;
}
