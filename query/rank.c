/* rank.c — which passages are shown (see rank.h).
 *
 * Passages are ranked by Xapian (BM25) but collapsed per file here, page by
 * page: Xapian's own collapse reads a file key for nearly every match, and
 * a page needs keys for its own hits only (from the candidate list, the key
 * table, or one value read each). Then each hit's passage data is read and
 * its snippet made.
 */
#include "query/rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/fileset.h"

/* Verification: how many candidate passages before giving up for the exact
 * way (a query whose top files mostly fail its NOT, say). */
#define VERIFY_MAX_CANDIDATES 200
/* Ranking pages: the first holds four times the hits asked for when every
 * passage ranked belongs to a matching file (files often have several
 * matching passages, and each further page is a new match: on kdoc's
 * one-word and phrase queries the larger first page saves about 5% of a
 * fresh process), eight times when the passages are those of the accepted
 * files (the filter lets Xapian skip the rest, so a page costs little more
 * than its heap), twice when each new file costs a verification. A page
 * takes all the passages left when there are at most twice as many. (On
 * kdoc's batch, a third of the several-word queries needed a second page
 * when the first held twice the hits; none do now: 2.6% fewer instructions
 * and 12% fewer block reads.) The next pages grow. Past CANDIDATE_SCAN
 * passages of files that do not match, ranking uses Xapian's match decider
 * on the file keys instead (it reads a key per passage). */
#define PAGE_MIN 20
#define PAGE_MAX 4096
#define CANDIDATE_SCAN 2000

/* Each highlight group's weight: the sum of its terms' BM25 idf. (The
 * weight bounds Xapian reports depend on how passages are spread over
 * shards; the snippet must not.) Groups without any (CJK bigrams, whose
 * terms carry no weight, and prefixes) get the mean. */
static shim_status set_group_weights(run *x, shim_search *search)
{
    plan *p = x->p;
    for (size_t g = 0; g < p->n_groups; g++)
        p->groups[g].weight = 0;
    double n = x->doc_count;
    for (size_t i = 0; i < p->n_weight_terms; i++) {
        uint32_t freq = 0;
        shim_status status = shim_search_term_freq(search, p->weight_terms[i], &freq);
        if (status != SHIM_OK)
            return run_fail(x, status, "cannot read term frequencies");
        if (freq == 0)
            continue;
        double idf = log((n - freq + 0.5) / (freq + 0.5));
        p->groups[p->weight_groups[i]].weight += idf > 0.1 ? idf : 0.1;
    }
    double sum = 0;
    size_t weighted = 0;
    for (size_t g = 0; g < p->n_groups; g++)
        if (p->groups[g].weight > 0) {
            sum += p->groups[g].weight;
            weighted++;
        }
    for (size_t g = 0; g < p->n_groups; g++)
        if (p->groups[g].weight <= 0)
            p->groups[g].weight = weighted ? sum / (double)weighted : 1.0;
    return SHIM_OK;
}

static shim_status make_snippet(run *x, search_hit *hit)
{
    searcher *s = x->s;
    if (!s->maker && !(s->maker = snippet_maker_new(s->db->analyser)))
        return run_fail(x, SHIM_NO_MEMORY, "cannot make snippets");
    snippet_query spec = {x->p->terms, x->p->n_terms, x->p->groups, x->p->n_groups};
    snippet snip;
    const char *why = NULL;
    if (snippet_make(s->maker, &spec, hit->record.text, hit->record.text_len,
                     x->o->snippet_chars, &snip, &why) != 0) {
        if (!x->message && asprintf(&x->message, "cannot make a snippet: %s", why) < 0)
            x->message = NULL;
        return SHIM_XAPIAN_ERROR;
    }
    hit->snippet = malloc(snip.len + 1);
    hit->spans = malloc(snip.n_spans ? 2 * snip.n_spans * sizeof *hit->spans : 1);
    if (!hit->snippet || !hit->spans)
        return run_fail(x, SHIM_NO_MEMORY, "cannot make snippets");
    memcpy(hit->snippet, snip.text, snip.len + 1);
    hit->snippet_len = snip.len;
    memcpy(hit->spans, snip.spans, 2 * snip.n_spans * sizeof *hit->spans);
    hit->n_spans = snip.n_spans;
    hit->line = hit->record.line + snip.lines_before;
    return SHIM_OK;
}

