/* test_extract.c — text out of every format: plain, HTML (also broken and
 * XHTML), PDF (also truncated), gzip (also nested, truncated, a bomb),
 * binary, UTF-16. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "helpers.h"
#include "indexer/extract.h"

static void setup(void)
{
    extract_init();
}

TestSuite(extract, .init = setup);

static extract_result extract_fixture(const char *name, uint64_t max_size)
{
    size_t len = 0;
    char *bytes = read_fixture(name, &len);
    extract_result r;
    extract_bytes(name, bytes, len, max_size, &r);
    free(bytes);
    return r;
}

static void assert_contains(const extract_result *r, const char *needle)
{
    cr_assert_not_null(strstr(r->text.utf8, needle), "\"%s\" not in:\n%s", needle, r->text.utf8);
}

static void assert_lacks(const extract_result *r, const char *needle)
{
    cr_assert_null(strstr(r->text.utf8, needle), "\"%s\" should not be in:\n%s", needle,
                   r->text.utf8);
}

/* Are A and B (both present) in different paragraphs? */
static bool blank_line_between(const extract_result *r, const char *a, const char *b)
{
    const char *pa = strstr(r->text.utf8, a), *pb = strstr(r->text.utf8, b);
    cr_assert(pa && pb && pa < pb);
    for (const char *p = pa; p + 1 < pb; p++)
        if (p[0] == '\n' && p[1] == '\n')
            return true;
    return false;
}

Test(extract, html_gives_title_and_visible_text_in_paragraphs) {
    extract_result r = extract_fixture("page.html", 1 << 20);
    cr_assert_eq(r.outcome, EXTRACT_OK, "%s", r.reason);
    cr_assert_str_eq(r.format, "html");
    cr_assert_eq(strncmp(r.text.utf8, "Lighthouse keeping, a short guide", 33), 0,
                 "the title comes first");
    assert_contains(&r, "Keeping the lamp");
    assert_contains(&r, "Fog signals sound every thirty seconds when the visibility drops.");
    assert_contains(&r, "Café & bakery!");
    assert_contains(&r, "Monday calm");
    assert_contains(&r, "log line one\nlog line two");
    assert_lacks(&r, "rotating");
    assert_lacks(&r, "scripted words");
    assert_lacks(&r, "teal");
    assert_lacks(&r, "Enable scripts");
    cr_assert(blank_line_between(&r, "trims the wick", "Fog signals"));
    cr_assert(blank_line_between(&r, "Keeping the lamp", "The keeper"));
    cr_assert(blank_line_between(&r, "Polish the brass", "Record the weather"));
    extract_result_free(&r);
}

Test(extract, broken_html_is_repaired_not_refused) {
    extract_result r = extract_fixture("broken.html", 1 << 20);
    cr_assert_eq(r.outcome, EXTRACT_OK, "%s", r.reason);
    assert_contains(&r, "Unclosed tales");
    assert_contains(&r, "A paragraph that never closes");
    assert_contains(&r, "bold and italic");
    assert_contains(&r, "After the script the harbour master speaks");
    assert_contains(&r, "cell one cell two");
    assert_contains(&r, "Trailing words");
    assert_lacks(&r, "never shown");
    extract_result_free(&r);
}

Test(extract, xhtml_is_html) {
    extract_result r = extract_fixture("page.xhtml", 1 << 20);
    cr_assert_eq(r.outcome, EXTRACT_OK);
    cr_assert_str_eq(r.format, "html");
    assert_contains(&r, "Tide almanac");
    cr_assert(blank_line_between(&r, "new moon", "Neap tides"));
    extract_result_free(&r);
}

Test(extract, pdf_gives_the_text_of_its_pages) {
    extract_result r = extract_fixture("harbour.pdf", 1 << 20);
    cr_assert_eq(r.outcome, EXTRACT_OK, "%s", r.reason);
    cr_assert_str_eq(r.format, "pdf");
    assert_contains(&r, "Lanterns glow over the quiet harbour");
    assert_contains(&r, "Ferrymen count their evening passengers");
    extract_result_free(&r);
}

