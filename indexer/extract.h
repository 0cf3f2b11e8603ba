/* extract.h — the text of a file, whatever its format.
 *
 * The format is judged by content (sniff.h): PDF through poppler, gzip
 * through zlib (whose output is judged again), HTML through libxml2, and
 * anything else that is not binary as text of some encoding. The result is
 * always valid UTF-8 from text_decode, so byte offsets in passages refer to
 * the same text the query tool shows.
 */
#ifndef KENSAKU_INDEXER_EXTRACT_H
#define KENSAKU_INDEXER_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/decode.h"

typedef enum extract_outcome {
    EXTRACT_OK,      /* TEXT holds the file's text */
    EXTRACT_SKIPPED, /* not indexed on purpose (binary, decompresses too large) */
    EXTRACT_FAILED   /* the file is damaged or unreadable as its format */
} extract_outcome;

#define EXTRACT_REASON_MAX 200

typedef struct extract_result {
    extract_outcome outcome;
    text_decoded text;               /* EXTRACT_OK: the text; free with extract_result_free */
    const char *format;              /* "text", "html", "pdf", "gzip text", ... (static) */
    bool over_limit;                 /* skipped: it decompresses past the size limit */
    char reason[EXTRACT_REASON_MAX]; /* why skipped or failed */
} extract_result;

/* Prepare the libraries for use from several threads (call once, first). */
void extract_init(void);

/* Release what extract_init set up (call once, last). */
void extract_cleanup(void);

/* Extract the text of LEN bytes at BYTES from a file named NAME. A
 * compressed file may decompress to at most MAX_SIZE bytes. Never fails
 * without saying why in OUT->reason. */
void extract_bytes(const char *name, const char *bytes, size_t len, uint64_t max_size,
                   extract_result *out);

void extract_result_free(extract_result *result);

#endif
