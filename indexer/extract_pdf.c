/* extract_pdf.c — PDF page text with poppler-glib; see extract_pdf.h.
 *
 * poppler-glib is loaded on the first PDF (dlopen), not at start-up: with
 * cairo, NSS and the rest it pulls in, loading it costs more than a whole
 * incremental run over thousands of unchanged files, and most runs meet no
 * PDF. Its functions are called through pointers typed from its own header,
 * so the compiler still checks every call.
 */
#include "indexer/extract_pdf.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#ifndef POPPLER_GLIB_SONAME
#define POPPLER_GLIB_SONAME "libpoppler-glib.so"
#endif

/* The functions used, resolved from the library. */
typedef struct poppler_api {
    __typeof__(poppler_document_new_from_bytes) *document_new_from_bytes;
    __typeof__(poppler_document_get_n_pages) *document_get_n_pages;
    __typeof__(poppler_document_get_page) *document_get_page;
    __typeof__(poppler_page_get_text) *page_get_text;
    __typeof__(g_object_unref) *object_unref;
    __typeof__(g_bytes_new_static) *bytes_new_static;
    __typeof__(g_bytes_unref) *bytes_unref;
    __typeof__(g_error_free) *error_free;
    __typeof__(g_free) *free;
    __typeof__(g_log_set_handler) *log_set_handler;
} poppler_api;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t poppler_lock = PTHREAD_MUTEX_INITIALIZER;
static poppler_api api;
static bool api_ready;
static char load_error[160];

static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
                     gpointer data)
{
    (void)domain;
    (void)level;
    (void)message;
    (void)data;
}

/* dlsym into a typed pointer; false (and a message) when absent. */
static bool resolve(void *library, const char *name, void *slot)
{
    void *symbol = dlsym(library, name);
    if (!symbol) {
        snprintf(load_error, sizeof load_error, "poppler-glib lacks %s", name);
        return false;
    }
    memcpy(slot, &symbol, sizeof symbol);
    return true;
}

static void load_poppler(void)
{
    void *library = dlopen(POPPLER_GLIB_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!library)
        library = dlopen("libpoppler-glib.so", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(load_error, sizeof load_error, "cannot load poppler-glib: %s", dlerror());
        return;
    }
    /* The library stays loaded for the life of the process. */
    api_ready = resolve(library, "poppler_document_new_from_bytes", &api.document_new_from_bytes) &&
                resolve(library, "poppler_document_get_n_pages", &api.document_get_n_pages) &&
                resolve(library, "poppler_document_get_page", &api.document_get_page) &&
                resolve(library, "poppler_page_get_text", &api.page_get_text) &&
                resolve(library, "g_object_unref", &api.object_unref) &&
                resolve(library, "g_bytes_new_static", &api.bytes_new_static) &&
                resolve(library, "g_bytes_unref", &api.bytes_unref) &&
                resolve(library, "g_error_free", &api.error_free) &&
                resolve(library, "g_free", &api.free) &&
                resolve(library, "g_log_set_handler", &api.log_set_handler);
    if (api_ready)
        api.log_set_handler("Poppler", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                            drop_log, NULL);
}

/* Append every page's text to OUT, pages separated by a blank line. */
static void append_pages(PopplerDocument *doc, GString *out)
{
    int pages = api.document_get_n_pages(doc);
    for (int i = 0; i < pages; i++) {
        PopplerPage *page = api.document_get_page(doc, i);
        if (!page)
            continue;
        char *text = api.page_get_text(page);
        if (text && *text) {
            if (out->len)
                g_string_append(out, "\n\n");
            g_string_append(out, text);
        }
        api.free(text);
        api.object_unref(page);
    }
}

bool extract_pdf(const char *bytes, size_t len, char **text, size_t *text_len, char *reason,
                 size_t reason_size)
{
    pthread_once(&load_once, load_poppler);
    if (!api_ready) {
        snprintf(reason, reason_size, "%s", load_error);
        return false;
    }
    GError *error = NULL;
    GString *out = g_string_new(NULL);
    pthread_mutex_lock(&poppler_lock);
    GBytes *data = api.bytes_new_static(bytes, len);
    PopplerDocument *doc = api.document_new_from_bytes(data, NULL, &error);
    if (doc) {
        append_pages(doc, out);
        api.object_unref(doc);
    }
    api.bytes_unref(data);
    pthread_mutex_unlock(&poppler_lock);

    if (!doc) {
        snprintf(reason, reason_size, "PDF: %s",
                 error && error->message ? error->message : "cannot be opened");
        if (error)
            api.error_free(error);
        g_string_free(out, TRUE);
        return false;
    }
    char *copy = malloc(out->len + 1);
    if (!copy) {
        snprintf(reason, reason_size, "out of memory");
        g_string_free(out, TRUE);
        return false;
    }
    memcpy(copy, out->str, out->len + 1);
    *text = copy;
    *text_len = out->len;
    g_string_free(out, TRUE);
    return true;
}
