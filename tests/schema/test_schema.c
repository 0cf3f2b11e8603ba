/* test_schema.c — terms built from paths, unique terms, token terms and the
 * passage record: what the indexer writes and the query tool reads back. */
#include <criterion/criterion.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "schema/schema.h"

/* ------------------------------------------------------------ helpers */

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* A strict UTF-8 check, independent of the code under test. */
static bool valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > n)
            return false;
        for (size_t k = 1; k < len; k++)
            if (((unsigned char)s[i + k] & 0xC0) != 0x80)
                return false;
        i += len;
    }
    return true;
}

/* A path of LEN bytes: "/" then repetitions of UNIT. */
static char *make_path(size_t len, const char *unit)
{
    char *path = malloc(len + 1);
    cr_assert_not_null(path);
    path[0] = '/';
    size_t unit_len = strlen(unit);
    for (size_t i = 1; i < len; i++)
        path[i] = unit[(i - 1) % unit_len];
    path[len] = '\0';
    return path;
}

/* ------------------------------------------------------------ path terms */

Test(path_term, short_path_is_prefix_and_path_verbatim) {
    char term[SCHEMA_TERM_MAX];
    size_t len = schema_path_term(SCHEMA_PREFIX_FILE, "/home/me/notes.txt", 18, term);
    cr_assert_eq(len, 20);
    cr_assert_str_eq(term, "XF/home/me/notes.txt");
}

Test(path_term, path_that_just_fits_is_not_hashed) {
    char *path = make_path(SHIM_MAX_TERM_BYTES - 2, "abc/");
    char term[SCHEMA_TERM_MAX];
    size_t len = schema_path_term("XF", path, strlen(path), term);
    cr_assert_eq(len, SHIM_MAX_TERM_BYTES);
    cr_assert_eq(memcmp(term + 2, path, strlen(path)), 0);
    cr_assert_null(strchr(term, '#'));
    free(path);
}

Test(path_term, one_byte_over_the_limit_is_hashed_under_the_limit) {
    char *path = make_path(SHIM_MAX_TERM_BYTES - 1, "abc/");
    char term[SCHEMA_TERM_MAX];
    size_t len = schema_path_term("XF", path, strlen(path), term);
    cr_assert_leq(len, SHIM_MAX_TERM_BYTES);
    cr_assert_eq(len, 2 + 200 + 1 + 32);
    cr_assert_eq(memcmp(term, "XF", 2), 0);
    cr_assert_eq(memcmp(term + 2, path, 200), 0, "keeps the path's first 200 bytes");
    cr_assert_eq(term[202], '#');
    cr_assert(is_hex(term + 203, 32));
    cr_assert_eq(term[len], '\0');
    free(path);
}

Test(path_term, hash_is_xxh3_128_of_the_whole_path) {
    char *path = make_path(400, "dir/");
    char term[SCHEMA_TERM_MAX];
    size_t len = schema_path_term("XP", path, 400, term);
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits(path, 400));
    char hex[33];
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", canonical.digest[i]);
    cr_assert_eq(memcmp(term + len - 32, hex, 32), 0);
    free(path);
}

Test(path_term, long_paths_sharing_their_first_200_bytes_differ) {
    char *a = make_path(300, "x");
    char *b = make_path(300, "x");
    b[299] = 'y';
    char ta[SCHEMA_TERM_MAX], tb[SCHEMA_TERM_MAX];
    schema_path_term("XF", a, 300, ta);
    schema_path_term("XF", b, 300, tb);
    cr_assert_str_neq(ta, tb);
    free(a);
    free(b);
}

Test(path_term, same_path_gives_same_term) {
    char *path = make_path(500, "same/");
    char t1[SCHEMA_TERM_MAX], t2[SCHEMA_TERM_MAX];
    schema_path_term("XF", path, 500, t1);
    schema_path_term("XF", path, 500, t2);
    cr_assert_str_eq(t1, t2);
    free(path);
}

/* Byte 200 falls inside a three-byte character: the kept part must stop
 * before it, so the term stays valid UTF-8. */