Test(extract, truncated_pdf_fails_with_a_reason) {
    extract_result r = extract_fixture("harbour-truncated.pdf", 1 << 20);
    cr_assert_eq(r.outcome, EXTRACT_FAILED);
    cr_assert_not_null(strstr(r.reason, "PDF"), "reason: %s", r.reason);
    extract_result_free(&r);
}

Test(extract, gzip_text_is_decompressed_then_judged) {
    size_t plain_len = 0;
    char *plain = read_fixture("notes.txt", &plain_len);
    extract_result r = extract_fixture("notes.txt.gz", 1 << 20);
    cr_assert_eq(r.outcome, EXTRACT_OK, "%s", r.reason);
    cr_assert_str_eq(r.format, "gzip text");
    cr_assert_eq(r.text.len, plain_len);
    cr_assert_eq(memcmp(r.text.utf8, plain, plain_len), 0);
    free(plain);
    extract_result_free(&r);
}

Test(extract, gzip_inside_gzip_is_followed_once) {
    extract_result r = extract_fixture("double.txt.gz", 1 << 20);
    cr_assert_eq(r.outcome, EXTRACT_OK, "%s", r.reason);
    cr_assert_str_eq(r.text.utf8, "kettle whistles");
    extract_result_free(&r);
}

Test(extract, truncated_gzip_fails_with_a_reason) {
    extract_result r = extract_fixture("truncated.txt.gz", 1 << 20);
    cr_assert_eq(r.outcome, EXTRACT_FAILED);
    cr_assert_not_null(strstr(r.reason, "gzip"), "reason: %s", r.reason);
    extract_result_free(&r);
}

/* LEN bytes of BYTES gzip-compressed; caller frees. */
static char *gzip_bytes(const char *bytes, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    cr_assert_eq(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, len) + 64;
    char *out = malloc(cap);
    z.next_in = (Bytef *)bytes;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

Test(extract, gzip_bomb_stops_at_the_size_limit) {
    size_t big = 20u << 20;
    char *words = malloc(big);
    for (size_t i = 0; i < big; i++)
        words[i] = "abc "[i % 4];
    size_t packed_len = 0;
    char *packed = gzip_bytes(words, big, &packed_len);
    free(words);
    cr_assert_lt(packed_len, 200000, "a small file ...");
    extract_result r;
    extract_bytes("bomb.txt.gz", packed, packed_len, 1 << 20, &r);
    cr_assert_eq(r.outcome, EXTRACT_SKIPPED, "... that would decompress past the limit");
    cr_assert_not_null(strstr(r.reason, "size limit"), "reason: %s", r.reason);
    extract_result_free(&r);
    free(packed);
}

Test(extract, binary_is_skipped) {
    extract_result r = extract_fixture("binary.bin", 1 << 20);
    cr_assert_eq(r.outcome, EXTRACT_SKIPPED);
    cr_assert_str_eq(r.reason, "binary");
    extract_result_free(&r);
}

Test(extract, utf16_with_bom_is_decoded) {
    extract_result r = extract_fixture("utf16.txt", 1 << 20);
    cr_assert_eq(r.outcome, EXTRACT_OK, "%s", r.reason);
    assert_contains(&r, "Windmills grind barley into flour.");
    extract_result_free(&r);
}

Test(extract, invalid_utf8_is_repaired) {
    const char bytes[] = "good \xff\xfe words \xc3 end";
    extract_result r;
    extract_bytes("bad.txt", bytes, sizeof bytes - 1, 1 << 20, &r);
    cr_assert_eq(r.outcome, EXTRACT_OK);
    assert_contains(&r, "good");
    assert_contains(&r, "words");
    assert_contains(&r, "end");
    cr_assert(text_is_valid_utf8(r.text.utf8, r.text.len));
    extract_result_free(&r);
}

Test(extract, empty_file_is_empty_text) {
    extract_result r;
    extract_bytes("empty.txt", "", 0, 1 << 20, &r);
    cr_assert_eq(r.outcome, EXTRACT_OK);
    cr_assert_eq(r.text.len, 0);
    extract_result_free(&r);
}
