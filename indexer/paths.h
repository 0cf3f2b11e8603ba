/* paths.h — paths as kensaku stores them: absolute, as given.
 *
 * A path argument is joined to the working directory and "." and ".."
 * components are removed lexically; symbolic links are not resolved, so the
 * stored paths compare equal to what find(1) or rg print for the same root.
 * Paths are byte strings: nothing here assumes they are valid UTF-8.
 */
#ifndef KENSAKU_INDEXER_PATHS_H
#define KENSAKU_INDEXER_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* ARG made absolute against CWD (ignored when ARG starts with '/') and
 * normalised: no "." or ".." components, no repeated or trailing slashes
 * ("/" stays "/"). Caller frees with free(); NULL when out of memory. */
char *path_absolute(const char *arg, const char *cwd);

/* The working directory, or NULL (errno set). Caller frees with free(). */
char *path_cwd(void);

/* True if PATH is ROOT or lies below it (component-wise: "/a/bc" is not
 * below "/a/b"). Both normalised. */
bool path_is_within(const char *path, size_t path_len, const char *root, size_t root_len);

/* The extension of PATH's last component: the bytes after its last '.',
 * when that dot is neither the first character of the name nor the last.
 * Returns a pointer into PATH and its length in *len, or NULL if none. */
const char *path_extension(const char *path, size_t path_len, size_t *len);

/* Length of the parent of PATH[0..len) ("/a/b" -> 2 for "/a", "/a" -> 1 for
 * "/"); 0 when PATH is "/" itself. */
size_t path_parent_len(const char *path, size_t len);

#endif