Test(path_term, cut_never_splits_a_utf8_character) {
    for (size_t shift = 0; shift < 3; shift++) {
        char path[400];
        size_t n = 0;
        path[n++] = '/';
        for (size_t i = 0; i < shift; i++)
            path[n++] = 'a';
        while (n + 3 <= sizeof path - 1) {
            memcpy(path + n, "\xe6\xa4\x9c", 3); /* 検 */
            n += 3;
        }
        char term[SCHEMA_TERM_MAX];
        size_t len = schema_path_term("XF", path, n, term);
        size_t kept = len - 2 - 33;
        cr_assert_leq(kept, 200);
        cr_assert_geq(kept, 198);
        cr_assert(valid_utf8(term, len), "shift %zu: the term must be valid UTF-8", shift);
        cr_assert_eq(memcmp(term + 2, path, kept), 0);
    }
}

Test(path_term, invalid_utf8_path_is_cut_at_200_bytes) {
    char path[300];
    path[0] = '/';
    memset(path + 1, 0x80, sizeof path - 1); /* continuation bytes only */
    char term[SCHEMA_TERM_MAX];
    size_t len = schema_path_term("XF", path, sizeof path, term);
    cr_assert_eq(len, 2 + 200 + 33);
    cr_assert_eq(memcmp(term + 2, path, 200), 0);
}

/* ------------------------------------------------------------ file keys */

Test(file_key, is_xxh3_64_of_the_path_big_endian) {
    const char *path = "/srv/docs/a.txt";
    char key[SCHEMA_FILE_KEY_BYTES];
    schema_file_key(path, strlen(path), key);
    uint64_t hash = XXH3_64bits(path, strlen(path));
    for (int i = 0; i < 8; i++)
        cr_assert_eq((unsigned char)key[i], (unsigned char)(hash >> (56 - 8 * i)));
}

Test(file_key, differs_between_paths) {
    char a[SCHEMA_FILE_KEY_BYTES], b[SCHEMA_FILE_KEY_BYTES];
    schema_file_key("/a", 2, a);
    schema_file_key("/b", 2, b);
    cr_assert_neq(memcmp(a, b, sizeof a), 0);
}

/* ------------------------------------------------------------ unique terms */

Test(unique_term, is_q_hash_slash_ordinal) {
    char term[SCHEMA_TERM_MAX];
    size_t len = schema_unique_term("XF/home/me/a.txt", 7, term);
    cr_assert_eq(len, 1 + 32 + 2);
    cr_assert_eq(term[0], 'Q');
    cr_assert(is_hex(term + 1, 32));
    cr_assert_str_eq(term + 33, "/7");
}

Test(unique_term, differs_by_file_and_by_ordinal) {
    char a1[SCHEMA_TERM_MAX], a2[SCHEMA_TERM_MAX], b1[SCHEMA_TERM_MAX];
    schema_unique_term("XF/a", 1, a1);
    schema_unique_term("XF/a", 2, a2);
    schema_unique_term("XF/b", 1, b1);
    cr_assert_str_neq(a1, a2);
    cr_assert_str_neq(a1, b1);
    char again[SCHEMA_TERM_MAX];
    schema_unique_term("XF/a", 1, again);
    cr_assert_str_eq(a1, again);
}

Test(unique_term, largest_ordinal_fits) {
    char term[SCHEMA_TERM_MAX];
    size_t len = schema_unique_term("XF/a", UINT32_MAX, term);
    cr_assert_str_eq(term + 33, "/4294967295");
    cr_assert_eq(len, strlen(term));
}

/* ------------------------------------------------------------ records */

static void assert_round_trip(const schema_passage_record *in)
{
    size_t len = 0;
    char *data = schema_record_encode(in, &len);
    cr_assert_not_null(data);
    schema_passage_record out;
    cr_assert(schema_record_decode(data, len, &out));
    cr_assert_eq(out.passage, in->passage);
    cr_assert_eq(out.start, in->start);
    cr_assert_eq(out.end, in->end);
    cr_assert_eq(out.line, in->line);
    cr_assert_eq(out.path_len, in->path_len);
    cr_assert_eq(memcmp(out.path, in->path, in->path_len), 0);
    cr_assert_eq(out.text_len, in->text_len);
    cr_assert_eq(memcmp(out.text, in->text, in->text_len), 0);
    free(data);
}

