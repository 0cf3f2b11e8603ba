/* reader.c — read, extract and prepare one file; see reader.h. */
#include "indexer/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "indexer/extract_gzip.h"

/* Files larger than this are read by one reader at a time. */
#define BIG_FILE (8u << 20)

static pthread_mutex_t big_file_lock = PTHREAD_MUTEX_INITIALIZER;

static void set_reason(job *j, job_outcome outcome, const char *reason)
{
    j->outcome = outcome;
    snprintf(j->reason, sizeof j->reason, "%s", reason);
}

/* Read the whole of FD, at most LIMIT bytes: *too_large when there is more.
 * Returns the buffer (NUL-terminated) or NULL with errno set. */
static char *read_all(int fd, uint64_t size_hint, uint64_t limit, size_t *len, bool *too_large)
{
    size_t cap = (size_t)(size_hint < limit ? size_hint : limit) + 1;
    char *buffer = malloc(cap + 1);
    size_t used = 0;
    *too_large = false;
    while (buffer) {
        if (used == cap) {
            if ((uint64_t)used > limit) {
                *too_large = true;
                break;
            }
            size_t grown_cap = cap * 2 > limit + 1 ? (size_t)limit + 1 : cap * 2;
            char *grown = realloc(buffer, grown_cap + 1);
            if (!grown) {
                free(buffer);
                errno = ENOMEM;
                return NULL;
            }
            buffer = grown;
            cap = grown_cap;
        }
        ssize_t n = read(fd, buffer + used, cap - used);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int error = errno;
            free(buffer);
            errno = error;
            return NULL;
        }
        used += (size_t)n;
    }
    if (buffer) {
        if ((uint64_t)used > limit)
            *too_large = true;
        buffer[used] = '\0';
        *len = used;
    }
    return buffer;
}

/* Prepare the extracted TEXT of JOB's file (and free it). */
static void process_text(preparer *preparer, job *j, extract_result *text,
                         prepare_emit_fn emit, void *context)
{
    j->format = text->format;
    if (text->over_limit)
        j->limit = j->max_size;
    if (text->outcome != EXTRACT_OK) {
        set_reason(j, text->outcome == EXTRACT_SKIPPED ? OUTCOME_SKIPPED : OUTCOME_FAILED,
                   text->reason);
        extract_result_free(text);
        return;
    }
    prepare_status status = prepare_text(preparer, j->path, j->path_len, j->signature.mtime_ns,
                                         text->text.utf8, text->text.len, emit, context,
                                         &j->passages, j->reason, sizeof j->reason);
    extract_result_free(text);
    if (status == PREPARE_OK && j->passages == 0)
        set_reason(j, OUTCOME_SKIPPED, "no text");
    else if (status == PREPARE_OK)
        j->outcome = OUTCOME_INDEXED;
    else if (status == PREPARE_STOPPED)
        set_reason(j, OUTCOME_FAILED, "interrupted");
    else
        j->outcome = OUTCOME_FAILED;
}

/* Read FD (of SIZE bytes by its stat) into *bytes; false with the outcome set. */
static bool read_file(job *j, int fd, uint64_t size, char **bytes, size_t *len)
{
    bool too_large = false;
    *bytes = read_all(fd, size, j->max_size, len, &too_large);
    if (!*bytes) {
        char reason[EXTRACT_REASON_MAX];
        snprintf(reason, sizeof reason, "read error: %s", strerror(errno));
        set_reason(j, OUTCOME_FAILED, reason);
        return false;
    }
    if (too_large) {
        set_reason(j, OUTCOME_TOO_LARGE, "larger than the size limit");
        free(*bytes);
        *bytes = NULL;
        return false;
    }
    return true;
}

static void process_open_file(preparer *preparer, job *j, int fd, prepare_emit_fn emit,
                              void *context)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        set_reason(j, OUTCOME_FAILED, strerror(errno));
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        set_reason(j, OUTCOME_GONE, "no longer a regular file");
        return;
    }
    j->signature = file_signature_of(&st);
    if ((uint64_t)st.st_size > j->max_size) {
        set_reason(j, OUTCOME_TOO_LARGE, "larger than the size limit");
        return;
    }
    /* A big file, or a small one that decompresses big, holds the lock
     * while its text is in memory. */
    bool big = (uint64_t)st.st_size > BIG_FILE;
    if (big)
        pthread_mutex_lock(&big_file_lock);
    char *bytes = NULL;
    size_t len = 0;
    if (read_file(j, fd, (uint64_t)st.st_size, &bytes, &len)) {
        if (!big && extract_gzip_expanded_size(bytes, len) > BIG_FILE) {
            big = true;
            pthread_mutex_lock(&big_file_lock);
        }
        j->bytes = len;
        extract_result text;
        extract_bytes(j->path, bytes, len, j->max_size, &text);
        free(bytes); /* the text is all that is needed now */
        process_text(preparer, j, &text, emit, context);
    }
    if (big)
        pthread_mutex_unlock(&big_file_lock);
}

void reader_process(preparer *preparer, job *j, prepare_emit_fn emit, void *context)
{
    int fd = open(j->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            set_reason(j, OUTCOME_GONE, "vanished");
        } else {
            char reason[EXTRACT_REASON_MAX];
            snprintf(reason, sizeof reason, "cannot open: %s", strerror(errno));
            set_reason(j, OUTCOME_FAILED, reason);
        }
        return;
    }
    process_open_file(preparer, j, fd, emit, context);
    close(fd);
}
