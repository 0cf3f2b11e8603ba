/* summary.h — what a run did, in the contract's terms.
 *
 *   added      files indexed that the database did not hold
 *   updated    files re-indexed because they changed
 *   removed    files whose passages left the database (gone from disk, forgotten)
 *   unchanged  files seen and not read again
 *   failed     files that failed in this run (listed on stderr)
 *   skipped    files not indexed on purpose (binary, no text, too large) and
 *              failures remembered from earlier runs, not retried
 *   passages   passages written
 *   bytes      bytes read from the files indexed
 *   seconds    wall-clock time of the run
 */
#ifndef KENSAKU_INDEXER_SUMMARY_H
#define KENSAKU_INDEXER_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

typedef struct summary {
    uint64_t added, updated, removed, unchanged, failed, skipped;
    uint64_t passages, bytes;
    double seconds;
} summary;

/* Add every counter of FROM to INTO (seconds excepted). */
void summary_add(summary *into, const summary *from);

/* The one-line summary for people, e.g. "kensaku-index: 3 added, 0 updated,
 * ... 12 passages, 0.1 MB, 0.05 s". */
void summary_print_line(const summary *summary, FILE *out);

/* The summary as a JSON object with the contract's keys (new reference). */
json_t *summary_to_json(const summary *summary);

#endif
