/* report.h — what a failed query tells the person who typed it. */
#ifndef KENSAKU_QUERY_REPORT_H
#define KENSAKU_QUERY_REPORT_H

#include <stdio.h>

#include "query/search.h"

/* Print FAILURE of QUERY (LEN bytes) to ERR: a syntax error with the query
 * and a caret under the column, or the message. ID (may be NULL) names the
 * query in batch mode. Returns the message for a JSON summary (static
 * storage or ERROR's, valid until ERROR is freed). */
const char *report_failure(FILE *err, const char *id, const char *query, size_t len,
                           search_failure failure, const search_error *error);

#endif
