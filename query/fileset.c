/* fileset.c — which files match a query (see fileset.h).
 *
 * A leaf's files are found by listing its passages (a term's posting list,
 * or a boolean search) and mapping each to its file key (filemap.c); when
 * only a handful of files are still possible, the leaf is searched among
 * their passages only, through their file terms. AND evaluates its rarest
 * part first and the others among the files left; NOT only among the files
 * it could remove.
 */
#include "query/fileset.h"

#include "query/array.h"

#include <stdlib.h>
#include <string.h>

/* A leaf restricted to at most this many files may be searched through
 * their file terms; beyond, over the whole index. Reading a file term (a
 * passage's data, for its path) and searching with it costs about as much as
 * FILE_TERM_COST value reads (measured on kdoc: ~100k instructions per file
 * against 1k to 4k per value). */
#define FILE_FILTER_MAX 32
#define FILE_TERM_COST 40

void passages_free(passages *p)
{
    free(p->docids);
    free(p->keys);
    memset(p, 0, sizeof *p);
}

/* The key of DOCID in P (0 if absent). */
uint64_t passages_key(const passages *p, uint32_t docid)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->docids[mid] < docid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->n && p->docids[lo] == docid ? p->keys[lo] : 0;
}

shim_status fileset_note_file_term(run *x, keytable_entry *e, const char *path, size_t path_len)
{
    if (e->file_term)
        return SHIM_OK;
    char xf[SCHEMA_TERM_MAX];
    size_t len = schema_path_term(SCHEMA_PREFIX_FILE, path, path_len, xf);
    if (!(e->file_term = strndup(xf, len)))
        return run_fail(x, SHIM_NO_MEMORY, "cannot match files");
    return SHIM_OK;
}

/* The file term (XF) of ENTRY's file, read from its passage's data unless
 * already known. */
static shim_status file_term(run *x, const keyset_entry *entry, const char **term)
{
    keytable_entry *e = keytable_get(&x->files, entry->key);
    if (!e)
        return run_fail(x, SHIM_NO_MEMORY, "cannot match files");
    if (!e->file_term) {
        char *data = NULL;
        size_t len = 0;
        shim_status status = shim_db_document_data(x->db, entry->docid, &data, &len);
        if (status != SHIM_OK)
            return run_fail(x, status, "cannot read a passage");
        schema_passage_record record;
        status = schema_record_decode(data, len, &record)
                     ? fileset_note_file_term(x, e, record.path, record.path_len)
                     : fileset_note_file_term(x, e, "", 0);
        free(data);
        if (status != SHIM_OK)
            return status;
    }
    *term = e->file_term;
    return SHIM_OK;
}

typedef struct docids {
    uint32_t *ids;
    size_t n, cap;
} docids;

static bool docids_add(docids *d, uint32_t id)
{
    if (!array_reserve(&d->ids, &d->cap, d->n + 1, sizeof *d->ids))
        return false;
    d->ids[d->n++] = id;
    return true;
}

