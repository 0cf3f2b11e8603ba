/* targets.h — what this run walks, and how the remembered roots change.
 *
 * PATHs given on the command line are walked and remembered with the options
 * given with them (--exclude, --max-size); a PATH inside a remembered root
 * is walked with that root's options unless others are given, and is not
 * remembered separately. Without PATH every remembered root is walked; options
 * given then apply to all of them and are remembered. --forget drops a root
 * (its files are removed from the database).
 */
#ifndef KENSAKU_INDEXER_TARGETS_H
#define KENSAKU_INDEXER_TARGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "indexer/options.h"
#include "indexer/roots.h"

typedef struct targets {
    root_list walk;       /* what to walk, with the options for each; none nested */
    char **forgotten;     /* roots --forget dropped */
    size_t n_forgotten;
} targets;

/* Plan the run from OPTIONS, updating ROOTS. False with *message (caller
 * frees) for a PATH that does not exist, a --forget that names no root, or
 * nothing to do at all. */
bool targets_plan(const index_options *options, root_list *roots, targets *plan,
                  char **message);

void targets_free(targets *plan);

#endif
