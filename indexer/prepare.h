/* prepare.h — one file's text turned into Xapian documents, one per passage.
 *
 * The text is cut into passages (text_split_passages) and each passage is
 * analysed (text_analyse, positions from 1) into a document carrying, per
 * DESIGN.md: its words with positions and Z stems (schema_index_token), the
 * unique Q term, the file's XF term, an XP term for every ancestor directory
 * (but "/"), the E extension term, the file key, mtime and passage values,
 * and the passage record as data. Documents are handed on in chunks, so a
 * huge file never has all its documents in memory at once.
 *
 * This runs on the reader threads; one preparer per thread (an analyser is
 * not thread-safe).
 */
#ifndef KENSAKU_INDEXER_PREPARE_H
#define KENSAKU_INDEXER_PREPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "indexer/spelling.h"
#include "shim/shim.h"
#include "text/config.h"

/* A run of consecutive passages of one file, ready for the writer. */
typedef struct prepared_chunk {
    shim_doc **docs;          /* owned documents, in passage order */
    size_t n_docs;
    spelling_counts *words;   /* spelling words the passages add */
    size_t cost;              /* estimated memory held, for the pipeline's budget */
    unsigned producer;        /* the reader thread that allocated it (frees it too) */
    struct prepared_chunk *next;
} prepared_chunk;

void prepared_chunk_free(prepared_chunk *chunk);

/* Receives each chunk (ownership passes). Non-zero stops the preparation. */
typedef int (*prepare_emit_fn)(void *context, prepared_chunk *chunk);

typedef struct preparer preparer;

/* A preparer analysing with CONFIG. NULL on failure, with *message (caller
 * frees) saying why. */
preparer *preparer_new(const text_config *config, char **message);
void preparer_free(preparer *preparer);

typedef enum prepare_status {
    PREPARE_OK,
    PREPARE_STOPPED,  /* EMIT asked to stop */
    PREPARE_FAILED    /* analysis or document building failed; REASON says why */
} prepare_status;

/* Prepare the LEN bytes of valid UTF-8 at TEXT, the text of the file at PATH
 * modified at MTIME_NS. *passages receives the number of passages emitted. */
prepare_status prepare_text(preparer *preparer, const char *path, size_t path_len,
                            int64_t mtime_ns, const char *text, size_t len,
                            prepare_emit_fn emit, void *context, uint32_t *passages,
                            char *reason, size_t reason_size);

#endif