static int compare_docid(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The passages of TERM (about ESTIMATE of them), in docid order. */
static shim_status postings(run *x, const char *term, uint64_t estimate, docids *out)
{
    shim_postlist *list = NULL;
    shim_status status = shim_db_postlist(x->db, term, &list);
    /* Room for the estimate and one more, so that the end is found without
     * growing (the estimate is the whole index's: past it, the room doubles). */
    size_t room = estimate < (1u << 24) ? (size_t)estimate + 1 : 1u << 24;
    if (status == SHIM_OK && !array_reserve(&out->ids, &out->cap, out->n + room, sizeof *out->ids))
        status = SHIM_NO_MEMORY;
    while (status == SHIM_OK) {
        size_t got = 0;
        if (!array_reserve(&out->ids, &out->cap, out->n + 1, sizeof *out->ids))
            status = SHIM_NO_MEMORY;
        else if ((status = shim_postlist_read(list, out->ids + out->n, out->cap - out->n,
                                              &got)) == SHIM_OK)
            out->n += got;
    }
    shim_postlist_free(list);
    return status == SHIM_END ? SHIM_OK : run_fail(x, status, "cannot read a posting list");
}

/* Every passage QUERY matches, in Xapian's order (by weight). */
static shim_status search_every_match(run *x, const shim_query *query, shim_search **search)
{
    shim_search_options so;
    run_search_options(x, &so);
    so.limit = x->doc_count;
    shim_status status = shim_search_run(x->db, query, &so, search);
    return status == SHIM_OK ? SHIM_OK : run_fail(x, status, "cannot match passages");
}

/* The passages of SEARCH's hits into OUT, in docid order. */
static shim_status hit_docids(run *x, shim_search *search, docids *out)
{
    shim_status status = SHIM_OK;
    uint32_t n = shim_search_size(search);
    for (uint32_t i = 0; i < n && status == SHIM_OK; i++) {
        uint32_t docid;
        status = shim_search_hit(search, i, &docid, NULL);
        if (status == SHIM_OK && !docids_add(out, docid))
            status = SHIM_NO_MEMORY;
    }
    if (status != SHIM_OK)
        return run_fail(x, status, "cannot match passages");
    if (out->n > 1)
        qsort(out->ids, out->n, sizeof *out->ids, compare_docid);
    return SHIM_OK;
}

/* The passages matching QUERY (weights ignored), in docid order. */
static shim_status matches(run *x, const shim_query *query, docids *out)
{
    shim_search *search = NULL;
    shim_status status = search_every_match(x, query, &search);
    if (status == SHIM_OK)
        status = hit_docids(x, search, out);
    shim_search_free(search);
    return status;
}

/* Build PROBE for SET when LOOKUPS membership tests will pay for it (a
 * table costs about a test per key of the set). False when out of memory. */
static bool probe_when_worth(keyprobe *probe, const keyset *set, size_t lookups)
{
    return lookups < 64 || set->n > 4 * lookups || keyprobe_build(probe, set);
}

/* Is KEY in SET? Through PROBE when it was built. */
static bool in_set(const keyset *set, const keyprobe *probe, uint64_t key)
{
    return probe->slots ? keyprobe_contains(probe, key) : keyset_contains(set, key);
}

/* The files of the passages IDS that are among WITHIN if it is not NULL
 * (IDS is taken over by KEEP when that is not NULL). */
static shim_status files_of(run *x, docids *ids, const keyset *within, keyset *out,
                            passages *keep)
{
    uint64_t *keys = malloc((ids->n ? ids->n : 1) * sizeof *keys);
    if (!keys)
        return run_fail(x, SHIM_NO_MEMORY, "cannot match files");
    shim_status status = filemap_keys(&x->s->map, x->db, x->doc_count, x->last_docid, ids->ids,
                                      ids->n, keys);
    keyprobe probe = KEYPROBE_INIT;
    if (status == SHIM_OK && within && !probe_when_worth(&probe, within, ids->n))
        status = SHIM_NO_MEMORY;
    /* Passages of one file mostly follow each other: skip repeats early. */
    for (size_t i = 0; i < ids->n && status == SHIM_OK; i++)
        if (keys[i] && (i == 0 || keys[i] != keys[i - 1]) &&
            (!within || in_set(within, &probe, keys[i])) &&
            !keyset_add(out, keys[i], ids->ids[i]))
            status = SHIM_NO_MEMORY;
    keyprobe_free(&probe);
    if (keep && status == SHIM_OK) {
        passages_free(keep);
        keep->docids = ids->ids;
        keep->keys = keys;
        keep->n = ids->n;
        keep->known = true;
        ids->ids = NULL;
    } else
        free(keys);
    keyset_normalise(out);
    return status == SHIM_OK ? SHIM_OK : run_fail(x, status, "cannot read file keys");
}

static shim_status boolean_leaf(run *x, size_t leaf, const shim_query **query)
{
    if (!x->boolean[leaf]) {
        shim_status status = shim_query_scale(x->p->leaves[leaf].query, 0.0, &x->boolean[leaf]);
        if (status != SHIM_OK)
            return run_fail(x, status, "cannot build the query");
    }
    *query = x->boolean[leaf];
    return SHIM_OK;
}

/* QUERY restricted to the files of SET, through an OR of their file terms. */
static shim_status restrict_query(run *x, const shim_query *query, const keyset *set,
                                  shim_query **out)
{
    shim_query **terms = calloc(set->n + 1, sizeof *terms);
    if (!terms)
        return run_fail(x, SHIM_NO_MEMORY, "cannot match files");
    shim_status status = SHIM_OK;
    size_t n = 0;
    for (size_t i = 0; i < set->n && status == SHIM_OK; i++) {
        const char *term = NULL;
        status = file_term(x, &set->items[i], &term);
        if (status == SHIM_OK && *term)
            status = shim_query_term(term, strlen(term), 1, 0, &terms[n++]);
    }
    shim_query *files = NULL;
    if (status == SHIM_OK)
        status = shim_query_combine(SHIM_QUERY_OR, terms, n, 0, &files);
    for (size_t i = 0; i < n; i++)
        shim_query_free(terms[i]);
    free(terms);
    shim_query *both[2] = {(shim_query *)query, files};
    if (status == SHIM_OK)
        status = shim_query_combine(SHIM_QUERY_FILTER, both, 2, 0, out);
    shim_query_free(files);
    return status == SHIM_OK ? SHIM_OK : run_fail(x, status, "cannot restrict a query");
}

/* The files having a passage matching QUERY (SINGLE_TERM: QUERY is just
 * that term; ESTIMATE: about how many passages match it), among RESTRICT_TO
 * when it is not NULL. A few files are best searched through their file
 * terms; otherwise the passages are listed and mapped to their files. */
static shim_status query_files(run *x, const shim_query *query, const char *single_term,
                               uint64_t estimate, const keyset *restrict_to, keyset *out,
                               passages *keep)
{
    if (restrict_to && restrict_to->n == 0)
        return SHIM_OK;
    /* With a table or runs, mapping a passage to its file costs next to
     * nothing: listing a term's passages beats searching file terms. */
    shim_status status = filemap_prepare(&x->s->map, x->db, x->doc_count, x->last_docid,
                                         (size_t)estimate);
    if (status != SHIM_OK)
        return run_fail(x, status, "cannot read file keys");
    bool narrow = false;
    if (restrict_to && restrict_to->n <= FILE_FILTER_MAX &&
        !(single_term && filemap_ready(&x->s->map))) {
        uint64_t unknown = 0; /* file terms still to be read */
        for (size_t i = 0; i < restrict_to->n; i++) {
            const keytable_entry *e = keytable_find(&x->files, restrict_to->items[i].key);
            unknown += !e || !e->file_term;
        }
        narrow = (unknown + restrict_to->n) * FILE_TERM_COST < estimate;
    }
    docids ids = {NULL, 0, 0};
    if (narrow) {
        shim_query *restricted = NULL;
        status = restrict_query(x, query, restrict_to, &restricted);
        if (status == SHIM_OK)
            status = matches(x, restricted, &ids);
        shim_query_free(restricted);
    } else if (single_term)
        status = postings(x, single_term, estimate, &ids);
    else
        status = matches(x, query, &ids);
    if (status == SHIM_OK)
        status = files_of(x, &ids, restrict_to, out, keep);
    if (status == SHIM_OK && keep)
        keep->complete = !narrow;
    free(ids.ids);
    return status;
}

static uint64_t leaf_estimate(run *x, const plan_leaf *leaf)
{
    uint64_t *known = &x->estimates[leaf - x->p->leaves];
    if (*known)
        return *known - 1;
    uint32_t freq = 0;
    uint64_t total = 0;
    uint64_t estimate = x->doc_count;
    if (leaf->estimate_term &&
        shim_db_term_freq(x->db, leaf->estimate_term, &freq, &total) == SHIM_OK)
        estimate = freq;
    *known = estimate + 1;
    return estimate;
}

static shim_status leaf_files(run *x, size_t leaf, const keyset *restrict_to, keyset *out)
{
    const plan_leaf *l = &x->p->leaves[leaf];
    const shim_query *query = NULL;
    shim_status status = boolean_leaf(x, leaf, &query);
    if (status != SHIM_OK)
        return status;
    passages *keep = x->keep && l->positive ? &x->found[leaf] : NULL;
    return query_files(x, query, l->single_term ? l->estimate_term : NULL, leaf_estimate(x, l),
                       restrict_to, out, keep);
}

static shim_status all_files(run *x, const keyset *restrict_to, keyset *out)
{
    if (restrict_to) { /* every file of the set, by definition */
        for (size_t i = 0; i < restrict_to->n; i++)
            if (!keyset_add(out, restrict_to->items[i].key, restrict_to->items[i].docid))
                return run_fail(x, SHIM_NO_MEMORY, "cannot match files");
        return SHIM_OK;
    }
    shim_query *all = NULL;
    shim_status status = shim_query_match_all(&all);
    if (status == SHIM_OK)
        status = query_files(x, all, NULL, x->doc_count, NULL, out, NULL);
    shim_query_free(all);
    return status;
}

/* How many passages a subtree might match, for evaluating rare parts first. */
uint64_t fileset_estimate(run *x, const plan_node *node)
{
    uint64_t e = 0;
    switch (node->op) {
    case PLAN_LEAF:
        return leaf_estimate(x, &x->p->leaves[node->leaf]);
    case PLAN_ALL:
        return x->doc_count;
    case PLAN_AND:
        e = UINT64_MAX;
        for (size_t i = 0; i < node->n_children; i++) {
            uint64_t c = fileset_estimate(x, node->children[i]);
            e = c < e ? c : e;
        }
        return e;
    case PLAN_OR:
        for (size_t i = 0; i < node->n_children; i++)
            e += fileset_estimate(x, node->children[i]);
        return e;
    default:
        return fileset_estimate(x, node->children[0]);
    }
}

/* How many passages the exact way would map to their files: every leaf's. */
uint64_t fileset_exact_cost(run *x, const plan_node *node)
{
    if (node->op == PLAN_LEAF)
        return leaf_estimate(x, &x->p->leaves[node->leaf]);
    if (node->op == PLAN_ALL)
        return x->doc_count;
    uint64_t sum = 0;
    for (size_t i = 0; i < node->n_children; i++)
        sum += fileset_exact_cost(x, node->children[i]);
    return sum;
}


/* AND: the rarest child first, each next one only among the files left. */
static shim_status evaluate_and(run *x, const plan_node *node, const keyset *restrict_to,
                                keyset *out)
{
    size_t n = node->n_children;
    uint64_t *cost = calloc(n, sizeof *cost);
    bool *done = calloc(n, sizeof *done);
    shim_status status = cost && done ? SHIM_OK : run_fail(x, SHIM_NO_MEMORY, "cannot match files");
    for (size_t i = 0; i < n && status == SHIM_OK; i++)
        cost[i] = fileset_estimate(x, node->children[i]);
    for (size_t k = 0; k < n && status == SHIM_OK; k++) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (!done[i] && (best == n || cost[i] < cost[best]))
                best = i;
        done[best] = true;
        keyset next = KEYSET_INIT;
        status = fileset_evaluate(x, node->children[best], k == 0 ? restrict_to : out, &next);
        keyset_free(out);
        *out = next; /* restricted to OUT, so already the intersection */
        if (out->n == 0)
            break;
    }
    free(cost);
    free(done);
    return status;
}

