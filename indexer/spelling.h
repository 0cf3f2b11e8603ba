/* spelling.h — the words kensaku gives Xapian's spelling dictionary.
 *
 * Every passage adds each of its distinct spelling words once, so a
 * word's spelling frequency is the number of passages holding it. What is a
 * spelling word depends on the term alone (alphabetic, 3 characters or more,
 * no digits, not CJK), so the words of a passage about to be deleted can be
 * derived again exactly from its terms in the database, and removing a file
 * takes back exactly what adding it gave.
 *
 * Changes are counted per word in a table and applied to the database in one
 * go, just before a commit: one Xapian call per distinct word, not one per
 * occurrence.
 */
#ifndef KENSAKU_INDEXER_SPELLING_H
#define KENSAKU_INDEXER_SPELLING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shim/shim.h"

/* Is the indexed term TERM (unprefixed, normalised) a spelling word? */
bool spelling_word_ok(const char *term, size_t len);

/* Pending changes: word -> passages gained (positive) or lost (negative). */
typedef struct spelling_counts spelling_counts;

spelling_counts *spelling_counts_new(void);
void spelling_counts_free(spelling_counts *counts);

/* Change WORD's count by DELTA. False when out of memory. */
bool spelling_counts_add(spelling_counts *counts, const char *word, size_t len, int64_t delta);

/* Move every change of FROM into INTO (FROM is left empty). */
bool spelling_counts_merge(spelling_counts *into, spelling_counts *from);

/* Distinct words with a pending change. */
size_t spelling_counts_size(const spelling_counts *counts);

/* Apply the changes to DB (add or remove spellings) and empty COUNTS. */
shim_status spelling_counts_apply(spelling_counts *counts, shim_writable_db *db);

/* Count DELTA for every spelling word among the terms of document DOCID. */
shim_status spelling_counts_add_document(spelling_counts *counts, shim_db *db, uint32_t docid,
                                         int64_t delta);

#endif
