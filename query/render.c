/* render.c — output formats (see render.h and DESIGN.md's contract).
 *
 * JSON is written with jansson; a path that is not valid UTF-8 goes out as
 * "path_bytes" in base64. Human output never passes control characters from
 * a document or a file name to the terminal.
 */
#include "query/render.h"

#include "query/array.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#define COLOR_PATH "\033[35m"
#define COLOR_LINE "\033[32m"
#define COLOR_SCORE "\033[2m"
#define COLOR_MATCH "\033[1;31m"
#define COLOR_RESET "\033[0m"

bool render_use_color(color_mode mode, FILE *stream)
{
    if (mode != COLOR_AUTO)
        return mode == COLOR_ALWAYS;
    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color)
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(stream));
}

/* ------------------------------------------------------------------ text */

/* Write LEN bytes of TEXT, control characters shown as \xHH so that a
 * document cannot drive the terminal. Tabs pass, and newlines too when
 * INDENT is not NULL (each followed by INDENT). */
static void put_safe(FILE *out, const char *text, size_t len, const char *indent)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        bool control = (c < 0x20 && c != '\t' && (c != '\n' || !indent)) || c == 0x7F;
        /* C1 controls, U+0080..U+009F, are C2 80..C2 9F in UTF-8. */
        bool c1 = c == 0xC2 && i + 1 < len && (unsigned char)text[i + 1] >= 0x80 &&
                  (unsigned char)text[i + 1] <= 0x9F;
        if (!control && !c1 && c != '\n')
            continue;
        fwrite(text + run, 1, i - run, out);
        if (c == '\n' && indent) {
            fputc('\n', out);
            fputs(indent, out);
        } else if (c1) {
            fprintf(out, "\\x%02x", (unsigned char)text[i + 1]);
            i++;
        } else
            fprintf(out, "\\x%02x", c);
        run = i + 1;
    }
    fwrite(text + run, 1, len - run, out);
}

static void put_path(FILE *out, const schema_passage_record *record)
{
    put_safe(out, record->path, record->path_len, NULL);
}

/* ----------------------------------------------------------------- human */

static void human_hit(FILE *out, const render_options *ro, const search_hit *hit)
{
    const char *indent = "  ";
    if (ro->color)
        fputs(COLOR_PATH, out);
    put_path(out, &hit->record);
    fprintf(out, ro->color ? COLOR_RESET ":" COLOR_LINE "%u" COLOR_RESET ":" : ":%u:",
            (unsigned)hit->line);
    fprintf(out, ro->color ? " " COLOR_SCORE "%.2f" COLOR_RESET "\n" : " %.2f\n", hit->score);
    fputs(indent, out);
    size_t at = 0;
    /* Leading white space of the window is noise in a block. */
    while (at < hit->snippet_len && (hit->snippet[at] == ' ' || hit->snippet[at] == '\n' ||
                                     hit->snippet[at] == '\t' || hit->snippet[at] == '\r'))
        at++;
    for (size_t i = 0; i < hit->n_spans; i++) {
        size_t start = hit->spans[2 * i], end = hit->spans[2 * i + 1];
        if (start < at)
            start = at;
        if (end <= start)
            continue;
        put_safe(out, hit->snippet + at, start - at, indent);
        if (ro->color)
            fputs(COLOR_MATCH, out);
        put_safe(out, hit->snippet + start, end - start, indent);
        if (ro->color)
            fputs(COLOR_RESET, out);
        at = end;
    }
    size_t end = hit->snippet_len;
    while (end > at && (hit->snippet[end - 1] == ' ' || hit->snippet[end - 1] == '\n' ||
                        hit->snippet[end - 1] == '\t' || hit->snippet[end - 1] == '\r'))
        end--;
    put_safe(out, hit->snippet + at, end - at, indent);
    fputs("\n\n", out);
}

/* ------------------------------------------------------------------ JSON */