Test(record, round_trips_an_ordinary_passage) {
    const char *text = "The ferry leaves at nine.\nIt returns at noon.";
    schema_passage_record r = {"/home/me/ferry.txt", 18, 3, 120, 120 + strlen(text), 14,
                               text, strlen(text)};
    assert_round_trip(&r);
}

Test(record, round_trips_a_path_with_newline_and_invalid_utf8) {
    const char path[] = "/tmp/odd\nname\xff\xfe.txt";
    schema_passage_record r = {path, sizeof path - 1, 1, 0, 5, 1, "hello", 5};
    assert_round_trip(&r);
}

Test(record, round_trips_binary_text_with_nul_bytes) {
    const char text[] = "a\0b\0\xff\n\nK1 9 9 9 9 9\n";
    schema_passage_record r = {"/x", 2, 2, 10, 10 + sizeof text - 1, 4, text, sizeof text - 1};
    assert_round_trip(&r);
}

Test(record, round_trips_empty_text_and_extreme_numbers) {
    schema_passage_record r = {"/", 1, UINT32_MAX, UINT64_MAX, UINT64_MAX, UINT32_MAX, "", 0};
    assert_round_trip(&r);
}

Test(record, header_is_readable_in_delve) {
    schema_passage_record r = {"/a.txt", 6, 2, 10, 20, 3, "0123456789", 10};
    size_t len = 0;
    char *data = schema_record_encode(&r, &len);
    cr_assert_str_eq(data, "K1 2 10 20 3 6\n/a.txt\n0123456789");
    free(data);
}

/* Table of data that no encoder wrote: each must be refused. */
Test(record, refuses_data_it_did_not_write) {
    static const char *const bad[] = {
        "",
        "K1",
        "K2 1 0 1 1 2\n/a\nx",          /* another version */
        "K1 1 0 1 1 2",                 /* header never ends */
        "K1 1 5 4 1 2\n/a\nx",          /* start after end */
        "K1 1 0 1 1 9\n/a\nx",          /* path longer than the data */
        "K1 1 0 1 1 2\n/ab",            /* no newline after the path */
        "K1 01 0 1 1 2\n/a\nx",         /* leading zero */
        "K1 -1 0 1 1 2\n/a\nx",         /* sign */
        "K1 4294967296 0 1 1 2\n/a\nx", /* passage over 32 bits */
        "K1 1 0 1 1 99999999999999999999\n/a\nx", /* overflow */
        "K1 1 0 1 1\n/a\nx",            /* a field missing */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        schema_passage_record r;
        cr_assert_not(schema_record_decode(bad[i], strlen(bad[i]), &r), "case %zu: \"%s\"", i,
                      bad[i]);
    }
}

/* ------------------------------------------------------------ token terms */

static char *temp_dir;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void make_temp_dir(void)
{
    char pattern[] = "/tmp/kensaku-schema-XXXXXX";
    cr_assert_not_null(mkdtemp(pattern));
    temp_dir = strdup(pattern);
}

