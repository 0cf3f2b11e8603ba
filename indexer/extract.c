/* extract.c — dispatch a file's bytes to the right extractor; see extract.h. */
#include "indexer/extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "indexer/extract_gzip.h"
#include "indexer/extract_html.h"
#include "indexer/extract_pdf.h"
#include "indexer/sniff.h"

/* gzip inside gzip is followed once; deeper nesting is not text anyone wrote. */
#define MAX_GZIP_DEPTH 2

void extract_init(void)
{
    xmlInitParser();
}

void extract_cleanup(void)
{
    xmlCleanupParser();
}

static void set_outcome(extract_result *out, extract_outcome outcome, const char *reason)
{
    out->outcome = outcome;
    snprintf(out->reason, sizeof out->reason, "%s", reason);
}

/* Decode LEN bytes into OUT->text; the final step for every format. */
static void decode_into(extract_result *out, const char *bytes, size_t len)
{
    text_status status = text_decode(bytes, len, &out->text);
    if (status != TEXT_OK)
        set_outcome(out, EXTRACT_FAILED, text_status_string(status));
    else
        out->outcome = EXTRACT_OK;
}

static void extract_html_bytes(extract_result *out, const char *bytes, size_t len)
{
    text_decoded page;
    text_status status = text_decode(bytes, len, &page);
    if (status != TEXT_OK) {
        set_outcome(out, EXTRACT_FAILED, text_status_string(status));
        return;
    }
    char *text = NULL;
    size_t text_len = 0;
    if (extract_html(page.utf8, page.len, &text, &text_len, out->reason, sizeof out->reason)) {
        decode_into(out, text, text_len);
        free(text);
    } else {
        out->outcome = EXTRACT_FAILED;
    }
    text_decoded_free(&page);
}

static void extract_pdf_bytes(extract_result *out, const char *bytes, size_t len)
{
    char *text = NULL;
    size_t text_len = 0;
    if (extract_pdf(bytes, len, &text, &text_len, out->reason, sizeof out->reason)) {
        decode_into(out, text, text_len);
        free(text);
    } else {
        out->outcome = EXTRACT_FAILED;
    }
}

/* NAME without a trailing ".gz" (any case), so that "page.html.gz" is
 * judged as "page.html". Writes into INNER (of INNER_SIZE bytes). */
static const char *inner_name(const char *name, char *inner, size_t inner_size)
{
    size_t len = strlen(name);
    if (len > 3 && strcasecmp(name + len - 3, ".gz") == 0 && len - 3 < inner_size) {
        memcpy(inner, name, len - 3);
        inner[len - 3] = '\0';
        return inner;
    }
    return name;
}

static void extract_at_depth(const char *name, const char *bytes, size_t len, uint64_t max_size,
                             int depth, extract_result *out);

static void extract_gzip_bytes(const char *name, const char *bytes, size_t len,
                               uint64_t max_size, int depth, extract_result *out)
{
    if (depth >= MAX_GZIP_DEPTH) {
        set_outcome(out, EXTRACT_SKIPPED, "nested compression");
        return;
    }
    char *plain = NULL;
    size_t plain_len = 0;
    gzip_status status = extract_gzip(bytes, len, max_size, &plain, &plain_len, out->reason,
                                      sizeof out->reason);
    if (status == GZIP_TOO_LARGE) {
        out->outcome = EXTRACT_SKIPPED;
        out->over_limit = true;
        return;
    }
    if (status != GZIP_OK) {
        out->outcome = EXTRACT_FAILED;
        return;
    }
    char inner[512];
    extract_at_depth(inner_name(name, inner, sizeof inner), plain, plain_len, max_size,
                     depth + 1, out);
    free(plain);
}

static void extract_at_depth(const char *name, const char *bytes, size_t len, uint64_t max_size,
                             int depth, extract_result *out)
{
    content_kind kind = sniff_content(name, bytes, len);
    if (depth == 0)
        out->format = sniff_kind_name(kind);
    else if (kind == CONTENT_TEXT)
        out->format = "gzip text";
    else if (kind == CONTENT_HTML)
        out->format = "gzip html";
    else if (kind == CONTENT_PDF)
        out->format = "gzip pdf";
    switch (kind) {
    case CONTENT_BINARY:
        set_outcome(out, EXTRACT_SKIPPED, depth ? "binary (after decompression)" : "binary");
        return;
    case CONTENT_PDF:
        extract_pdf_bytes(out, bytes, len);
        return;
    case CONTENT_GZIP:
        extract_gzip_bytes(name, bytes, len, max_size, depth, out);
        return;
    case CONTENT_HTML:
        extract_html_bytes(out, bytes, len);
        return;
    case CONTENT_TEXT:
        decode_into(out, bytes, len);
        return;
    }
}

void extract_bytes(const char *name, const char *bytes, size_t len, uint64_t max_size,
                   extract_result *out)
{
    memset(out, 0, sizeof *out);
    out->format = "text";
    extract_at_depth(name, bytes, len, max_size, 0, out);
}

void extract_result_free(extract_result *result)
{
    if (!result)
        return;
    text_decoded_free(&result->text);
    memset(result, 0, sizeof *result);
}
