/* file_state.c — per-file records in database metadata; see file_state.h.
 *
 * A record is one header line of decimal fields, then the path and the
 * reason, so `xapian-delve -M` output stays readable:
 *
 *   "S1 <kind> <size> <mtime ns> <ctime ns> <inode> <passages> <limit> <path length>\n"
 *   "<path>\n<reason>"
 */
#include "indexer/file_state.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#define RECORD_MAGIC "S1 "

file_signature file_signature_of(const struct stat *st)
{
    file_signature s;
    s.size = (uint64_t)st->st_size;
    s.mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
    s.ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
    s.inode = (uint64_t)st->st_ino;
    return s;
}

bool file_signature_equal(const file_signature *a, const file_signature *b)
{
    return a->size == b->size && a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns &&
           a->inode == b->inode;
}

char *file_record_encode(const file_record *record, size_t *len)
{
    char header[192];
    const char *reason = record->reason ? record->reason : "";
    int header_len = snprintf(header, sizeof header,
                              RECORD_MAGIC "%c %" PRIu64 " %" PRId64 " %" PRId64 " %" PRIu64
                                           " %" PRIu32 " %" PRIu64 " %zu\n",
                              (char)record->kind, record->signature.size,
                              record->signature.mtime_ns, record->signature.ctime_ns,
                              record->signature.inode, record->passages, record->limit,
                              record->path_len);
    if (header_len < 0 || (size_t)header_len >= sizeof header)
        return NULL;
    size_t reason_len = strlen(reason);
    size_t total = (size_t)header_len + record->path_len + 1 + reason_len;
    char *value = malloc(total + 1);
    if (!value)
        return NULL;
    char *p = value;
    memcpy(p, header, (size_t)header_len);
    p += header_len;
    memcpy(p, record->path, record->path_len);
    p += record->path_len;
    *p++ = '\n';
    memcpy(p, reason, reason_len + 1);
    *len = total;
    return value;
}

/* A signed or unsigned decimal at *P followed by STOP; advances past STOP. */
static bool parse_number(const char **p, const char *end, char stop, bool allow_sign,
                         int64_t *signed_value, uint64_t *value)
{
    const char *s = *p;
    bool negative = false;
    if (allow_sign && s < end && *s == '-') {
        negative = true;
        s++;
    }
    uint64_t v = 0;
    const char *digits = s;
    while (s < end && *s >= '0' && *s <= '9') {
        uint64_t d = (uint64_t)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
        s++;
    }
    if (s == digits || s >= end || *s != stop)
        return false;
    if (allow_sign) {
        if (v > (uint64_t)INT64_MAX)
            return false;
        *signed_value = negative ? -(int64_t)v : (int64_t)v;
    } else {
        *value = v;
    }
    *p = s + 1;
    return true;
}

static bool valid_kind(char kind)
{
    return kind == FILE_INDEXED || kind == FILE_SKIPPED || kind == FILE_FAILED;
}

bool file_record_decode(const char *value, size_t len, file_record *record)
{
    memset(record, 0, sizeof *record);
    const size_t magic_len = sizeof RECORD_MAGIC - 1;
    if (len < magic_len + 2 || memcmp(value, RECORD_MAGIC, magic_len) != 0)
        return false;
    const char *p = value + magic_len;
    const char *end = value + len;
    char kind = *p;
    if (!valid_kind(kind) || p[1] != ' ')
        return false;
    p += 2;
    uint64_t size, inode, passages, limit, path_len;
    int64_t mtime, ctime;
    if (!parse_number(&p, end, ' ', false, NULL, &size) ||
        !parse_number(&p, end, ' ', true, &mtime, NULL) ||
        !parse_number(&p, end, ' ', true, &ctime, NULL) ||
        !parse_number(&p, end, ' ', false, NULL, &inode) ||
        !parse_number(&p, end, ' ', false, NULL, &passages) ||
        !parse_number(&p, end, ' ', false, NULL, &limit) ||
        !parse_number(&p, end, '\n', false, NULL, &path_len))
        return false;
    if (passages > UINT32_MAX || path_len == 0 || path_len >= (uint64_t)(end - p) ||
        p[path_len] != '\n' || memchr(p, '\0', (size_t)path_len))
        return false;
    const char *reason = p + path_len + 1;
    size_t reason_len = (size_t)(end - reason);
    record->path = strndup(p, (size_t)path_len);
    record->reason = strndup(reason, reason_len);
    if (!record->path || !record->reason) {
        file_record_free(record);
        return false;
    }
    record->kind = (file_kind)kind;
    record->signature = (file_signature){size, mtime, ctime, inode};
    record->passages = (uint32_t)passages;
    record->limit = limit;
    record->path_len = (size_t)path_len;
    return true;
}

void file_record_free(file_record *record)
{
    if (!record)
        return;
    free(record->path);
    free(record->reason);
    record->path = record->reason = NULL;
}

size_t file_state_key(const char *prefix, const char *path, size_t path_len,
                      char out[SCHEMA_TERM_MAX])
{
    char term[SCHEMA_TERM_MAX];
    size_t term_len = schema_path_term(SCHEMA_PREFIX_FILE, path, path_len, term);
    size_t prefix_len = strlen(prefix);
    if (prefix_len + term_len <= SHIM_MAX_TERM_BYTES) {
        memcpy(out, prefix, prefix_len);
        memcpy(out + prefix_len, term, term_len + 1);
        return prefix_len + term_len;
    }
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits(term, term_len));
    int n = snprintf(out, SCHEMA_TERM_MAX, "%s#", prefix);
    for (size_t i = 0; i < sizeof canonical.digest; i++)
        n += snprintf(out + n, SCHEMA_TERM_MAX - (size_t)n, "%02x", canonical.digest[i]);
    return (size_t)n;
}