shim_status fileset_evaluate(run *x, const plan_node *node, const keyset *restrict_to, keyset *out)
{
    shim_status status = SHIM_OK;
    switch (node->op) {
    case PLAN_LEAF:
        return leaf_files(x, node->leaf, restrict_to, out);
    case PLAN_ALL:
        return all_files(x, restrict_to, out);
    case PLAN_AND:
        return evaluate_and(x, node, restrict_to, out);
    case PLAN_OR:
        for (size_t i = 0; i < node->n_children && status == SHIM_OK; i++) {
            keyset part = KEYSET_INIT;
            status = fileset_evaluate(x, node->children[i], restrict_to, &part);
            if (status == SHIM_OK && !keyset_union(out, &part))
                status = run_fail(x, SHIM_NO_MEMORY, "cannot match files");
            keyset_free(&part);
        }
        return status;
    case PLAN_AND_NOT: {
        status = fileset_evaluate(x, node->children[0], restrict_to, out);
        if (status != SHIM_OK || out->n == 0)
            return status;
        keyset excluded = KEYSET_INIT;
        status = fileset_evaluate(x, node->children[1], out, &excluded);
        keyset_subtract(out, &excluded);
        keyset_free(&excluded);
        return status;
    }
    case PLAN_AND_MAYBE:
        return fileset_evaluate(x, node->children[0], restrict_to, out);
    }
    return status;
}

