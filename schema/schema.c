/* schema.c — the index schema: terms built from paths, unique passage terms,
 * the terms a token is indexed under, and the passage record stored as
 * document data. See schema.h for the layout; both binaries link this, so
 * what the indexer writes is exactly what the query tool looks up.
 */
#include "schema/schema.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

/* A hashed path term keeps this many bytes of the path so that delve output
 * stays readable; 200 + prefix + "#" + 32 hex digits stays under 245. */
#define PATH_TERM_KEEP 200
#define HASH_HEX_128 32

static void hex_encode(const unsigned char *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
}

/* 32 hex digits of XXH3-128 of LEN bytes at DATA, NUL-terminated. */
static void hash128_hex(const void *data, size_t len, char out[HASH_HEX_128 + 1])
{
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits(data, len));
    hex_encode(canonical.digest, sizeof canonical.digest, out);
    out[HASH_HEX_128] = '\0';
}

/* The largest cut <= LIMIT that does not split a UTF-8 sequence. A path is
 * not always valid UTF-8, so at most three continuation bytes are skipped:
 * that is the longest a valid sequence can have. */
static size_t utf8_cut(const char *text, size_t len, size_t limit)
{
    if (len <= limit)
        return len;
    size_t cut = limit;
    for (int back = 0; back < 3 && cut > 0; back++) {
        if (((unsigned char)text[cut] & 0xC0) != 0x80)
            break;
        cut--;
    }
    if (((unsigned char)text[cut] & 0xC0) == 0x80)
        cut = limit; /* not UTF-8 here: any byte boundary will do */
    return cut;
}

size_t schema_path_term(const char *prefix, const char *path, size_t path_len,
                        char out[SCHEMA_TERM_MAX])
{
    size_t prefix_len = strlen(prefix);
    if (prefix_len + path_len <= SHIM_MAX_TERM_BYTES) {
        memcpy(out, prefix, prefix_len);
        memcpy(out + prefix_len, path, path_len);
        out[prefix_len + path_len] = '\0';
        return prefix_len + path_len;
    }
    size_t keep = utf8_cut(path, path_len, PATH_TERM_KEEP);
    char hex[HASH_HEX_128 + 1];
    hash128_hex(path, path_len, hex);
    size_t n = 0;
    memcpy(out, prefix, prefix_len);
    n += prefix_len;
    memcpy(out + n, path, keep);
    n += keep;
    out[n++] = '#';
    memcpy(out + n, hex, HASH_HEX_128);
    n += HASH_HEX_128;
    out[n] = '\0';
    return n;
}

void schema_file_key(const char *path, size_t path_len, char out[SCHEMA_FILE_KEY_BYTES])
{
    uint64_t hash = XXH3_64bits(path, path_len);
    for (int i = 0; i < SCHEMA_FILE_KEY_BYTES; i++)
        out[i] = (char)(unsigned char)(hash >> (56 - 8 * i));
}

uint64_t schema_file_key_number(const char bytes[SCHEMA_FILE_KEY_BYTES])
{
    uint64_t key = 0;
    for (int i = 0; i < SCHEMA_FILE_KEY_BYTES; i++)
        key = key << 8 | (unsigned char)bytes[i];
    return key;
}

size_t schema_unique_term(const char *file_term, uint32_t ordinal, char out[SCHEMA_TERM_MAX])
{
    char hex[HASH_HEX_128 + 1];
    hash128_hex(file_term, strlen(file_term), hex);
    int n = snprintf(out, SCHEMA_TERM_MAX, "%s%s/%" PRIu32, SCHEMA_PREFIX_UNIQUE, hex, ordinal);
    return n < 0 ? 0 : (size_t)n;
}

/* PREFIX + TEXT into OUT; 0 if it would exceed Xapian's term limit. */
static size_t prefixed(const char *prefix, const char *text, size_t len,
                       char out[SCHEMA_TERM_MAX])
{
    size_t prefix_len = strlen(prefix);
    if (len == 0 || prefix_len + len > SHIM_MAX_TERM_BYTES)
        return 0;
    memcpy(out, prefix, prefix_len);
    memcpy(out + prefix_len, text, len);
    out[prefix_len + len] = '\0';
    return prefix_len + len;
}

static bool is_cjk_token(const text_token *token)
{
    return token->kind == TEXT_TOKEN_CJK_BIGRAM || token->kind == TEXT_TOKEN_CJK_UNIGRAM;
}

