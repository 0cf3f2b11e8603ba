/* walk.h — walk the indexed roots in a stable order.
 *
 * Directory entries are visited sorted bytewise, depth first, so two runs
 * over the same tree see the files in the same order. Below each root (never
 * the root itself) hidden entries (a name starting with '.', which covers
 * .git, .hg and .svn) and entries matching an exclude glob are skipped.
 * Symbolic links are followed; a directory already on the current path
 * (same device and inode) is a loop and is not entered again. The database's
 * own folder is never entered. Entries that vanish while the walk runs are
 * simply not reported; a directory that cannot be read is reported as a
 * problem so that the caller keeps what it knew about the files below it.
 */
#ifndef KENSAKU_INDEXER_WALK_H
#define KENSAKU_INDEXER_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

typedef enum walk_problem {
    WALK_ROOT_MISSING,  /* the root does not exist (an unmounted disk?) */
    WALK_UNREADABLE,    /* a directory or entry could not be read (errno given) */
    WALK_LOOP,          /* a symbolic link leads back to a directory on the path */
    WALK_DANGLING,      /* a symbolic link points nowhere */
    WALK_SPECIAL        /* not a regular file or directory (fifo, socket, device) */
} walk_problem;

/* What the walk reports. FILE is called for each regular file (symbolic
 * links followed) with the stat of the file itself; PATH is borrowed for the
 * call. A non-zero return stops the walk. PROBLEM (may be NULL) is told about
 * anything below a root that was not walked. */
typedef struct walk_callbacks {
    int (*file)(void *context, const char *path, size_t len, const struct stat *st);
    void (*problem)(void *context, const char *path, size_t len, walk_problem problem,
                    int error);
    void *context;
} walk_callbacks;

typedef struct walk_filter {
    const char *const *excludes; /* fnmatch(3) globs; see walk_excluded() */
    size_t n_excludes;
    bool skip_dir;               /* never enter the directory SKIP_DEV:SKIP_INO */
    dev_t skip_dev;
    ino_t skip_ino;
} walk_filter;

/* Walk ROOT (absolute, normalised). Returns 0 when the walk completed, the
 * callback's non-zero value when it stopped the walk, or -1 when ROOT itself
 * could not be walked (the PROBLEM callback has been told why). */
int walk_root(const char *root, const walk_filter *filter, const walk_callbacks *callbacks);

/* Does an exclude glob match the entry NAME whose path relative to its root
 * is RELATIVE (and absolute path ABSOLUTE)? A glob starting with '/' is
 * matched against the absolute path, a glob containing another '/' against
 * the relative path, any other glob against the name alone ("*.log",
 * "node_modules"). '*' never matches a '/'. */
bool walk_excluded(const walk_filter *filter, const char *absolute, const char *relative,
                   const char *name);

#endif
