/* summary.c — the run's counters for people and for scripts; see summary.h. */
#include "indexer/summary.h"

#include <inttypes.h>

void summary_add(summary *into, const summary *from)
{
    into->added += from->added;
    into->updated += from->updated;
    into->removed += from->removed;
    into->unchanged += from->unchanged;
    into->failed += from->failed;
    into->skipped += from->skipped;
    into->passages += from->passages;
    into->bytes += from->bytes;
}

void summary_print_line(const summary *s, FILE *out)
{
    fprintf(out,
            "kensaku-index: %" PRIu64 " added, %" PRIu64 " updated, %" PRIu64 " removed, %" PRIu64
            " unchanged, %" PRIu64 " failed, %" PRIu64 " skipped; %" PRIu64
            " passage%s, %.1f MB in %.2f s\n",
            s->added, s->updated, s->removed, s->unchanged, s->failed, s->skipped, s->passages,
            s->passages == 1 ? "" : "s", (double)s->bytes / 1e6, s->seconds);
}

json_t *summary_to_json(const summary *s)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}",
                     "added", (json_int_t)s->added, "updated", (json_int_t)s->updated,
                     "removed", (json_int_t)s->removed, "unchanged", (json_int_t)s->unchanged,
                     "failed", (json_int_t)s->failed, "skipped", (json_int_t)s->skipped,
                     "passages", (json_int_t)s->passages, "bytes", (json_int_t)s->bytes,
                     "seconds", s->seconds);
}
