/* sniff.c — content detection by magic numbers and leading bytes; see sniff.h. */
#include "indexer/sniff.h"

#include <string.h>
#include <strings.h>

static bool starts_with(const char *bytes, size_t len, const char *magic, size_t magic_len)
{
    return len >= magic_len && memcmp(bytes, magic, magic_len) == 0;
}

/* PDF readers accept up to 1024 bytes of junk before the header. */
static bool is_pdf(const char *bytes, size_t len)
{
    size_t window = len < 1024 ? len : 1024;
    return window >= 5 && memmem(bytes, window, "%PDF-", 5) != NULL;
}

static bool is_gzip(const char *bytes, size_t len)
{
    return starts_with(bytes, len, "\x1f\x8b\x08", 3);
}

/* A byte order mark of UTF-16 or UTF-32: such text is full of NUL bytes. */
static bool has_wide_bom(const char *bytes, size_t len)
{
    return starts_with(bytes, len, "\xff\xfe", 2) || starts_with(bytes, len, "\xfe\xff", 2) ||
           starts_with(bytes, len, "\x00\x00\xfe\xff", 4);
}

bool sniff_is_binary(const char *bytes, size_t len)
{
    if (has_wide_bom(bytes, len))
        return false;
    size_t window = len < SNIFF_WINDOW ? len : SNIFF_WINDOW;
    size_t odd = 0;
    for (size_t i = 0; i < window; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c == 0)
            return true;
        /* Tab, newlines, form feed, escape (coloured logs) and backspace
         * (overstruck manual pages) all occur in text. */
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
             c != 0x1b && c != '\b') ||
            c == 0x7f)
            odd++;
    }
    return odd * 10 > window;
}

bool sniff_html_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (!dot || (slash && dot < slash))
        return false;
    static const char *const extensions[] = {".html", ".htm", ".xhtml", ".shtml"};
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
        if (strcasecmp(dot, extensions[i]) == 0)
            return true;
    return false;
}

/* Skip a UTF-8 BOM and white space. */
static const char *skip_space(const char *p, const char *end)
{
    if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f'))
        p++;
    return p;
}

static bool at_tag(const char *p, const char *end, const char *tag)
{
    size_t n = strlen(tag);
    return (size_t)(end - p) >= n && strncasecmp(p, tag, n) == 0;
}

/* Markup that only HTML starts with: a doctype, <html>, <head> or <body>,
 * possibly after comments or an XML declaration (XHTML). */
static bool has_html_markup(const char *bytes, size_t len)
{
    const char *end = bytes + (len < 1024 ? len : 1024);
    const char *p = skip_space(bytes, end);
    for (int steps = 0; steps < 8 && p < end; steps++) {
        if (at_tag(p, end, "<!doctype html") || at_tag(p, end, "<html") ||
            at_tag(p, end, "<head") || at_tag(p, end, "<body"))
            return true;
        if (!at_tag(p, end, "<?xml") && !at_tag(p, end, "<!--") && !at_tag(p, end, "<!doctype"))
            return false;
        /* Skip the declaration or comment and look at what follows. */
        const char *close = memchr(p, '>', (size_t)(end - p));
        if (!close)
            return false;
        p = skip_space(close + 1, end);
    }
    return false;
}

content_kind sniff_content(const char *name, const char *bytes, size_t len)
{
    if (is_pdf(bytes, len))
        return CONTENT_PDF;
    if (is_gzip(bytes, len))
        return CONTENT_GZIP;
    if (sniff_is_binary(bytes, len))
        return CONTENT_BINARY;
    if (sniff_html_name(name) || has_html_markup(bytes, len))
        return CONTENT_HTML;
    return CONTENT_TEXT;
}

const char *sniff_kind_name(content_kind kind)
{
    switch (kind) {
    case CONTENT_TEXT:
        return "text";
    case CONTENT_HTML:
        return "html";
    case CONTENT_PDF:
        return "pdf";
    case CONTENT_GZIP:
        return "gzip";
    case CONTENT_BINARY:
        return "binary";
    }
    return "unknown";
}