static char *base64(const char *data, size_t len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc(4 * ((len + 2) / 3) + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)(unsigned char)data[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)(unsigned char)data[i + 1] << 8;
        if (i + 2 < len)
            v |= (unsigned char)data[i + 2];
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
        out[o++] = i + 2 < len ? alphabet[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

/* Set KEY to NEW_VALUE; false when out of memory (NEW_VALUE NULL). */
static bool set(json_t *object, const char *key, json_t *value)
{
    return value && json_object_set_new(object, key, value) == 0;
}

static bool set_path(json_t *hit, const schema_passage_record *record)
{
    json_t *path = json_stringn(record->path, record->path_len);
    if (path)
        return set(hit, "path", path);
    char *encoded = base64(record->path, record->path_len); /* not UTF-8 */
    bool ok = encoded && set(hit, "path_bytes", json_string(encoded));
    free(encoded);
    return ok;
}

/* One JSON line, gathered before it is written: jansson hands over a value
 * piece by piece, and a stream write for each costs more than the encoding
 * (a fifth of a batch query's rendering). */
typedef struct line {
    char *bytes;
    size_t len, cap;
} line;

static int line_append(const char *bytes, size_t size, void *data)
{
    line *l = data;
    if (!array_reserve(&l->bytes, &l->cap, l->len + size + 1, 1))
        return -1;
    memcpy(l->bytes + l->len, bytes, size);
    l->len += size;
    return 0;
}

/* Write OBJECT (taken over) as one line. */
static bool dump(FILE *out, json_t *object)
{
    line l = {NULL, 0, 0};
    bool ok = object && array_reserve(&l.bytes, &l.cap, 1024, 1) && /* a hit's line, at once */
              json_dump_callback(object, line_append, &l, JSON_COMPACT | JSON_REAL_PRECISION(6)) ==
                  0 &&
              line_append("\n", 1, &l) == 0 && fwrite(l.bytes, 1, l.len, out) == l.len;
    json_decref(object);
    free(l.bytes);
    return ok;
}

static bool json_hit(FILE *out, const char *id, uint32_t rank, const search_hit *hit)
{
    json_t *o = json_object();
    json_t *spans = json_array();
    bool ok = o && spans && set(o, "type", json_string("hit")) &&
              (!id || set(o, "query_id", json_string(id))) &&
              set(o, "rank", json_integer(rank)) && set_path(o, &hit->record) &&
              set(o, "passage", json_integer(hit->record.passage)) &&
              set(o, "line", json_integer(hit->line)) && set(o, "score", json_real(hit->score)) &&
              set(o, "snippet", json_stringn(hit->snippet ? hit->snippet : "", hit->snippet_len));
    for (size_t i = 0; ok && i < hit->n_spans; i++) {
        json_t *pair = json_pack("[II]", (json_int_t)hit->spans[2 * i],
                                 (json_int_t)hit->spans[2 * i + 1]);
        ok = pair && json_array_append_new(spans, pair) == 0;
    }
    if (ok) {
        ok = json_object_set_new(o, "highlights", spans) == 0;
        spans = NULL;
    }
    json_decref(spans);
    if (!ok) {
        json_decref(o);
        return false;
    }
    return dump(out, o);
}

static bool json_summary(FILE *out, const char *id, const search_result *r, const char *error)
{
    json_t *o = json_object();
    bool ok = o && set(o, "type", json_string("summary")) &&
              (!id || set(o, "query_id", json_string(id))) &&
              set(o, "hits", json_integer((json_int_t)(r ? r->n_hits : 0))) &&
              set(o, "total", json_integer((json_int_t)(r ? r->total : 0))) &&
              set(o, "ms", json_real(r ? r->ms : 0)) &&
              (!r || !r->suggestion || set(o, "suggestion", json_string(r->suggestion))) &&
              (!error || set(o, "error", json_string(error)));
    if (!ok) {
        json_decref(o);
        return false;
    }
    return dump(out, o);
}

/* --------------------------------------------------------------- results */

bool render_result(FILE *out, const render_options *ro, const char *id, const search_result *r)
{
    bool ok = true;
    switch (ro->format) {
    case OUTPUT_JSON:
        for (size_t i = 0; i < r->n_hits && ok; i++)
            ok = json_hit(out, id, ro->offset + (uint32_t)i + 1, &r->hits[i]);
        ok = ok && json_summary(out, id, r, NULL);
        break;
    case OUTPUT_COUNT:
        if (id)
            fprintf(out, "%s\t", id);
        fprintf(out, "%llu\n", (unsigned long long)r->total);
        break;
    case OUTPUT_FILES:
        for (size_t i = 0; i < r->n_hits; i++) {
            if (id)
                fprintf(out, "%s\t", id);
            fwrite(r->hits[i].record.path, 1, r->hits[i].record.path_len, out);
            fputc(ro->null ? '\0' : '\n', out);
        }
        break;
    case OUTPUT_HUMAN:
        for (size_t i = 0; i < r->n_hits; i++)
            human_hit(out, ro, &r->hits[i]);
        if (id)
            fprintf(out, "-- %s: %zu hits, %.1f ms\n", id, r->n_hits, r->ms);
        break;
    }
    return ok && !ferror(out);
}

bool render_failure(FILE *out, const render_options *ro, const char *id, const char *message)
{
    if (ro->format == OUTPUT_JSON)
        return json_summary(out, id, NULL, message) && !ferror(out);
    return true;
}
