/* search.c — run a query against the database (see search.h): parse, plan,
 * find the answer, suggest a spelling when there is none, and run it all
 * again when the database changed under the reader.
 *
 * Matching is per file, ranking per passage. Three ways to an answer:
 *
 * - direct: when a passage matches the plan's direct query exactly when its
 *   file matches the query (one word, a phrase, OR-ed leaves, filters), its
 *   ranking is the answer (rank.c, RANK_ALL).
 * - verified: otherwise, the passages matching any positive leaf are ranked
 *   and each page of candidate files is checked against the boolean tree,
 *   leaf by leaf, among those files only (RANK_VERIFIED). This finds the top
 *   N without visiting every matching file, when the exact way would be
 *   costly and no exact total is wanted.
 * - exact: each leaf's set of files is computed over the whole index and the
 *   sets combined (fileset.c); then the passages of the accepted files are
 *   ranked (RANK_CANDIDATES), Xapian seeing only those passages through a
 *   filter of their ids. Used for exact totals (-c, JSON), and when
 *   verification would have to look at too many candidates.
 *
 * An exact total for a direct query counts the files of every passage it
 * matches: one term's from its posting list; others' (phrases, say) from
 * the same search that ranks them, so that their matching is done once.
 */
#include "query/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "query/fileset.h"
#include "query/rank.h"
#include "query/run.h"

/* Runs of one query when the database keeps changing under it. */
#define MAX_ATTEMPTS 5
/* BM25 over passages, chosen on Cranfield (../shared/eval, top 100 per
 * query with --any, MAP by score.py; plan.c adds the exact-form bonus):
 *   k1 1.0 b 0.5 (Xapian's defaults) 0.2796 · k1 1.2 b 0.75 0.2862 (0.2890
 *   with the bonus) · k1 2.0 b 0.75 0.2934 (0.2963) · k1 2.5 b 0.75 0.2951
 *   (0.2985) · k1 3.0 b 0.75 0.3004 with the bonus · b 0.5 or 0.9 is worse
 *   at every k1. The plateau is k1 2 to 3 with b 0.7 to 0.8: the middle
 *   is taken. (SQLite FTS5's baseline: 0.2947; Xapian's BM25: 0.2781.) */
#define DEFAULT_K1 2.5
#define DEFAULT_B 0.75
/* Spelling corrections: at most this many edits away. */
#define SPELLING_DISTANCE 2
/* The least number of passages the exact way would have to map to their
 * files for verification to be tried first (below, exact is cheap enough). */
#define VERIFY_MIN_PASSAGES 3000

void search_options_default(search_options *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 10;
    o->per_file = 1;
    o->snippet_chars = 200;
    o->bm25_k1 = o->bm25_b = -1;
    o->timed = true;
}

searcher *searcher_new(database *db, bool many)
{
    searcher *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->db = db;
    s->cwd = getcwd(NULL, 0); /* NULL is fine: relative paths then start at "/" */
    s->many = many;
    s->map.prefer_table = many;
    return s;
}

void searcher_free(searcher *s)
{
    if (!s)
        return;
    snippet_maker_free(s->maker);
    filemap_reset(&s->map);
    free(s->cwd);
    free(s);
}

void run_hit_free(search_hit *hit)
{
    free(hit->data);
    free(hit->snippet);
    free(hit->spans);
    memset(hit, 0, sizeof *hit);
}

void search_result_free(search_result *r)
{
    for (size_t i = 0; i < r->n_hits; i++)
        run_hit_free(&r->hits[i]);
    free(r->hits);
    free(r->suggestion);
    memset(r, 0, sizeof *r);
}

