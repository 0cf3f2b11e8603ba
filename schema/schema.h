/* schema.h — the index schema both binaries share: term prefixes, value
 * slots, metadata keys, the passage record stored as document data, and the
 * mapping from analysed tokens to Xapian terms.
 *
 * The index follows Xapian's conventions so that Xapian's own tools (delve,
 * quest) can read it:
 *   (no prefix)  normalised word, with positions      "abduction"
 *   Z            stem, no positions, as TermGenerator  "Zabduct"
 *   XC           CJK character bigram or unigram, positioned by character (wdf 0:
 *                they never inflate BM25's document length)
 *   Q            unique passage id: Q + file term hash + "/" + passage ordinal
 *   XF           the file (boolean): XF + absolute path, hashed when long
 *   XP           every ancestor directory (boolean), hashed when long
 *   E            file extension, lower case, without the dot (boolean)
 * Values: SCHEMA_SLOT_FILE_KEY (8-byte hash of the path: collapse key),
 * SCHEMA_SLOT_MTIME (sortable-serialised seconds), SCHEMA_SLOT_PASSAGE
 * (sortable-serialised ordinal).
 */
#ifndef KENSAKU_SCHEMA_H
#define KENSAKU_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shim/shim.h"
#include "text/analyse.h"

/* Bump when the meaning of anything stored changes; kensaku refuses others. */
#define SCHEMA_VERSION "1"

#define SCHEMA_PREFIX_STEM "Z"
#define SCHEMA_PREFIX_CJK "XC"
#define SCHEMA_PREFIX_UNIQUE "Q"
#define SCHEMA_PREFIX_FILE "XF"
#define SCHEMA_PREFIX_DIR "XP"
#define SCHEMA_PREFIX_EXT "E"

enum {
    SCHEMA_SLOT_FILE_KEY = 0,
    SCHEMA_SLOT_MTIME = 1,
    SCHEMA_SLOT_PASSAGE = 2
};

#define SCHEMA_FILE_KEY_BYTES 8

/* Metadata keys. Per-file state and failures are keyed by prefix + file term.
 * Each shard also stores its passages' runs per file (schema/file_runs.h). */
#define SCHEMA_META_VERSION "kensaku.schema"
#define SCHEMA_META_ANALYSER "kensaku.analyser"
#define SCHEMA_META_ROOTS "kensaku.roots"
#define SCHEMA_META_LAST_RUN "kensaku.last-run"
/* Set in the first shard of a database built from empty until its shards
 * are merged into one at the end of a completed run. */
#define SCHEMA_META_UNMERGED "kensaku.unmerged"
#define SCHEMA_META_FILE_PREFIX "kensaku.file:"
#define SCHEMA_META_FAILED_PREFIX "kensaku.failed:"

/* Room for any term this module builds, NUL included. */
#define SCHEMA_TERM_MAX (SHIM_MAX_TERM_BYTES + 1)

/* PREFIX + PATH as a term; when that would exceed Xapian's limit, PREFIX + PATH's
 * first 200 bytes (cut at a UTF-8 boundary) + "#" + 32 hex digits of XXH3-128
 * of the whole path. Writes a NUL-terminated term into OUT and returns its length. */
size_t schema_path_term(const char *prefix, const char *path, size_t path_len,
                        char out[SCHEMA_TERM_MAX]);

/* The collapse key of a file: XXH3-64 of its path, big-endian. */
void schema_file_key(const char *path, size_t path_len, char out[SCHEMA_FILE_KEY_BYTES]);

/* A file key's bytes as a number (big-endian: byte order is numeric order). */
uint64_t schema_file_key_number(const char bytes[SCHEMA_FILE_KEY_BYTES]);

/* The unique term of passage ORDINAL of the file whose XF term is FILE_TERM. */
size_t schema_unique_term(const char *file_term, uint32_t ordinal, char out[SCHEMA_TERM_MAX]);

/* The terms a token is indexed under, as the indexer adds them and the query
 * side looks them up:
 *   words/numbers: TERM (positional, wdf 1) and Z+STEM (wdf 1, no position),
 *                  the latter only when the language stems;
 *   CJK n-grams:   XC+TERM (positional, wdf 0).
 * Variants (elision-stripped forms) are added at the same position. */
shim_status schema_index_token(shim_doc *doc, const text_token *token, bool stemming);

/* The query term for a token: the exact form (TERM or XC+TERM) when STEMMED is
 * false, Z+STEM when true. Returns the length, 0 if it does not fit. */
size_t schema_query_term(const text_token *token, bool stemmed, char out[SCHEMA_TERM_MAX]);

/* The document data of one passage. */
typedef struct schema_passage_record {
    const char *path;      /* absolute path as given, not NUL-terminated; may be invalid UTF-8 */
    size_t path_len;
    uint32_t passage;      /* ordinal within the file, from 1 */
    uint64_t start;        /* byte range of the passage in the file's decoded UTF-8 text */
    uint64_t end;
    uint32_t line;         /* first line of the passage in the file */
    const char *text;      /* the passage text (valid UTF-8), not NUL-terminated */
    size_t text_len;
} schema_passage_record;

/* Encode RECORD as document data. Caller frees the result with free(); NULL
 * when out of memory. */
char *schema_record_encode(const schema_passage_record *record, size_t *len);

/* Decode document data. On success the pointers in RECORD point into DATA
 * (borrowed: valid as long as DATA). False for data this schema did not write. */
bool schema_record_decode(const char *data, size_t len, schema_passage_record *record);

#endif