/* The exact number of files of the direct query. */
shim_status fileset_count_direct(run *x)
{
    keyset files = KEYSET_INIT;
    const plan *p = x->p;
    bool single = p->n_leaves == 1 && p->leaves[0].single_term && !p->leaves[0].filter;
    shim_status status = query_files(x, p->direct, single ? p->leaves[0].estimate_term : NULL,
                                     x->doc_count, NULL, &files, NULL);
    x->r->total = files.n;
    x->r->total_exact = true;
    keyset_free(&files);
    return status;
}

shim_status fileset_every_match(run *x, const shim_query *query, shim_search **search,
                                keyset *files, passages *found)
{
    docids ids = {NULL, 0, 0};
    shim_status status = search_every_match(x, query, search);
    if (status == SHIM_OK)
        status = hit_docids(x, *search, &ids);
    if (status == SHIM_OK)
        status = files_of(x, &ids, NULL, files, found);
    free(ids.ids);
    return status;
}

/* Make every positive leaf's list of passages cover the ACCEPTED files: a
 * leaf whose passages were only listed among some files (or not at all) is
 * listed again among the accepted ones. */
shim_status fileset_candidates(run *x, const keyset *accepted)
{
    const plan *p = x->p;
    shim_status status = SHIM_OK;
    for (size_t i = 0; i < p->n_leaves && status == SHIM_OK; i++) {
        const plan_leaf *l = &p->leaves[i];
        if (!l->positive || (x->found[i].known && x->found[i].complete))
            continue;
        keyset ignored = KEYSET_INIT;
        const shim_query *query = NULL;
        status = boolean_leaf(x, i, &query);
        if (status == SHIM_OK)
            status = query_files(x, query, l->single_term ? l->estimate_term : NULL,
                                 leaf_estimate(x, l), accepted, &ignored, &x->found[i]);
        keyset_free(&ignored);
    }
    return status;
}

