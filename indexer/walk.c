/* walk.c — the directory walker; see walk.h. */
#include "indexer/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One entry of a directory being walked. */
typedef struct entry {
    char *name;       /* owned */
    struct stat st;   /* of the entry's target (links followed) */
    int stat_error;   /* errno of the failed stat, or 0 */
} entry;

/* A directory on the current path, for loop detection. */
typedef struct ancestor {
    dev_t dev;
    ino_t ino;
} ancestor;

typedef struct walker {
    const walk_filter *filter;
    const walk_callbacks *callbacks;
    char *path;          /* the current path; grows as needed */
    size_t len, cap;
    size_t root_len;     /* the relative path starts after ROOT_LEN + 1 */
    ancestor *ancestors; /* directories on the current path */
    size_t depth, ancestors_cap;
    int stop;            /* non-zero once a callback asked to stop */
} walker;

bool walk_excluded(const walk_filter *filter, const char *absolute, const char *relative,
                   const char *name)
{
    for (size_t i = 0; i < filter->n_excludes; i++) {
        const char *glob = filter->excludes[i];
        const char *subject = name;
        if (glob[0] == '/')
            subject = absolute;
        else if (strchr(glob, '/'))
            subject = relative;
        if (fnmatch(glob, subject, FNM_PATHNAME) == 0)
            return true;
    }
    return false;
}

static void report(walker *w, walk_problem problem, int error)
{
    if (w->callbacks->problem)
        w->callbacks->problem(w->callbacks->context, w->path, w->len, problem, error);
}

/* Append "/" NAME to the current path; false when out of memory. */
static bool path_push(walker *w, const char *name)
{
    size_t name_len = strlen(name);
    size_t need = w->len + 1 + name_len + 1;
    if (need > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap < need)
            cap *= 2;
        char *grown = realloc(w->path, cap);
        if (!grown)
            return false;
        w->path = grown;
        w->cap = cap;
    }
    if (!(w->len == 1 && w->path[0] == '/'))
        w->path[w->len++] = '/';
    memcpy(w->path + w->len, name, name_len + 1);
    w->len += name_len;
    return true;
}

static bool on_path(const walker *w, const struct stat *st)
{
    for (size_t i = 0; i < w->depth; i++)
        if (w->ancestors[i].dev == st->st_dev && w->ancestors[i].ino == st->st_ino)
            return true;
    return false;
}

