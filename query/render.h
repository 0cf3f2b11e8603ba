/* render.h — print a query's results: for people (colour on a terminal,
 * plain when piped), as JSON Lines, as paths (-l, -0) or as a count (-c).
 */
#ifndef KENSAKU_QUERY_RENDER_H
#define KENSAKU_QUERY_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "query/options.h"
#include "query/search.h"

typedef struct render_options {
    output_format format;
    bool null;          /* -0: paths end with NUL */
    bool color;         /* ANSI colours in human output */
    bool batch;         /* results are tagged with the query id */
    uint32_t offset;    /* ranks start after it */
} render_options;

/* Should human output be coloured? MODE from --color, STREAM the output. */
bool render_use_color(color_mode mode, FILE *stream);

/* Print RESULT's hits, then its summary where the format has one. ID is the
 * batch query id (NULL outside batch mode). Returns false on a write error. */
bool render_result(FILE *out, const render_options *ro, const char *id,
                   const search_result *result);

/* The summary of a query that failed in batch mode (which keeps going): a
 * JSON summary object with "error"; nothing in the other formats, whose
 * errors go to stderr only. */
bool render_failure(FILE *out, const render_options *ro, const char *id, const char *message);

#endif
