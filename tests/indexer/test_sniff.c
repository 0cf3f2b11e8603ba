/* test_sniff.c — content kinds judged by bytes: magic numbers, binary, HTML. */
#include <criterion/criterion.h>
#include <string.h>

#include "indexer/sniff.h"

typedef struct sniff_case {
    const char *name;
    const char *bytes;
    size_t len;      /* 0: strlen(bytes) */
    content_kind expected;
} sniff_case;

Test(sniff, kinds_by_content_and_name) {
    static const sniff_case cases[] = {
        {"a.txt", "plain words\n", 0, CONTENT_TEXT},
        {"a.pdf", "%PDF-1.4\n...", 0, CONTENT_PDF},
        {"renamed.txt", "%PDF-1.7\n...", 0, CONTENT_PDF},
        {"junk-before.pdf", "garbage\n%PDF-1.3\n", 0, CONTENT_PDF},
        {"x.gz", "\x1f\x8b\x08\x00rest", 9, CONTENT_GZIP},
        {"page.txt", "<!DOCTYPE html><p>x", 0, CONTENT_HTML},
        {"page", "  \n<html><body>x", 0, CONTENT_HTML},
        {"frag", "<body>only a body", 0, CONTENT_HTML},
        {"x.xhtml", "<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html>", 0, CONTENT_HTML},
        {"comment", "<!-- generated -->\n<html>", 0, CONTENT_HTML},
        {"INDEX.HTM", "no markup at all", 0, CONTENT_HTML},
        {"notes.md", "<b>bold</b> is not a page", 0, CONTENT_TEXT},
        {"data.xml", "<?xml version=\"1.0\"?><feed>", 0, CONTENT_TEXT},
        {"elf", "\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10, CONTENT_BINARY},
        {"utf16.txt", "\xff\xfeH\x00i\x00", 6, CONTENT_TEXT},
        {"utf16be.txt", "\xfe\xff\x00H\x00i", 6, CONTENT_TEXT},
        {"empty", "", 0, CONTENT_TEXT},
        {"page.html", "a\0b", 3, CONTENT_BINARY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const sniff_case *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->bytes);
        cr_assert_eq(sniff_content(c->name, c->bytes, len), c->expected, "case %zu (%s)", i,
                     c->name);
    }
}

Test(sniff, control_bytes_beyond_a_tenth_are_binary) {
    char text[1000];
    memset(text, 'a', sizeof text);
    for (size_t i = 0; i < 90; i++)
        text[i * 11] = '\x01';
    cr_assert_not(sniff_is_binary(text, sizeof text), "9%% control bytes is text");
    for (size_t i = 0; i < 150; i++)
        text[i * 6] = '\x02';
    cr_assert(sniff_is_binary(text, sizeof text), "over 10%% control bytes is binary");
}

Test(sniff, escapes_backspaces_and_form_feeds_are_text) {
    const char log[] = "\x1b[31merror\x1b[0m line\n\fpage two\nb\bbo\bol\bld\n";
    cr_assert_not(sniff_is_binary(log, sizeof log - 1));
}

Test(sniff, a_nul_past_the_window_is_not_seen) {
    static char big[SNIFF_WINDOW + 10];
    memset(big, 'x', sizeof big);
    big[SNIFF_WINDOW + 5] = '\0';
    cr_assert_not(sniff_is_binary(big, sizeof big));
}
