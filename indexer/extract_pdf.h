/* extract_pdf.h — the text of a PDF's pages, through poppler-glib.
 *
 * Pages are separated by blank lines. A damaged, truncated or encrypted PDF
 * is a failure with poppler's reason, never a crash; poppler's warnings are
 * kept off stderr. Poppler is not known to be safe with several documents
 * open in several threads, so calls are serialised (PDFs are few in most
 * trees). The library is loaded on the first PDF. */
#ifndef KENSAKU_INDEXER_EXTRACT_PDF_H
#define KENSAKU_INDEXER_EXTRACT_PDF_H

#include <stdbool.h>
#include <stddef.h>

/* Extract the text of LEN bytes of PDF. On success *text (UTF-8 as poppler
 * gives it, NUL-terminated; caller frees with free()) and *text_len are set;
 * otherwise REASON says why. */
bool extract_pdf(const char *bytes, size_t len, char **text, size_t *text_len, char *reason,
                 size_t reason_size);

#endif
