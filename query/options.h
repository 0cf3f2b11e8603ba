/* options.h — kensaku's command line (the contract is in DESIGN.md).
 *
 * Options may stand anywhere among the query words; after "--" nothing is an
 * option. An argument that looks like an option but is none ("-Stockholm")
 * is an error with a hint, never silently a query word.
 */
#ifndef KENSAKU_QUERY_OPTIONS_H
#define KENSAKU_QUERY_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_mode;

typedef enum output_format {
    OUTPUT_HUMAN,   /* path:line: header, score, snippet */
    OUTPUT_JSON,    /* JSON Lines */
    OUTPUT_FILES,   /* -l: paths only */
    OUTPUT_COUNT    /* -c: the number of matching files */
} output_format;

typedef struct options {
    const char *db;            /* --db, or NULL */
    uint32_t limit;            /* -n */
    uint32_t offset;
    uint32_t per_file;         /* 0 = no limit */
    bool any;
    bool literal;
    bool batch;
    bool null;                 /* -0 */
    output_format format;
    color_mode color;
    size_t snippet_chars;
    double bm25_k1, bm25_b;    /* --bm25 K1,B; negative: the built-in defaults */
    bool help, version;
    char **words;              /* the query arguments, in order (borrowed from argv) */
    size_t n_words;
} options;

#define OPTIONS_DEFAULT_LIMIT 10
#define OPTIONS_DEFAULT_SNIPPET_CHARS 200

/* Parse ARGV into *OUT. Returns 0, or -1 after printing a message (with a
 * hint where one helps) to ERR. OUT->words must be freed with options_free. */
int options_parse(int argc, char **argv, options *out, FILE *err);

void options_free(options *o);

/* The --help text. */
void options_usage(FILE *out);

#endif
