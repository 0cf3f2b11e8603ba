/* progress.c — the terminal progress line; see progress.h. */
#include "indexer/progress.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "indexer/report.h"

#define REDRAW_SECONDS 0.25

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(progress *pr, bool enabled)
{
    pr->enabled = enabled;
    pr->started = progress_now();
    pr->last_drawn = 0;
}

void progress_update(progress *pr, pipeline *p, bool walking)
{
    if (!pr->enabled)
        return;
    double now = progress_now();
    if (now - pr->last_drawn < REDRAW_SECONDS)
        return;
    pr->last_drawn = now;
    pipeline_progress c;
    pipeline_get_progress(p, &c);
    double elapsed = now - pr->started;
    double rate = elapsed > 0 ? (double)c.bytes_done / 1e6 / elapsed : 0;
    char line[160];
    if (walking) {
        snprintf(line, sizeof line,
                 "kensaku-index: %" PRIu64 " files, %.1f MB read, %.1f MB/s (walking)",
                 c.files_done, (double)c.bytes_done / 1e6, rate);
    } else {
        double left = (double)(c.bytes_queued - c.bytes_done) / 1e6;
        double eta = rate > 0 ? left / rate : 0;
        snprintf(line, sizeof line,
                 "kensaku-index: %" PRIu64 " of %" PRIu64 " files, %.1f of %.1f MB, %.1f MB/s,"
                 " ETA %d:%02d",
                 c.files_done, c.files_queued, (double)c.bytes_done / 1e6,
                 (double)c.bytes_queued / 1e6, rate, (int)(eta / 60), (int)eta % 60);
    }
    report_progress(line);
}

void progress_clear(progress *pr)
{
    if (pr->enabled)
        report_progress(NULL);
}
