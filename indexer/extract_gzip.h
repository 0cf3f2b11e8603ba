/* extract_gzip.h — decompress gzip data (one or more members) with zlib,
 * never beyond a size cap, so a small bomb cannot exhaust memory. */
#ifndef KENSAKU_INDEXER_EXTRACT_GZIP_H
#define KENSAKU_INDEXER_EXTRACT_GZIP_H

#include <stddef.h>
#include <stdint.h>

typedef enum gzip_status {
    GZIP_OK,
    GZIP_TOO_LARGE,   /* the decompressed data would exceed the cap */
    GZIP_CORRUPT,     /* not valid gzip data, or truncated */
    GZIP_NO_MEMORY
} gzip_status;

/* Decompress LEN bytes at BYTES into *out (caller frees with free(); one
 * extra NUL byte after *out_len). REASON receives zlib's message on failure. */
gzip_status extract_gzip(const char *bytes, size_t len, uint64_t cap, char **out,
                         size_t *out_len, char *reason, size_t reason_size);

/* What LEN bytes of gzip data say their content's size is (the last
 * member's size field, modulo 4 GiB), or 0 when they are not gzip data. A
 * hint for planning memory, not a promise: extract_gzip enforces the cap. */
uint64_t extract_gzip_expanded_size(const char *bytes, size_t len);

#endif
