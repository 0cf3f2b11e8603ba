/* fileset.h — which files match: each leaf's set of files, the boolean
 * tree evaluated on the sets, and which passages of the accepted files the
 * ranking looks at. The file is the unit of matching.
 */
#ifndef KENSAKU_QUERY_FILESET_H
#define KENSAKU_QUERY_FILESET_H

#include "query/run.h"

/* The files NODE accepts, among RESTRICT_TO when it is not NULL. */
shim_status fileset_evaluate(run *x, const plan_node *node, const keyset *restrict_to,
                             keyset *out);

/* About how many passages NODE matches (the rarest part of an AND). */
uint64_t fileset_estimate(run *x, const plan_node *node);

/* How many passages evaluating NODE exactly would map to their files. */
uint64_t fileset_exact_cost(run *x, const plan_node *node);

/* Set the run's total to the exact number of files of the direct query. */
shim_status fileset_count_direct(run *x);

/* Every passage QUERY matches: *SEARCH holds them by weight (caller frees,
 * also on failure), FILES their files, FOUND the passages with their file
 * keys (see passages_key). */
shim_status fileset_every_match(run *x, const shim_query *query, shim_search **search,
                                keyset *files, passages *found);

/* List the passages of the ACCEPTED files that match a positive leaf: what
 * the ranking looks at (see fileset_candidate_key). */
shim_status fileset_candidates(run *x, const keyset *accepted);

/* After fileset_candidates: the file key of passage DOCID if it matches a
 * positive leaf and its file is among ACCEPTED, else 0. A page of ranked
 * passages is judged this way, hit by hit, rather than every passage of the
 * accepted files up front. */
uint64_t fileset_candidate_key(const run *x, const keyset *accepted, uint32_t docid);

/* After fileset_candidates: QUERY restricted to those passages (*N_PASSAGES
 * of them), so that Xapian ranks nothing else; *OUT is NULL when the
 * database cannot take such a filter (its shards cannot be told apart), and
 * the hits must be judged one by one. */
shim_status fileset_candidate_query(run *x, const keyset *accepted, const shim_query *query,
                                    shim_query **out, uint32_t *n_passages);

/* Remember in E the file term of the file at PATH. */
shim_status fileset_note_file_term(run *x, keytable_entry *e, const char *path, size_t path_len);

#endif