static void remove_temp_dir(void)
{
    nftw(temp_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(temp_dir);
}

/* The terms of DOC once written, as "term:wdf:positions" joined by spaces. */
static char *terms_of(shim_doc *doc)
{
    char path[512];
    snprintf(path, sizeof path, "%s/db", temp_dir);
    shim_writable_db *w = NULL;
    cr_assert_eq(shim_writable_open(path, NULL, &w, NULL), SHIM_OK);
    uint32_t docid = 0;
    cr_assert_eq(shim_writable_add_document(w, doc, &docid), SHIM_OK);
    shim_db *db = shim_writable_reader(w);
    shim_term_iter *it = NULL;
    cr_assert_eq(shim_db_document_terms(db, docid, &it), SHIM_OK);
    char *out = calloc(1, 4096);
    const char *term;
    size_t len;
    while (shim_term_iter_next(it, &term, &len) == SHIM_OK) {
        uint32_t wdf = 0;
        cr_assert_eq(shim_term_iter_freq(it, &wdf), SHIM_OK);
        size_t used = strlen(out);
        snprintf(out + used, 4096 - used, "%s%.*s:%u", used ? " " : "", (int)len, term, wdf);
    }
    shim_term_iter_free(it);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    return out;
}

static text_token token(text_token_kind kind, const char *term, const char *stem,
                        uint32_t position)
{
    text_token t = {kind, term, strlen(term), stem, strlen(stem), position, 0, strlen(term),
                    false};
    return t;
}

TestSuite(index_token, .init = make_temp_dir, .fini = remove_temp_dir);

Test(index_token, word_gives_term_and_z_stem) {
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    text_token t = token(TEXT_TOKEN_WORD, "abducted", "abduct", 1);
    cr_assert_eq(schema_index_token(doc, &t, true), SHIM_OK);
    t = token(TEXT_TOKEN_WORD, "abducted", "abduct", 2);
    cr_assert_eq(schema_index_token(doc, &t, true), SHIM_OK);
    char *terms = terms_of(doc);
    cr_assert_str_eq(terms, "Zabduct:2 abducted:2");
    free(terms);
    shim_doc_free(doc);
}

Test(index_token, no_z_terms_without_stemming) {
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    text_token t = token(TEXT_TOKEN_WORD, "abducted", "abducted", 1);
    cr_assert_eq(schema_index_token(doc, &t, false), SHIM_OK);
    char *terms = terms_of(doc);
    cr_assert_str_eq(terms, "abducted:1");
    free(terms);
    shim_doc_free(doc);
}

Test(index_token, numbers_are_terms_with_their_z_form) {
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    text_token t = token(TEXT_TOKEN_NUMBER, "38.101", "38.101", 1);
    cr_assert_eq(schema_index_token(doc, &t, true), SHIM_OK);
    char *terms = terms_of(doc);
    cr_assert_str_eq(terms, "38.101:1 Z38.101:1");
    free(terms);
    shim_doc_free(doc);
}

Test(index_token, cjk_ngrams_get_xc_prefix_and_no_wdf) {
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    text_token t = token(TEXT_TOKEN_CJK_BIGRAM, "管理", "管理", 1);
    cr_assert_eq(schema_index_token(doc, &t, true), SHIM_OK);
    t = token(TEXT_TOKEN_CJK_UNIGRAM, "管", "管", 1);
    cr_assert_eq(schema_index_token(doc, &t, true), SHIM_OK);
    char *terms = terms_of(doc);
    cr_assert_str_eq(terms, "XC管:0 XC管理:0");
    free(terms);
    shim_doc_free(doc);
}

Test(index_token, over_long_term_is_skipped_not_refused) {
    shim_doc *doc = NULL;
    cr_assert_eq(shim_doc_new(&doc), SHIM_OK);
    char longest[300];
    memset(longest, 'a', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    text_token t = token(TEXT_TOKEN_WORD, longest, longest, 1);
    cr_assert_eq(schema_index_token(doc, &t, true), SHIM_OK);
    t = token(TEXT_TOKEN_WORD, "kept", "kept", 2);
    cr_assert_eq(schema_index_token(doc, &t, true), SHIM_OK);
    char *terms = terms_of(doc);
    cr_assert_str_eq(terms, "Zkept:1 kept:1");
    free(terms);
    shim_doc_free(doc);
}

/* ------------------------------------------------------------ query terms */

Test(query_term, exact_stemmed_and_cjk_forms) {
    char out[SCHEMA_TERM_MAX];
    text_token word = token(TEXT_TOKEN_WORD, "abducted", "abduct", 1);
    cr_assert_eq(schema_query_term(&word, false, out), 8);
    cr_assert_str_eq(out, "abducted");
    cr_assert_eq(schema_query_term(&word, true, out), 7);
    cr_assert_str_eq(out, "Zabduct");
    text_token cjk = token(TEXT_TOKEN_CJK_BIGRAM, "管理", "管理", 1);
    cr_assert_str_eq((schema_query_term(&cjk, true, out), out), "XC管理");
    cr_assert_str_eq((schema_query_term(&cjk, false, out), out), "XC管理");
}

Test(query_term, too_long_gives_zero) {
    char longest[300];
    memset(longest, 'b', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    text_token t = token(TEXT_TOKEN_WORD, longest, longest, 1);
    char out[SCHEMA_TERM_MAX];
    cr_assert_eq(schema_query_term(&t, true, out), 0);
}
