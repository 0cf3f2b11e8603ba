/* extract_html.h — the text of an HTML or XHTML page, through libxml2.
 *
 * The title comes first, then the body's text; scripts, styles and other
 * invisible content are dropped. Block elements (paragraphs, headings, list
 * items, table rows, ...) end with a blank line, so the passage splitter
 * sees the page's paragraphs; runs of white space collapse to one space
 * except inside <pre>. Broken markup is repaired, never refused.
 */
#ifndef KENSAKU_INDEXER_EXTRACT_HTML_H
#define KENSAKU_INDEXER_EXTRACT_HTML_H

#include <stdbool.h>
#include <stddef.h>

/* Extract the text of LEN bytes of UTF-8 HTML. On success *text (valid
 * UTF-8, NUL-terminated; caller frees with free()) and *text_len are set.
 * False only when libxml2 could not build any tree or memory ran out;
 * REASON then says why. */
bool extract_html(const char *utf8, size_t len, char **text, size_t *text_len,
                  char *reason, size_t reason_size);

#endif
