/* extract_html.c — HTML to paragraphs of text with libxml2's HTML parser.
 *
 * The parser runs in SAX mode: no document tree is built, so memory stays
 * near the size of the text however large the page (a tree costs about ten
 * times the page). libxml2 still repairs the markup as it goes: it closes
 * what was left open and reports every element's end.
 */
#include "indexer/extract_html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

/* How text pieces are separated: nothing, a space, a line break, a blank line. */
enum { BREAK_NONE, BREAK_SPACE, BREAK_LINE, BREAK_PARAGRAPH };

/* libxml2 feeds the parser in slices of this size. */
#define FEED_BYTES (256 * 1024)

typedef struct text_builder {
    GString *out;
    int pending;      /* the strongest break asked for since the last text */
    int invisible;    /* depth of elements whose text is never shown */
    int in_title;     /* depth of <title> (shown although inside <head>) */
    int in_pre;       /* depth of <pre> */
} text_builder;

static bool name_in(const xmlChar *name, const char *const *names)
{
    for (; *names; names++)
        if (xmlStrcasecmp(name, (const xmlChar *)*names) == 0)
            return true;
    return false;
}

static bool is_named(const xmlChar *name, const char *wanted)
{
    return xmlStrcasecmp(name, (const xmlChar *)wanted) == 0;
}

/* Elements whose content a reader never sees as text. */
static bool is_invisible(const xmlChar *name)
{
    static const char *const names[] = {"script", "style", "template", "noscript", "head",
                                        "svg", "math", "object", "iframe", NULL};
    return name_in(name, names);
}

static int break_of(const xmlChar *name)
{
    static const char *const paragraphs[] = {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "blockquote",
        "pre", "section", "article", "aside", "header", "footer", "nav", "main", "table",
        "form", "fieldset", "figure", "figcaption", "address", "details", "summary", "hr",
        "caption", "center", "dialog", "menu", "body", "html", "title", "legend", NULL};
    static const char *const lines[] = {"br", "tr", "dt", "dd", "option", NULL};
    static const char *const spaces[] = {"td", "th", "img", "input", "button", "label", NULL};
    if (name_in(name, paragraphs))
        return BREAK_PARAGRAPH;
    if (name_in(name, lines))
        return BREAK_LINE;
    if (name_in(name, spaces))
        return BREAK_SPACE;
    return BREAK_NONE;
}

static void ask_break(text_builder *b, int kind)
{
    if (kind > b->pending)
        b->pending = kind;
}

/* Emit the pending separator before new text (none at the very start). */
static void flush_break(text_builder *b)
{
    if (b->out->len > 0) {
        if (b->pending == BREAK_PARAGRAPH)
            g_string_append(b->out, "\n\n");
        else if (b->pending == BREAK_LINE)
            g_string_append_c(b->out, '\n');
        else if (b->pending == BREAK_SPACE)
            g_string_append_c(b->out, ' ');
    }
    b->pending = BREAK_NONE;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void on_characters(void *context, const xmlChar *text, int len)
{
    text_builder *b = context;
    if (b->invisible > 0 && b->in_title == 0)
        return;
    for (int i = 0; i < len; i++) {
        unsigned char c = text[i];
        if (b->in_pre && (c == '\n' || c == '\r')) {
            if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
                i++;
            ask_break(b, b->pending == BREAK_LINE ? BREAK_PARAGRAPH : BREAK_LINE);
        } else if (is_space(c)) {
            ask_break(b, BREAK_SPACE);
        } else {
            flush_break(b);
            g_string_append_c(b->out, (char)c);
        }
    }
}

static void on_start(void *context, const xmlChar *name, const xmlChar **attributes)
{
    (void)attributes;
    text_builder *b = context;
    if (is_named(name, "title"))
        b->in_title++;
    else if (is_invisible(name))
        b->invisible++;
    if (is_named(name, "pre"))
        b->in_pre++;
    ask_break(b, break_of(name));
}

static void on_end(void *context, const xmlChar *name)
{
    text_builder *b = context;
    if (is_named(name, "title") && b->in_title > 0)
        b->in_title--;
    else if (is_invisible(name) && b->invisible > 0)
        b->invisible--;
    if (is_named(name, "pre") && b->in_pre > 0)
        b->in_pre--;
    ask_break(b, break_of(name));
}

/* Parse LEN bytes of UTF-8 with the handlers above, in slices. */
static bool parse(text_builder *b, const char *utf8, size_t len)
{
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_characters;
    sax.cdataBlock = on_characters;
    htmlParserCtxtPtr ctxt = htmlCreatePushParserCtxt(&sax, b, NULL, 0, NULL,
                                                      XML_CHAR_ENCODING_UTF8);
    if (!ctxt)
        return false;
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                 HTML_PARSE_NONET);
    size_t done = 0;
    while (done < len) {
        size_t slice = len - done < FEED_BYTES ? len - done : FEED_BYTES;
        htmlParseChunk(ctxt, utf8 + done, (int)slice, 0);
        done += slice;
    }
    htmlParseChunk(ctxt, NULL, 0, 1);
    htmlFreeParserCtxt(ctxt);
    return true;
}

bool extract_html(const char *utf8, size_t len, char **text, size_t *text_len,
                  char *reason, size_t reason_size)
{
    text_builder b = {.out = g_string_sized_new(len / 4 + 16)};
    if (!parse(&b, utf8, len)) {
        g_string_free(b.out, TRUE);
        snprintf(reason, reason_size, "HTML could not be parsed");
        return false;
    }
    /* The caller frees with free(): hand over a malloc'd copy. */
    char *copy = malloc(b.out->len + 1);
    if (!copy) {
        g_string_free(b.out, TRUE);
        snprintf(reason, reason_size, "out of memory");
        return false;
    }
    memcpy(copy, b.out->str, b.out->len + 1);
    *text = copy;
    *text_len = b.out->len;
    g_string_free(b.out, TRUE);
    return true;
}