void search_error_free(search_error *e)
{
    free(e->message);
    e->message = NULL;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ------------------------------------------------------------- one run */

shim_status run_fail(run *x, shim_status status, const char *what)
{
    if (status != SHIM_MODIFIED && !x->message) {
        const char *detail = shim_db_last_error(x->db);
        if (asprintf(&x->message, "%s: %s%s%s", what, shim_status_string(status),
                     *detail ? ": " : "", detail) < 0)
            x->message = NULL;
    }
    return status;
}

void run_search_options(const run *x, shim_search_options *so)
{
    shim_search_options_init(so);
    so->bm25.k1 = x->o->bm25_k1 >= 0 ? x->o->bm25_k1 : DEFAULT_K1;
    so->bm25.b = x->o->bm25_b >= 0 ? x->o->bm25_b : DEFAULT_B;
    so->bm25.k2 = 0;
    so->bm25.k3 = 1;
    so->bm25.min_normlen = 0.5;
    so->lengths_in_memory = x->s->many;
}

/* --------------------------------------------------------- suggestion */

/* "Did you mean": the query with each word the spelling data knows a
 * better-attested neighbour of replaced by it. */
static shim_status suggest(run *x, const char *query, size_t len)
{
    plan *p = x->p;
    char *out = NULL;
    size_t out_len = 0, copied = 0;
    FILE *f = NULL;
    shim_status status = SHIM_OK;
    for (size_t i = 0; i < p->n_words && status == SHIM_OK; i++) {
        char *better = NULL;
        status = shim_db_spelling_suggestion(x->db, p->words[i].normalised, SPELLING_DISTANCE,
                                             &better);
        if (status == SHIM_NOT_FOUND || (status == SHIM_OK && !better)) {
            status = SHIM_OK;
            continue;
        }
        if (status == SHIM_OK && strcmp(better, p->words[i].normalised) != 0 &&
            p->words[i].offset >= copied) {
            if (!f && !(f = open_memstream(&out, &out_len)))
                status = SHIM_NO_MEMORY;
            else {
                fwrite(query + copied, 1, p->words[i].offset - copied, f);
                fputs(better, f);
                copied = p->words[i].offset + p->words[i].len;
            }
        }
        free(better);
    }
    if (f) {
        fwrite(query + copied, 1, len - copied, f);
        fclose(f);
    }
    if (status == SHIM_OK && copied > 0)
        x->r->suggestion = out;
    else
        free(out);
    return status == SHIM_OK ? SHIM_OK : run_fail(x, status, "cannot read spelling data");
}

/* ------------------------------------------------------------ the run */

static shim_status run_direct(run *x)
{
    const plan *p = x->p;
    bool single_term = p->n_leaves == 1 && p->leaves[0].single_term && !p->leaves[0].filter;
    /* One term's files are listed from its posting list, without matching. */
    if (x->o->exact_total && !x->o->count_only && !single_term)
        return rank_every_match(x, p->direct);
    shim_status status = SHIM_OK;
    if (x->o->exact_total || x->o->count_only)
        status = fileset_count_direct(x);
    bool done = true;
    if (status == SHIM_OK && !x->o->count_only)
        status = rank_pages(x, x->p->direct, RANK_ALL, NULL, UINT32_MAX, &done);
    return status;
}

static shim_status run_exact(run *x)
{
    keyset files = KEYSET_INIT;
    x->keep = true;
    shim_status status = fileset_evaluate(x, x->p->root, NULL, &files);
    x->r->total = files.n;
    x->r->total_exact = true;
    if (status == SHIM_OK && files.n > 0 && !x->o->count_only) {
        /* A file accepted without any positive leaf (a filter, a pure
         * negation) has passages no leaf lists: let Xapian look at them all. */
        if (!plan_node_guarantees_positive(x->p, x->p->root))
            status = rank_with_decider(x, &files);
        else {
            bool done = true;
            shim_query *candidates = NULL;
            uint32_t n_passages = UINT32_MAX;
            status = fileset_candidates(x, &files);
            if (status == SHIM_OK)
                status = fileset_candidate_query(x, &files, x->p->rank, &candidates, &n_passages);
            if (status == SHIM_OK)
                status = rank_pages(x, candidates ? candidates : x->p->rank, RANK_CANDIDATES,
                                    &files, candidates ? n_passages : UINT32_MAX, &done);
            shim_query_free(candidates);
            if (status == SHIM_OK && !done)
                status = rank_with_decider(x, &files);
        }
    }
    keyset_free(&files);
    return status;
}

static shim_status run_once(run *x, const char *query, size_t len)
{
    shim_status status = shim_db_doc_count(x->db, &x->doc_count);
    if (status == SHIM_OK)
        status = shim_db_last_docid(x->db, &x->last_docid);
    if (status != SHIM_OK)
        return run_fail(x, status, "cannot read the database");
    if (x->doc_count > 0) {
        bool done = false;
        if (x->p->direct)
            status = run_direct(x);
        else {
            /* Verification finds files through their positive leaves only. */
            if (!x->o->exact_total && !x->o->count_only &&
                plan_node_guarantees_positive(x->p, x->p->root) &&
                fileset_exact_cost(x, x->p->root) >= VERIFY_MIN_PASSAGES)
                status = rank_pages(x, x->p->rank, RANK_VERIFIED, NULL, UINT32_MAX, &done);
            if (status == SHIM_OK && !done) {
                search_result_free(x->r);
                keytable_free(&x->files);
                status = run_exact(x);
            }
        }
    } else
        x->r->total_exact = true;
    if (status == SHIM_OK && x->r->total == 0 && x->r->n_hits == 0)
        status = suggest(x, query, len);
    return status;
}

/* ------------------------------------------------------------ the query */

static search_failure plain_failure(search_error *error, char *message)
{
    error->message = message ? message : strdup("out of memory");
    return SEARCH_ERROR;
}

static void run_free(run *x)
{
    for (size_t i = 0; x->found && i < x->p->n_leaves; i++)
        passages_free(&x->found[i]);
    free(x->found);
    x->found = NULL;
    free(x->estimates);
    x->estimates = NULL;
    x->keep = false;
    for (size_t i = 0; x->boolean && i < x->p->n_leaves; i++)
        shim_query_free(x->boolean[i]);
    free(x->boolean);
    x->boolean = NULL;
    keytable_free(&x->files);
}

search_failure searcher_run(searcher *s, const char *query, size_t len,
                            const search_options *options, search_result *result,
                            search_error *error)
{
    double start = options->timed ? now_ms() : 0;
    memset(result, 0, sizeof *result);
    memset(error, 0, sizeof *error);
    query_parse_options po = {options->any, options->literal};
    query_node *root = NULL;
    int rc = query_parse(query, len, &po, &root, &error->syntax);
    if (rc == -1)
        return SEARCH_SYNTAX;
    if (rc != 0)
        return plain_failure(error, NULL);

    plan p;
    char *message = NULL;
    plan_context context = {s->db->analyser, s->db->stemming, s->cwd, getenv("HOME")};
    rc = plan_build(&context, query, root, &p, &message);
    query_node_free(root);
    if (rc == 1)
        return SEARCH_EMPTY;
    if (rc != 0)
        return plain_failure(error, message);

    run x;
    memset(&x, 0, sizeof x);
    x.s = s;
    x.p = &p;
    x.o = options;
    x.r = result;
    x.db = s->db->db;
    shim_status status = SHIM_MODIFIED;
    for (unsigned attempt = 0; status == SHIM_MODIFIED && attempt < MAX_ATTEMPTS; attempt++) {
        if (attempt > 0) {
            search_result_free(result);
            run_free(&x);
            filemap_reset(&s->map);
            if ((status = shim_db_reopen(x.db)) != SHIM_OK)
                break;
        }
        x.boolean = calloc(p.n_leaves ? p.n_leaves : 1, sizeof *x.boolean);
        x.found = calloc(p.n_leaves ? p.n_leaves : 1, sizeof *x.found);
        x.estimates = calloc(p.n_leaves ? p.n_leaves : 1, sizeof *x.estimates);
        status = x.boolean && x.found && x.estimates ? run_once(&x, query, len) : SHIM_NO_MEMORY;
        result->attempts = attempt + 1;
    }
    run_free(&x);
    plan_free(&p);
    if (status != SHIM_OK) {
        search_result_free(result);
        if (status == SHIM_MODIFIED && !x.message &&
            asprintf(&x.message, "the database kept changing during %d attempts to search it",
                     MAX_ATTEMPTS) < 0)
            x.message = NULL;
        return plain_failure(error, x.message ? x.message : strdup(shim_status_string(status)));
    }
    free(x.message);
    result->ms = options->timed ? now_ms() - start : 0;
    return SEARCH_OK;
}