/* The snippets of the hits found by SEARCH (the last search of the ranking,
 * whose statistics give the terms' weights). */
static shim_status make_snippets(run *x, shim_search *search)
{
    if (x->o->files_only || x->r->n_hits == 0)
        return SHIM_OK;
    shim_status status = set_group_weights(x, search);
    if (status != SHIM_OK)
        return status;
    for (size_t i = 0; i < x->r->n_hits; i++) {
        status = make_snippet(x, &x->r->hits[i]);
        if (status != SHIM_OK)
            return status;
    }
    return SHIM_OK;
}

/* Read hit I of SEARCH into HIT; *OK false (and HIT empty) for data this
 * schema did not write. */
static shim_status read_hit(run *x, shim_search *search, uint32_t i, search_hit *hit, bool *ok)
{
    size_t len = 0;
    memset(hit, 0, sizeof *hit);
    shim_status status = shim_search_hit(search, i, NULL, &hit->score);
    if (status == SHIM_OK)
        status = shim_search_hit_data(search, i, &hit->data, &len);
    if (status != SHIM_OK)
        return run_fail(x, status, "cannot read a hit");
    *ok = schema_record_decode(hit->data, len, &hit->record);
    if (!*ok)
        run_hit_free(hit);
    else
        hit->line = hit->record.line;
    return SHIM_OK;
}

static shim_status add_hit(run *x, search_hit *hit)
{
    search_result *r = x->r;
    search_hit *grown = realloc(r->hits, (r->n_hits + 1) * sizeof *grown);
    if (!grown) {
        run_hit_free(hit);
        return run_fail(x, SHIM_NO_MEMORY, "cannot collect hits");
    }
    r->hits = grown;
    r->hits[r->n_hits++] = *hit;
    return SHIM_OK;
}

/* Passages per file in the answer (0: no limit). */
static uint32_t per_file(const run *x)
{
    return x->o->files_only ? 1 : x->o->per_file;
}

/* Rank QUERY's passages restricted to the files of ACCEPT by Xapian's match
 * decider, collapsed per file by Xapian: for when paging through the
 * candidates would take too long. */
shim_status rank_with_decider(run *x, const keyset *accept)
{
    search_result_free(x->r);
    x->r->total = accept->n;
    x->r->total_exact = true;
    shim_search_options so;
    run_search_options(x, &so);
    so.collapse_slot = per_file(x) ? SCHEMA_SLOT_FILE_KEY : SHIM_NO_SLOT;
    so.collapse_max = per_file(x) ? per_file(x) : 1;
    so.offset = x->o->offset;
    so.limit = x->o->limit;
    char *values = malloc(accept->n ? accept->n * SCHEMA_FILE_KEY_BYTES : 1);
    if (!values)
        return run_fail(x, SHIM_NO_MEMORY, "cannot rank");
    for (size_t i = 0; i < accept->n; i++)
        keyset_key_to_bytes(accept->items[i].key, values + i * SCHEMA_FILE_KEY_BYTES);
    so.accept_slot = SCHEMA_SLOT_FILE_KEY;
    so.accept_values = values;
    so.accept_value_len = SCHEMA_FILE_KEY_BYTES;
    so.accept_count = accept->n;
    shim_search *search = NULL;
    shim_status status = shim_search_run(x->db, x->p->rank, &so, &search);
    free(values);
    if (status != SHIM_OK)
        return run_fail(x, status, "cannot rank passages");
    uint32_t n = shim_search_size(search);
    for (uint32_t i = 0; i < n && status == SHIM_OK; i++) {
        search_hit hit;
        bool ok;
        status = read_hit(x, search, i, &hit, &ok);
        if (status == SHIM_OK && ok)
            status = add_hit(x, &hit);
    }
    if (status == SHIM_OK)
        status = make_snippets(x, search);
    shim_search_free(search);
    return status;
}

/* One page of candidate passages. */
typedef struct page {
    uint32_t n;
    uint32_t *docids;
    uint64_t *keys;
} page;

static void page_free(page *pg)
{
    free(pg->docids);
    free(pg->keys);
    memset(pg, 0, sizeof *pg);
}

/* The docids and file keys of SEARCH's hits: from the leaves' passages
 * among the ACCEPTED files, or the file map when it can tell, else one value
 * read per hit (a page is small). */
