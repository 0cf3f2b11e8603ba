/* batch.c — many queries over one open database (see batch.h). */
#include "query/batch.h"

#include <stdlib.h>
#include <string.h>

#include "query/report.h"

/* Split LINE into its id (before the first TAB) and query; without a TAB the
 * id is the line number. */
static void split_line(char *line, unsigned long number, char *number_text, size_t size,
                       const char **id, char **query)
{
    char *tab = strchr(line, '\t');
    if (tab) {
        *tab = '\0';
        *id = line;
        *query = tab + 1;
    } else {
        snprintf(number_text, size, "%lu", number);
        *id = number_text;
        *query = line;
    }
}

static bool blank(const char *text)
{
    for (; *text; text++)
        if (*text != ' ' && *text != '\t')
            return false;
    return true;
}

int batch_run(searcher *s, const search_options *so, const render_options *ro, FILE *in,
              FILE *out, FILE *err)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    unsigned long number = 0;
    bool found = false, failed = false;
    while ((got = getline(&line, &cap, in)) >= 0) {
        number++;
        size_t len = (size_t)got;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (blank(line))
            continue;
        char number_text[24];
        const char *id;
        char *query;
        split_line(line, number, number_text, sizeof number_text, &id, &query);
        search_result result;
        search_error error;
        size_t query_len = strlen(query);
        search_failure failure = searcher_run(s, query, query_len, so, &result, &error);
        if (failure == SEARCH_OK) {
            found |= result.total > 0 || result.n_hits > 0;
            if (result.total == 0 && result.suggestion && ro->format != OUTPUT_JSON)
                fprintf(err, "kensaku: query %s: nothing found; did you mean: %s\n", id,
                        result.suggestion);
            render_result(out, ro, id, &result);
            search_result_free(&result);
        } else {
            failed = true;
            render_failure(out, ro, id,
                           report_failure(err, id, query, query_len, failure, &error));
            search_error_free(&error);
        }
        fflush(out);
    }
    free(line);
    if (ferror(in)) {
        fprintf(err, "kensaku: cannot read the queries from stdin\n");
        return 2;
    }
    return found ? 0 : failed ? 2 : 1;
}