uint64_t fileset_candidate_key(const run *x, const keyset *accepted, uint32_t docid)
{
    for (size_t i = 0; i < x->p->n_leaves; i++) {
        if (!x->p->leaves[i].positive)
            continue;
        uint64_t key = passages_key(&x->found[i], docid);
        if (key)
            return keyset_contains(accepted, key) ? key : 0;
    }
    return 0;
}

/* Merge the ascending ids A and B into OUT (room for NA + NB) without
 * repeats; the number written. */
static size_t merge_ascending(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                              uint32_t *out)
{
    size_t i = 0, j = 0, n = 0;
    while (i < na || j < nb) {
        uint32_t next = j == nb || (i < na && a[i] < b[j]) ? a[i] : b[j];
        i += i < na && a[i] == next;
        j += j < nb && b[j] == next;
        out[n++] = next;
    }
    return n;
}

shim_status fileset_candidate_query(run *x, const keyset *accepted, const shim_query *query,
                                    shim_query **out, uint32_t *n_passages)
{
    *out = NULL;
    *n_passages = 0;
    const plan *p = x->p;
    size_t total = 0;
    for (size_t i = 0; i < p->n_leaves; i++)
        if (p->leaves[i].positive)
            total += x->found[i].n;
    uint32_t *ids = malloc((total ? total : 1) * sizeof *ids);
    uint32_t *leaf = malloc((total ? total : 1) * sizeof *leaf);
    uint32_t *merged = malloc((total ? total : 1) * sizeof *merged);
    shim_status status = ids && leaf && merged ? SHIM_OK : SHIM_NO_MEMORY;
    keyprobe probe = KEYPROBE_INIT;
    if (status == SHIM_OK && !probe_when_worth(&probe, accepted, total))
        status = SHIM_NO_MEMORY;
    size_t n = 0;
    for (size_t i = 0; i < p->n_leaves && status == SHIM_OK; i++) {
        const passages *found = &x->found[i];
        if (!p->leaves[i].positive)
            continue;
        size_t kept = 0;
        for (size_t j = 0; j < found->n; j++)
            if (in_set(accepted, &probe, found->keys[j]))
                leaf[kept++] = found->docids[j];
        n = merge_ascending(ids, n, leaf, kept, merged);
        uint32_t *swap = ids;
        ids = merged;
        merged = swap;
    }
    keyprobe_free(&probe);
    shim_query *only = NULL;
    *n_passages = (uint32_t)n;
    if (status == SHIM_OK)
        status = shim_query_docids(x->db, ids, n, &only);
    free(ids);
    free(leaf);
    free(merged);
    if (status == SHIM_UNSUPPORTED)
        return SHIM_OK;
    shim_query *both[2] = {(shim_query *)query, only};
    if (status == SHIM_OK)
        status = shim_query_combine(SHIM_QUERY_FILTER, both, 2, 0, out);
    shim_query_free(only);
    return status == SHIM_OK ? SHIM_OK : run_fail(x, status, "cannot restrict the ranking");
}
