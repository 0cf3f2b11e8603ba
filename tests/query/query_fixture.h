/* query_fixture.h — helpers shared by the query tests: an analyser with the
 * default configuration, a plan built from a query string without any
 * database, and snippets written out with [brackets] around highlights.
 */
#ifndef KENSAKU_TESTS_QUERY_FIXTURE_H
#define KENSAKU_TESTS_QUERY_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "query/plan.h"
#include "query/snippet.h"
#include "text/analyse.h"

/* The default analyser (english, accents folded); aborts the test on failure. */
text_analyser *fixture_analyser(void);

/* Parse and plan QUERY (with --any when ANY); aborts the test on failure. */
void fixture_plan(text_analyser *analyser, const char *query, bool any, plan *out);

/* The snippet of PASSAGE for QUERY within LIMIT characters, highlights in
 * [brackets]. Caller frees. */
char *fixture_snippet(const char *passage, const char *query, size_t limit);

/* The same with an explicit maker and plan, and the raw snippet too. */
char *fixture_mark(const snippet *s);

#endif