static shim_status read_page(run *x, shim_search *search, const keyset *accepted, page *pg)
{
    pg->n = shim_search_size(search);
    pg->docids = calloc(pg->n ? pg->n : 1, sizeof *pg->docids);
    pg->keys = calloc(pg->n ? pg->n : 1, sizeof *pg->keys);
    if (!pg->docids || !pg->keys)
        return run_fail(x, SHIM_NO_MEMORY, "cannot rank");
    shim_status status = SHIM_OK;
    if (!accepted)
        status = filemap_prepare(&x->s->map, x->db, x->doc_count, x->last_docid, 0);
    for (uint32_t i = 0; i < pg->n && status == SHIM_OK; i++) {
        status = shim_search_hit(search, i, &pg->docids[i], NULL);
        if (status != SHIM_OK)
            break;
        if (accepted || filemap_ready(&x->s->map)) {
            pg->keys[i] = accepted ? fileset_candidate_key(x, accepted, pg->docids[i])
                                   : filemap_lookup(&x->s->map, pg->docids[i]);
            continue;
        }
        char *value = NULL;
        size_t len = 0;
        status = shim_search_hit_value(search, i, SCHEMA_SLOT_FILE_KEY, &value, &len);
        if (status == SHIM_OK && len == SCHEMA_FILE_KEY_BYTES)
            pg->keys[i] = schema_file_key_number(value);
        free(value);
    }
    return status == SHIM_OK ? SHIM_OK : run_fail(x, status, "cannot read file keys");
}

/* Check the files of the page not judged yet against the query: the leaves
 * are searched among these files only. */
static shim_status verify_page(run *x, shim_search *search, const page *pg)
{
    keyset fresh = KEYSET_INIT, accepted = KEYSET_INIT;
    shim_status status = SHIM_OK;
    for (uint32_t i = 0; i < pg->n && status == SHIM_OK; i++) {
        if (!pg->keys[i])
            continue;
        keytable_entry *e = keytable_get(&x->files, pg->keys[i]);
        if (!e) {
            status = run_fail(x, SHIM_NO_MEMORY, "cannot rank");
            break;
        }
        if (e->verdict != FILE_UNKNOWN || e->file_term)
            continue; /* judged, or already listed for this page */
        /* The hit's own data gives the file term without another read. */
        char *data = NULL;
        size_t len = 0;
        schema_passage_record record;
        status = shim_search_hit_data(search, i, &data, &len);
        if (status == SHIM_OK) {
            bool ok = schema_record_decode(data, len, &record);
            status = fileset_note_file_term(x, e, ok ? record.path : "", ok ? record.path_len : 0);
        } else
            status = run_fail(x, status, "cannot read a hit");
        free(data);
        if (status == SHIM_OK && !keyset_add(&fresh, pg->keys[i], pg->docids[i]))
            status = run_fail(x, SHIM_NO_MEMORY, "cannot rank");
    }
    keyset_normalise(&fresh);
    if (status == SHIM_OK && fresh.n)
        status = fileset_evaluate(x, x->p->root, &fresh, &accepted);
    for (size_t i = 0; i < fresh.n && status == SHIM_OK; i++) {
        keytable_entry *e = keytable_get(&x->files, fresh.items[i].key);
        if (!e)
            status = run_fail(x, SHIM_NO_MEMORY, "cannot rank");
        else
            e->verdict = keyset_contains(&accepted, e->key) ? FILE_ACCEPTED : FILE_REJECTED;
    }
    keyset_free(&fresh);
    keyset_free(&accepted);
    return status;
}

/* Take the page's passages of matching files, in rank order: skip the
 * offset, keep at most per_file(x) per file, stop at the limit. */
static shim_status take_page(run *x, shim_search *search, const page *pg, rank_mode mode,
                             uint32_t *position, uint64_t *files_seen)
{
    for (uint32_t i = 0; i < pg->n; i++) {
        if (!pg->keys[i])
            continue;
        keytable_entry *e = keytable_get(&x->files, pg->keys[i]);
        if (!e)
            return run_fail(x, SHIM_NO_MEMORY, "cannot rank");
        bool match = mode != RANK_VERIFIED || e->verdict == FILE_ACCEPTED;
        if (!match || (per_file(x) && e->taken >= per_file(x)))
            continue;
        if (e->taken++ == 0)
            (*files_seen)++;
        if (++*position <= x->o->offset || x->r->n_hits >= x->o->limit)
            continue;
        search_hit hit;
        bool ok;
        shim_status status = read_hit(x, search, i, &hit, &ok);
        if (status == SHIM_OK && ok)
            status = add_hit(x, &hit);
        if (status != SHIM_OK)
            return status;
    }
    return SHIM_OK;
}

