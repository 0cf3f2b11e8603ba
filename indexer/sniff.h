/* sniff.h — what kind of content a file holds, judged by its bytes.
 *
 * Magic numbers first (PDF, gzip), then a binary test, then HTML by name or
 * by leading markup; everything else is text of some kind (plain, markdown,
 * source code, logs, ...), which text_decode turns into UTF-8.
 */
#ifndef KENSAKU_INDEXER_SNIFF_H
#define KENSAKU_INDEXER_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

typedef enum content_kind {
    CONTENT_TEXT,
    CONTENT_HTML,
    CONTENT_PDF,
    CONTENT_GZIP,
    CONTENT_BINARY
} content_kind;

/* How many leading bytes the binary test looks at. */
#define SNIFF_WINDOW 8192

/* The kind of the LEN bytes at BYTES, from a file named NAME (its last path
 * component or the whole path; only the extension is used). */
content_kind sniff_content(const char *name, const char *bytes, size_t len);

/* True if the first SNIFF_WINDOW bytes look binary: a NUL byte, or more
 * than 1 in 10 control bytes that text does not use. Text in UTF-16 or
 * UTF-32 with a byte order mark is not binary. */
bool sniff_is_binary(const char *bytes, size_t len);

/* True if NAME ends in an HTML extension (.html .htm .xhtml .shtml), in any case. */
bool sniff_html_name(const char *name);

/* Static name of a kind, for messages ("text", "html", ...). */
const char *sniff_kind_name(content_kind kind);

#endif
