/* report.c — whole lines on stderr from several threads; see report.h. */
#include "indexer/report.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static char *progress_line; /* shown now, redrawn after each message */

char *report_escape(const char *path, size_t len)
{
    GString *out = g_string_sized_new(len + 8);
    const char *p = path, *end = path + len;
    while (p < end) {
        const char *bad = NULL;
        gboolean valid = g_utf8_validate(p, end - p, &bad);
        const char *stop = valid ? end : bad;
        for (const char *q = p; q < stop; q++) {
            unsigned char c = (unsigned char)*q;
            if (c == '\n')
                g_string_append(out, "\\n");
            else if (c == '\\')
                g_string_append(out, "\\\\");
            else if (c < 0x20 || c == 0x7f)
                g_string_append_printf(out, "\\x%02x", c);
            else
                g_string_append_c(out, (char)c);
        }
        if (valid)
            break;
        g_string_append_printf(out, "\\x%02x", (unsigned char)*bad);
        p = bad + 1;
    }
    char *copy = strdup(out->str);
    g_string_free(out, TRUE);
    return copy;
}

static void clear_progress_locked(void)
{
    if (progress_line)
        fputs("\r\033[K", stderr);
}

static void draw_progress_locked(void)
{
    if (progress_line) {
        fputs(progress_line, stderr);
        fflush(stderr);
    }
}

void report_message(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    pthread_mutex_lock(&report_lock);
    clear_progress_locked();
    fputs("kensaku-index: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    draw_progress_locked();
    pthread_mutex_unlock(&report_lock);
    va_end(args);
}

void report_file(const char *what, const char *path, size_t len, const char *detail)
{
    char *shown = report_escape(path, len);
    if (detail && *detail)
        report_message("%s %s: %s", what, shown ? shown : "?", detail);
    else
        report_message("%s %s", what, shown ? shown : "?");
    free(shown);
}

void report_progress(const char *line)
{
    pthread_mutex_lock(&report_lock);
    clear_progress_locked();
    free(progress_line);
    progress_line = line ? strdup(line) : NULL;
    draw_progress_locked();
    if (!line)
        fflush(stderr);
    pthread_mutex_unlock(&report_lock);
}