static bool push_ancestor(walker *w, const struct stat *st)
{
    if (w->depth == w->ancestors_cap) {
        size_t cap = w->ancestors_cap ? 2 * w->ancestors_cap : 32;
        ancestor *grown = realloc(w->ancestors, cap * sizeof *grown);
        if (!grown)
            return false;
        w->ancestors = grown;
        w->ancestors_cap = cap;
    }
    w->ancestors[w->depth++] = (ancestor){st->st_dev, st->st_ino};
    return true;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static void free_entries(entry *entries, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(entries[i].name);
    free(entries);
}

/* Read the entries of the open directory DIR (hidden ones left out) and stat
 * each relative to it. Returns the sorted array, or NULL with *n == 0 for an
 * empty directory; *error gets an errno when reading failed. */
static entry *read_entries(DIR *dir, size_t *n, int *error)
{
    entry *entries = NULL;
    size_t count = 0, cap = 0;
    struct dirent *d;
    *error = 0;
    errno = 0;
    while ((d = readdir(dir)) != NULL) {
        if (d->d_name[0] == '.')
            continue; /* hidden, ".", ".." and the VCS folders */
        if (count == cap) {
            size_t grown_cap = cap ? 2 * cap : 64;
            entry *grown = realloc(entries, grown_cap * sizeof *grown);
            if (!grown)
                goto out_of_memory;
            entries = grown;
            cap = grown_cap;
        }
        entry *e = &entries[count];
        e->name = strdup(d->d_name);
        if (!e->name)
            goto out_of_memory;
        e->stat_error = fstatat(dirfd(dir), d->d_name, &e->st, 0) == 0 ? 0 : errno;
        count++;
        errno = 0;
    }
    if (errno)
        *error = errno;
    if (count > 1)
        qsort(entries, count, sizeof *entries, compare_entries);
    *n = count;
    return entries;
out_of_memory:
    free_entries(entries, count);
    *n = 0;
    *error = ENOMEM;
    return NULL;
}

static void walk_dir(walker *w, const struct stat *dir_st);

/* Handle one entry of a directory; the current path is the entry's. */
static void walk_entry(walker *w, const entry *e)
{
    if (e->stat_error) {
        struct stat link;
        if (e->stat_error == ENOENT && lstat(w->path, &link) == 0 && S_ISLNK(link.st_mode))
            report(w, WALK_DANGLING, ENOENT);
        else if (e->stat_error == ELOOP)
            report(w, WALK_LOOP, ELOOP);
        else if (e->stat_error != ENOENT)
            report(w, WALK_UNREADABLE, e->stat_error);
        /* ENOENT: it vanished while we walked, which is no problem. */
        return;
    }
    if (S_ISREG(e->st.st_mode))
        w->stop = w->callbacks->file(w->callbacks->context, w->path, w->len, &e->st);
    else if (S_ISDIR(e->st.st_mode))
        walk_dir(w, &e->st);
    else
        report(w, WALK_SPECIAL, 0);
}

static void walk_entries(walker *w, const entry *entries, size_t n)
{
    size_t saved = w->len;
    for (size_t i = 0; i < n && !w->stop; i++) {
        if (!path_push(w, entries[i].name)) {
            report(w, WALK_UNREADABLE, ENOMEM);
            break;
        }
        const char *relative = w->path + w->root_len + (w->root_len > 1 ? 1 : 0);
        if (!walk_excluded(w->filter, w->path, relative, entries[i].name))
            walk_entry(w, &entries[i]);
        w->len = saved;
        w->path[saved] = '\0';
    }
}

/* Walk the directory at the current path, whose stat is DIR_ST. */
static void walk_dir(walker *w, const struct stat *dir_st)
{
    if (w->filter->skip_dir && dir_st->st_dev == w->filter->skip_dev &&
        dir_st->st_ino == w->filter->skip_ino)
        return; /* the database itself */
    if (on_path(w, dir_st)) {
        report(w, WALK_LOOP, ELOOP);
        return;
    }
    int fd = open(w->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dir) {
        int error = errno;
        if (fd >= 0)
            close(fd);
        if (error != ENOENT && error != ENOTDIR)
            report(w, WALK_UNREADABLE, error);
        return;
    }
    size_t n;
    int error;
    entry *entries = read_entries(dir, &n, &error);
    closedir(dir);
    if (error)
        report(w, WALK_UNREADABLE, error);
    if (!push_ancestor(w, dir_st)) {
        report(w, WALK_UNREADABLE, ENOMEM);
    } else {
        walk_entries(w, entries, n);
        w->depth--;
    }
    free_entries(entries, n);
}

int walk_root(const char *root, const walk_filter *filter, const walk_callbacks *callbacks)
{
    walker w = {.filter = filter, .callbacks = callbacks};
    w.root_len = strlen(root);
    w.cap = w.root_len + 256;
    w.path = malloc(w.cap);
    if (!w.path)
        return -1;
    memcpy(w.path, root, w.root_len + 1);
    w.len = w.root_len;

    int result = 0;
    struct stat st;
    if (stat(root, &st) != 0) {
        report(&w, errno == ENOENT ? WALK_ROOT_MISSING : WALK_UNREADABLE, errno);
        result = -1;
    } else if (S_ISREG(st.st_mode)) {
        w.stop = callbacks->file(callbacks->context, w.path, w.len, &st);
    } else if (S_ISDIR(st.st_mode)) {
        walk_dir(&w, &st);
    } else {
        report(&w, WALK_SPECIAL, 0);
        result = -1;
    }
    free(w.path);
    free(w.ancestors);
    return w.stop ? w.stop : result;
}
