/* report.c — messages for queries that cannot run. */
#include "query/report.h"

const char *report_failure(FILE *err, const char *id, const char *query, size_t len,
                           search_failure failure, const search_error *error)
{
    const char *prefix = id ? "kensaku: query " : "kensaku";
    const char *name = id ? id : "";
    switch (failure) {
    case SEARCH_SYNTAX:
        fprintf(err, "%s%s: syntax error in the query:\n", prefix, name);
        query_print_error(err, query, len, &error->syntax);
        return error->syntax.message;
    case SEARCH_EMPTY:
        fprintf(err, "%s%s: nothing to search for in the query (no words in it)\n", prefix, name);
        return "nothing to search for in the query";
    default:
        fprintf(err, "%s%s: %s\n", prefix, name, error->message ? error->message : "failed");
        return error->message ? error->message : "failed";
    }
}