shim_status rank_every_match(run *x, const shim_query *query)
{
    shim_search *search = NULL;
    keyset files = KEYSET_INIT;
    passages found = {NULL, NULL, 0, false, false};
    shim_status status = fileset_every_match(x, query, &search, &files, &found);
    x->r->total = files.n;
    x->r->total_exact = true;
    keyset_free(&files);
    uint32_t n = status == SHIM_OK ? shim_search_size(search) : 0;
    page pg = {n, calloc(n ? n : 1, sizeof *pg.docids), calloc(n ? n : 1, sizeof *pg.keys)};
    if (status == SHIM_OK && (!pg.docids || !pg.keys))
        status = run_fail(x, SHIM_NO_MEMORY, "cannot rank passages");
    for (uint32_t i = 0; i < n && status == SHIM_OK; i++) {
        status = shim_search_hit(search, i, &pg.docids[i], NULL);
        if (status == SHIM_OK)
            pg.keys[i] = passages_key(&found, pg.docids[i]);
    }
    uint32_t position = 0;
    uint64_t files_seen = 0;
    if (status == SHIM_OK)
        status = take_page(x, search, &pg, RANK_ALL, &position, &files_seen);
    if (status == SHIM_OK)
        status = make_snippets(x, search);
    passages_free(&found);
    page_free(&pg);
    shim_search_free(search);
    return status == SHIM_OK ? SHIM_OK : run_fail(x, status, "cannot rank passages");
}

/* Rank QUERY's passages page by page, collapsing per file here rather than
 * in Xapian (whose collapse reads a file key for nearly every match), and
 * keep those of matching files (see rank_mode). *DONE is false when too many
 * candidates were rejected and another way should be taken. */
shim_status rank_pages(run *x, const shim_query *query, rank_mode mode, const keyset *accepted,
                       uint32_t most, bool *done)
{
    uint32_t want = x->o->offset + x->o->limit;
    uint32_t first = want * (mode == RANK_ALL ? 4 : mode == RANK_CANDIDATES ? 8 : 2);
    uint32_t size = first > PAGE_MIN ? first : PAGE_MIN;
    if (most / 2 <= size) /* a few more than a page: take them all at once */
        size = most > 0 ? most : 1;
    uint32_t start = 0, position = 0;
    uint64_t files_seen = 0;
    uint32_t scan_limit = mode == RANK_VERIFIED     ? VERIFY_MAX_CANDIDATES
                          : mode == RANK_CANDIDATES ? CANDIDATE_SCAN
                                                    : UINT32_MAX;
    shim_status status = SHIM_OK;
    shim_search *search = NULL; /* the current page's */
    *done = false;
    while (status == SHIM_OK && !*done) {
        if (start >= scan_limit)
            break;
        shim_search_options so;
        run_search_options(x, &so);
        so.offset = start;
        so.limit = size;
        shim_search_free(search);
        search = NULL;
        status = shim_search_run(x->db, query, &so, &search);
        if (status != SHIM_OK)
            return run_fail(x, status, "cannot rank passages");
        page pg = {0, NULL, NULL};
        status = read_page(x, search, mode == RANK_CANDIDATES ? accepted : NULL, &pg);
        if (status == SHIM_OK && mode == RANK_VERIFIED)
            status = verify_page(x, search, &pg);
        if (status == SHIM_OK)
            status = take_page(x, search, &pg, mode, &position, &files_seen);
        bool exhausted = pg.n < size || most - start <= size;
        page_free(&pg);
        start += size;
        /* Every page costs a new match: filtered modes, which may need to
         * look far, grow their pages faster. */
        size *= mode == RANK_ALL ? 2 : 4;
        if (size > PAGE_MAX)
            size = PAGE_MAX;
        *done = exhausted || x->r->n_hits >= x->o->limit;
        if (*done && !x->r->total_exact) {
            /* Every match was seen only when the ranking ran out. */
            x->r->total = files_seen;
            x->r->total_exact = exhausted;
        }
    }
    if (status == SHIM_OK && *done)
        status = make_snippets(x, search);
    shim_search_free(search);
    return status;
}

