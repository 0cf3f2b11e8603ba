/* progress.h — the progress line, on a terminal only: files, MB, MB/s, ETA. */
#ifndef KENSAKU_INDEXER_PROGRESS_H
#define KENSAKU_INDEXER_PROGRESS_H

#include <stdbool.h>

#include "indexer/pipeline.h"

typedef struct progress {
    bool enabled;         /* stderr is a terminal and --quiet was not given */
    double started;       /* monotonic seconds */
    double last_drawn;
} progress;

void progress_init(progress *progress, bool enabled);

/* Redraw from P's counters if a quarter second has passed. WALKING: the
 * total is not known yet. */
void progress_update(progress *progress, pipeline *p, bool walking);

/* Remove the line. */
void progress_clear(progress *progress);

/* Monotonic seconds. */
double progress_now(void);

#endif
