/* report.h — messages on stderr, one whole line at a time.
 *
 * Readers and writers report from several threads; a lock keeps lines whole,
 * and a progress line (on a terminal) is cleared before a message and drawn
 * again after it. Paths are printed with control characters and bytes that
 * are not UTF-8 escaped (\n, \x80), so a file name can never break a line.
 */
#ifndef KENSAKU_INDEXER_REPORT_H
#define KENSAKU_INDEXER_REPORT_H

#include <stdbool.h>
#include <stddef.h>

/* A printable copy of PATH (escaped as above). Caller frees with free(). */
char *report_escape(const char *path, size_t len);

/* Print "kensaku-index: " + the formatted message + newline. */
void report_message(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Print "kensaku-index: WHAT PATH[: DETAIL]" with PATH escaped. */
void report_file(const char *what, const char *path, size_t len, const char *detail);

/* Show LINE as the progress line (a terminal only); NULL clears it. */
void report_progress(const char *line);

#endif