shim_status schema_index_token(shim_doc *doc, const text_token *token, bool stemming)
{
    char term[SCHEMA_TERM_MAX];
    size_t len;
    if (is_cjk_token(token)) {
        /* wdf 0: bigrams and unigrams repeat every character, and counting
         * them would inflate the document length BM25 normalises by. */
        len = prefixed(SCHEMA_PREFIX_CJK, token->term, token->term_len, term);
        return len ? shim_doc_add_posting(doc, term, len, token->position, 0) : SHIM_OK;
    }
    /* Over-long terms are skipped, as text/ skips over-long tokens: Xapian
     * would refuse the whole document for one of them. */
    if (token->term_len == 0 || token->term_len > SHIM_MAX_TERM_BYTES)
        return SHIM_OK;
    shim_status status = shim_doc_add_posting(doc, token->term, token->term_len,
                                              token->position, 1);
    if (status != SHIM_OK || !stemming)
        return status;
    len = prefixed(SCHEMA_PREFIX_STEM, token->stem, token->stem_len, term);
    return len ? shim_doc_add_term(doc, term, len, 1) : SHIM_OK;
}

size_t schema_query_term(const text_token *token, bool stemmed, char out[SCHEMA_TERM_MAX])
{
    if (is_cjk_token(token))
        return prefixed(SCHEMA_PREFIX_CJK, token->term, token->term_len, out);
    if (stemmed)
        return prefixed(SCHEMA_PREFIX_STEM, token->stem, token->stem_len, out);
    return prefixed("", token->term, token->term_len, out);
}

/* ------------------------------------------------------------ passage record
 *
 * Document data is a header line of decimal fields, the path, a newline and
 * the passage text:
 *
 *   "K1 <passage> <start> <end> <line> <path length>\n<path>\n<text>"
 *
 * The header keeps `delve -d` output readable; the explicit path length makes
 * paths with newlines or invalid UTF-8 safe; the text runs to the end. */

#define RECORD_MAGIC "K1 "
#define RECORD_HEADER_MAX 128

char *schema_record_encode(const schema_passage_record *record, size_t *len)
{
    char header[RECORD_HEADER_MAX];
    int header_len = snprintf(header, sizeof header,
                              RECORD_MAGIC "%" PRIu32 " %" PRIu64 " %" PRIu64 " %" PRIu32 " %zu\n",
                              record->passage, record->start, record->end, record->line,
                              record->path_len);
    if (header_len < 0 || (size_t)header_len >= sizeof header)
        return NULL;
    size_t total = (size_t)header_len + record->path_len + 1 + record->text_len;
    char *data = malloc(total + 1);
    if (!data)
        return NULL;
    char *p = data;
    memcpy(p, header, (size_t)header_len);
    p += header_len;
    if (record->path_len)
        memcpy(p, record->path, record->path_len);
    p += record->path_len;
    *p++ = '\n';
    if (record->text_len)
        memcpy(p, record->text, record->text_len);
    data[total] = '\0';
    *len = total;
    return data;
}

/* Parse a decimal number at *P (before END) followed by the byte STOP;
 * advances *P past STOP. No signs, no leading zeros beyond "0", no overflow. */
static bool parse_field(const char **p, const char *end, char stop, uint64_t max,
                        uint64_t *value)
{
    const char *s = *p;
    uint64_t v = 0;
    size_t digits = 0;
    while (s < end && *s >= '0' && *s <= '9') {
        uint64_t d = (uint64_t)(*s - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
        s++;
        digits++;
    }
    if (digits == 0 || (digits > 1 && **p == '0') || s >= end || *s != stop)
        return false;
    *p = s + 1;
    *value = v;
    return true;
}

bool schema_record_decode(const char *data, size_t len, schema_passage_record *record)
{
    const size_t magic_len = sizeof RECORD_MAGIC - 1;
    if (!data || len < magic_len || memcmp(data, RECORD_MAGIC, magic_len) != 0)
        return false;
    const char *p = data + magic_len;
    const char *end = data + len;
    uint64_t passage, start, stop, line, path_len;
    if (!parse_field(&p, end, ' ', UINT32_MAX, &passage) ||
        !parse_field(&p, end, ' ', UINT64_MAX, &start) ||
        !parse_field(&p, end, ' ', UINT64_MAX, &stop) ||
        !parse_field(&p, end, ' ', UINT32_MAX, &line) ||
        !parse_field(&p, end, '\n', SIZE_MAX, &path_len))
        return false;
    if (start > stop || path_len >= (uint64_t)(end - p) || p[path_len] != '\n')
        return false;
    record->passage = (uint32_t)passage;
    record->start = start;
    record->end = stop;
    record->line = (uint32_t)line;
    record->path = p;
    record->path_len = (size_t)path_len;
    record->text = p + path_len + 1;
    record->text_len = (size_t)(end - record->text);
    return true;
}
