/* extract_gzip.c — bounded gzip decompression with zlib; see extract_gzip.h. */
#include "indexer/extract_gzip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

/* Grow *buffer so that at least one more byte fits beyond *used, never past
 * CAP + 1 bytes (the extra byte tells "exactly CAP" from "more than CAP"). */
static gzip_status grow(char **buffer, size_t *size, size_t used, uint64_t cap)
{
    if (used < *size)
        return GZIP_OK;
    if ((uint64_t)*size > cap)
        return GZIP_TOO_LARGE;
    uint64_t wanted = *size ? (uint64_t)*size * 2 : 64 * 1024;
    if (wanted > cap + 1)
        wanted = cap + 1;
    char *grown = realloc(*buffer, (size_t)wanted + 1);
    if (!grown)
        return GZIP_NO_MEMORY;
    *buffer = grown;
    *size = (size_t)wanted;
    return GZIP_OK;
}

/* Inflate every member of the input; STREAM is initialised for gzip. */
static gzip_status inflate_all(z_stream *stream, uint64_t cap, char **buffer, size_t *used,
                               char *reason, size_t reason_size)
{
    size_t size = 0;
    for (;;) {
        gzip_status status = grow(buffer, &size, *used, cap);
        if (status != GZIP_OK)
            return status;
        stream->next_out = (Bytef *)*buffer + *used;
        size_t room = size - *used;
        stream->avail_out = room > UINT32_MAX ? UINT32_MAX : (uInt)room;
        int rc = inflate(stream, Z_NO_FLUSH);
        *used = (size_t)((char *)stream->next_out - *buffer);
        if (*used > cap)
            return GZIP_TOO_LARGE;
        if (rc == Z_STREAM_END) {
            /* Another member may follow (as `cat a.gz b.gz` makes); anything
             * else after a member is ignored, as gzip -d does. */
            if (stream->avail_in < 2 || stream->next_in[0] != 0x1f || stream->next_in[1] != 0x8b)
                return GZIP_OK;
            if (inflateReset(stream) != Z_OK)
                return GZIP_CORRUPT;
            continue;
        }
        if (rc == Z_BUF_ERROR && stream->avail_in == 0) {
            snprintf(reason, reason_size, "gzip data is truncated");
            return GZIP_CORRUPT;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            snprintf(reason, reason_size, "gzip: %s",
                     stream->msg ? stream->msg : "invalid compressed data");
            return rc == Z_MEM_ERROR ? GZIP_NO_MEMORY : GZIP_CORRUPT;
        }
    }
}

gzip_status extract_gzip(const char *bytes, size_t len, uint64_t cap, char **out,
                         size_t *out_len, char *reason, size_t reason_size)
{
    *out = NULL;
    *out_len = 0;
    if (len > UINT32_MAX) {
        snprintf(reason, reason_size, "compressed file too large");
        return GZIP_TOO_LARGE;
    }
    if (cap > SIZE_MAX / 4)
        cap = SIZE_MAX / 4; /* keeps cap + 1 and the doubling from overflowing */
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
        return GZIP_NO_MEMORY;
    char *buffer = NULL;
    size_t used = 0;
    stream.next_in = (Bytef *)(uintptr_t)bytes;
    stream.avail_in = (uInt)len;
    gzip_status status = inflate_all(&stream, cap, &buffer, &used, reason, reason_size);
    inflateEnd(&stream);
    if (status != GZIP_OK) {
        free(buffer);
        if (status == GZIP_TOO_LARGE)
            snprintf(reason, reason_size, "decompressed size over the size limit");
        else if (status == GZIP_NO_MEMORY)
            snprintf(reason, reason_size, "out of memory");
        return status;
    }
    if (!buffer && !(buffer = malloc(1)))
        return GZIP_NO_MEMORY;
    buffer[used] = '\0';
    *out = buffer;
    *out_len = used;
    return GZIP_OK;
}

uint64_t extract_gzip_expanded_size(const char *bytes, size_t len)
{
    if (len < 18 || (unsigned char)bytes[0] != 0x1f || (unsigned char)bytes[1] != 0x8b)
        return 0;
    const unsigned char *tail = (const unsigned char *)bytes + len - 4;
    return (uint64_t)tail[0] | (uint64_t)tail[1] << 8 | (uint64_t)tail[2] << 16 |
           (uint64_t)tail[3] << 24;
}
