/* targets.c — planning the walk from the options and the roots; see targets.h. */
#include "indexer/targets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "indexer/paths.h"
#include "indexer/report.h"

/* Append a walk entry PATH with the given options. */
static bool add_walk(root_list *walk, const char *path, const char *const *excludes,
                     size_t n_excludes, uint64_t max_size)
{
    root_entry *grown = realloc(walk->items, (walk->n + 1) * sizeof *grown);
    if (!grown)
        return false;
    walk->items = grown;
    root_entry *entry = &walk->items[walk->n];
    memset(entry, 0, sizeof *entry);
    entry->path = strdup(path);
    if (!entry->path || !roots_set_options(entry, excludes, n_excludes, max_size)) {
        free(entry->path);
        return false;
    }
    walk->n++;
    return true;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const root_entry *)a)->path, ((const root_entry *)b)->path);
}

/* Sort the walk and drop entries inside another one, so no file is met twice. */
static void drop_nested(root_list *walk)
{
    if (walk->n > 1)
        qsort(walk->items, walk->n, sizeof *walk->items, compare_entries);
    size_t kept = 0;
    for (size_t i = 0; i < walk->n; i++) {
        root_entry *e = &walk->items[i];
        bool nested = false;
        for (size_t j = 0; j < kept && !nested; j++)
            nested = path_is_within(e->path, strlen(e->path), walk->items[j].path,
                                    strlen(walk->items[j].path));
        if (nested) {
            roots_entry_free(e);
        } else {
            walk->items[kept++] = *e;
        }
    }
    walk->n = kept;
}

static bool plan_forget(const index_options *o, root_list *roots, targets *plan, char **message)
{
    for (size_t i = 0; i < o->n_forget; i++) {
        if (!roots_forget(roots, o->forget[i])) {
            char *shown = report_escape(o->forget[i], strlen(o->forget[i]));
            if (asprintf(message, "--forget %s: not an indexed root (see --status)",
                         shown ? shown : "?") < 0)
                *message = NULL;
            free(shown);
            return false;
        }
        char **grown = realloc(plan->forgotten, (plan->n_forgotten + 1) * sizeof *grown);
        if (!grown || !(grown[plan->n_forgotten] = strdup(o->forget[i]))) {
            if (grown)
                plan->forgotten = grown;
            return false;
        }
        plan->forgotten = grown;
        plan->n_forgotten++;
    }
    return true;
}

/* PATHs given: walk each, remember it (or its covering root). */
static bool plan_paths(const index_options *o, root_list *roots, targets *plan, char **message)
{
    bool given = o->n_excludes > 0 || o->max_size > 0;
    for (size_t i = 0; i < o->n_paths; i++) {
        const char *path = o->paths[i];
        struct stat st;
        if (stat(path, &st) != 0) {
            char *shown = report_escape(path, strlen(path));
            if (asprintf(message, "cannot index %s: %s", shown ? shown : "?",
                         strerror(errno)) < 0)
                *message = NULL;
            free(shown);
            return false;
        }
        const root_entry *cover = roots_covering(roots, path);
        const char *const *excludes = (const char *const *)o->excludes;
        size_t n_excludes = o->n_excludes;
        uint64_t max_size = o->max_size;
        if (!given && cover) {
            excludes = (const char *const *)cover->excludes;
            n_excludes = cover->n_excludes;
            max_size = cover->max_size;
        }
        if (!add_walk(&plan->walk, path, excludes, n_excludes, max_size))
            return false;
        if ((given || !cover) && !roots_add(roots, path, excludes, n_excludes, max_size))
            return false;
    }
    return true;
}

/* No PATH: every remembered root, with new options if given. */
static bool plan_roots(const index_options *o, root_list *roots, targets *plan)
{
    bool given = o->n_excludes > 0 || o->max_size > 0;
    for (size_t i = 0; i < roots->n; i++) {
        root_entry *r = &roots->items[i];
        if (given && !roots_set_options(r, (const char *const *)o->excludes, o->n_excludes,
                                        o->max_size))
            return false;
        if (!add_walk(&plan->walk, r->path, (const char *const *)r->excludes, r->n_excludes,
                      r->max_size))
            return false;
    }
    return true;
}

bool targets_plan(const index_options *o, root_list *roots, targets *plan, char **message)
{
    memset(plan, 0, sizeof *plan);
    *message = NULL;
    bool ok = plan_forget(o, roots, plan, message);
    if (ok && o->n_paths)
        ok = plan_paths(o, roots, plan, message);
    else if (ok && o->n_forget == 0 && roots->n == 0) {
        *message = strdup("nothing to index: give a PATH (this database remembers no roots)");
        ok = false;
    } else if (ok && o->n_forget == 0)
        ok = plan_roots(o, roots, plan);
    if (ok)
        drop_nested(&plan->walk);
    if (!ok && !*message)
        *message = strdup("out of memory");
    return ok;
}

void targets_free(targets *plan)
{
    roots_free(&plan->walk);
    for (size_t i = 0; i < plan->n_forgotten; i++)
        free(plan->forgotten[i]);
    free(plan->forgotten);
    memset(plan, 0, sizeof *plan);
}

