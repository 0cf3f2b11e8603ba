/* test_parts.c — the small parts of kensaku: file sets and their algebra,
 * the per-file table, the command line, and the JSON and human renderers.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/keyset.h"
#include "query/keytable.h"
#include "query/options.h"
#include "query/render.h"
#include "schema/schema.h"

/* ---------------------------------------------------------------- keyset */

static void fill(keyset *set, const uint64_t *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_assert(keyset_add(set, keys[i], (uint32_t)(100 + i)));
    keyset_normalise(set);
}

static void expect_keys(const keyset *set, const uint64_t *keys, size_t n, const char *what)
{
    cr_expect_eq(set->n, n, "%s: %zu keys", what, set->n);
    for (size_t i = 0; i < n && i < set->n; i++)
        cr_expect_eq(set->items[i].key, keys[i], "%s: key %zu", what, i);
}

Test(keyset, normalise_sorts_and_drops_repeats_keeping_the_first_passage)
{
    keyset s = KEYSET_INIT;
    const uint64_t keys[] = {9, 3, 9, 1, 3, UINT64_MAX};
    fill(&s, keys, 6);
    const uint64_t want[] = {1, 3, 9, UINT64_MAX};
    expect_keys(&s, want, 4, "normalise");
    cr_expect_eq(s.items[2].docid, 100); /* 9 was first added as docid 100 */
    cr_expect(keyset_contains(&s, 3));
    cr_expect(!keyset_contains(&s, 4));
    keyset_free(&s);
}

Test(keyset, intersect_union_subtract)
{
    const uint64_t a_keys[] = {1, 2, 3, 5, 8}, b_keys[] = {2, 3, 4, 8, 9};
    keyset a = KEYSET_INIT, b = KEYSET_INIT;
    fill(&a, a_keys, 5);
    fill(&b, b_keys, 5);

    keyset i = KEYSET_INIT;
    fill(&i, a_keys, 5);
    keyset_intersect(&i, &b);
    const uint64_t both[] = {2, 3, 8};
    expect_keys(&i, both, 3, "intersect");

    keyset u = KEYSET_INIT;
    fill(&u, a_keys, 5);
    cr_assert(keyset_union(&u, &b));
    const uint64_t either[] = {1, 2, 3, 4, 5, 8, 9};
    expect_keys(&u, either, 7, "union");

    keyset d = KEYSET_INIT;
    fill(&d, a_keys, 5);
    keyset_subtract(&d, &b);
    const uint64_t only_a[] = {1, 5};
    expect_keys(&d, only_a, 2, "subtract");

    keyset empty = KEYSET_INIT;
    cr_assert(keyset_union(&empty, &a));
    expect_keys(&empty, a_keys, 5, "union into empty");
    keyset_intersect(&empty, &(keyset)KEYSET_INIT);
    cr_expect_eq(empty.n, 0);

    keyset_free(&a);
    keyset_free(&b);
    keyset_free(&i);
    keyset_free(&u);
    keyset_free(&d);
    keyset_free(&empty);
}

Test(keyset, keys_round_trip_through_big_endian_bytes)
{
    char bytes[8];
    keyset_key_to_bytes(0x0102030405060708ULL, bytes);
    cr_expect_eq(bytes[0], 1);
    cr_expect_eq(bytes[7], 8);
    cr_expect_eq(schema_file_key_number(bytes), 0x0102030405060708ULL);
    /* Byte order is numeric order. */
    char low[8], high[8];
    keyset_key_to_bytes(0x00ff000000000000ULL, low);
    keyset_key_to_bytes(0x0100000000000000ULL, high);
    cr_expect_lt(memcmp(low, high, 8), 0);
}

Test(keyset, a_probe_answers_as_the_set_does)
{
    /* Hashed keys as files have, and clustered ones whose low bits repeat
     * (the table must not depend on them). */
    enum { N = 3000 };
    keyset hashed = KEYSET_INIT, clustered = KEYSET_INIT;
    uint64_t h = 0x243F6A8885A308D3u;
    for (uint64_t i = 0; i < N; i++) {
        h = h * 6364136223846793005u + 1442695040888963407u;
        cr_assert(keyset_add(&hashed, h | 1, (uint32_t)i));
        cr_assert(keyset_add(&clustered, (i + 1) << 32, (uint32_t)i));
    }
    keyset_normalise(&hashed);
    keyset_normalise(&clustered);
    const keyset *sets[] = {&hashed, &clustered};
    for (size_t s = 0; s < 2; s++) {
        keyprobe probe = KEYPROBE_INIT;
        cr_assert(keyprobe_build(&probe, sets[s]));
        for (size_t i = 0; i < sets[s]->n; i++) {
            uint64_t key = sets[s]->items[i].key;
            cr_expect(keyprobe_contains(&probe, key), "set %zu key %zu", s, i);
            cr_expect_eq(keyprobe_contains(&probe, key + 2), keyset_contains(sets[s], key + 2));
            cr_expect_eq(keyprobe_contains(&probe, key ^ (1u << 20)),
                         keyset_contains(sets[s], key ^ (1u << 20)));
        }
        cr_expect(!keyprobe_contains(&probe, 0), "no file has key 0");
        keyprobe_free(&probe);
    }
    keyset empty = KEYSET_INIT;
    keyprobe probe = KEYPROBE_INIT;
    cr_assert(keyprobe_build(&probe, &empty));
    cr_expect(!keyprobe_contains(&probe, 42));
    keyprobe_free(&probe);
    keyset_free(&hashed);
    keyset_free(&clustered);
}

Test(keytable, entries_survive_growth)
{
    keytable t = KEYTABLE_INIT;
    for (uint64_t k = 1; k <= 5000; k++) {
        keytable_entry *e = keytable_get(&t, k * 0x9E3779B97F4A7C15ULL);
        cr_assert_not_null(e);
        e->taken = (uint32_t)k;
    }
    cr_expect_eq(t.n, 5000);
    for (uint64_t k = 1; k <= 5000; k++) {
        keytable_entry *e = keytable_find(&t, k * 0x9E3779B97F4A7C15ULL);
        cr_assert_not_null(e);
        cr_expect_eq(e->taken, k);
    }
    cr_expect_null(keytable_find(&t, 12345));
    keytable_free(&t);
}

/* --------------------------------------------------------------- options */

static int parse(options *o, const char *const *args, size_t n, char **err)
{
    char *argv[32];
    argv[0] = "kensaku";
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = (char *)args[i];
    size_t size = 0;
    FILE *stream = open_memstream(err, &size);
    int rc = options_parse((int)n + 1, argv, o, stream);
    fclose(stream);
    return rc;
}

Test(options, options_and_words_mix_and_double_dash_ends_options)
{
    options o;
    char *err = NULL;
    const char *args[] = {"--db", "/x", "memory", "-n5", "--json", "barrier", "--", "-Stockholm",
                          "--any"};
    cr_assert_eq(parse(&o, args, 9, &err), 0, "%s", err);
    cr_expect_str_eq(o.db, "/x");
    cr_expect_eq(o.limit, 5);
    cr_expect_eq(o.format, OUTPUT_JSON);
    cr_expect(!o.any);
    cr_assert_eq(o.n_words, 4);
    cr_expect_str_eq(o.words[0], "memory");
    cr_expect_str_eq(o.words[2], "-Stockholm");
    cr_expect_str_eq(o.words[3], "--any");
    options_free(&o);
    free(err);
}

Test(options, short_clusters_and_values)
{
    options o;
    char *err = NULL;
    const char *args[] = {"-0", "-n", "7", "--per-file=3", "--color=never", "--snippet-chars",
                          "90", "--bm25", "1.5,0.6", "x"};
    cr_assert_eq(parse(&o, args, 10, &err), 0, "%s", err);
    cr_expect(o.null);
    cr_expect_eq(o.format, OUTPUT_FILES);
    cr_expect_eq(o.limit, 7);
    cr_expect_eq(o.per_file, 3);
    cr_expect_eq(o.color, COLOR_NEVER);
    cr_expect_eq(o.snippet_chars, 90);
    cr_expect_float_eq(o.bm25_k1, 1.5, 1e-9);
    cr_expect_float_eq(o.bm25_b, 0.6, 1e-9);
    options_free(&o);
    free(err);
}

typedef struct bad_case {
    const char *args[3];
    size_t n;
    const char *message;
} bad_case;

Test(options, mistakes_get_clear_messages)
{
    const bad_case cases[] = {
        {{"sanctions", "-Stockholm"}, 2, "to exclude the word 'Stockholm', put the query after --"},
        {{"-nuclear"}, 1, "to exclude the word 'nuclear'"},
        {{"-x"}, 1, "unknown option '-x'"},
        {{"--frobnicate"}, 1, "unknown option '--frobnicate'"},
        {{"-n", "many"}, 2, "-n needs a whole number"},
        {{"--limit"}, 1, "--limit needs a value"},
        {{"--json", "-l"}, 2, "cannot be combined"},
        {{"--color=sometimes"}, 1, "--color takes auto, always or never"},
        {{"--snippet-chars", "0"}, 2, "needs at least 1 character"},
        {{"--any=yes"}, 1, "--any takes no value"},
        {{"--bm25", "x"}, 2, "--bm25 needs K1,B"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        options o;
        char *err = NULL;
        cr_expect_eq(parse(&o, cases[i].args, cases[i].n, &err), -1, "case %zu", i);
        cr_expect(strstr(err, cases[i].message) != NULL, "case %zu: %s", i, err);
        free(err);
    }
}

/* ---------------------------------------------------------------- render */

static char *render(const render_options *ro, const char *id, search_result *r)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert(render_result(out, ro, id, r));
    fclose(out);
    return text;
}

static void one_hit(search_result *r, search_hit *hit, const char *path, size_t path_len)
{
    static size_t spans[] = {4, 9};
    memset(r, 0, sizeof *r);
    memset(hit, 0, sizeof *hit);
    hit->record.path = path;
    hit->record.path_len = path_len;
    hit->record.passage = 3;
    hit->line = 41;
    hit->score = 12.3;
    hit->snippet = "the \x1b[2Jsnip\npet\xe2\x80\xa6";
    hit->snippet_len = strlen(hit->snippet);
    hit->spans = spans;
    hit->n_spans = 1;
    r->hits = hit;
    r->n_hits = 1;
    r->total = 7;
    r->ms = 1.5;
}

Test(render, json_hit_and_summary_have_the_contract_fields)
{
    search_result r;
    search_hit hit;
    one_hit(&r, &hit, "/docs/a.txt", 11);
    render_options ro = {OUTPUT_JSON, false, false, true, 0};
    char *text = render(&ro, "q7", &r);
    cr_expect_str_eq(text,
                     "{\"type\":\"hit\",\"query_id\":\"q7\",\"rank\":1,\"path\":\"/docs/a.txt\","
                     "\"passage\":3,\"line\":41,\"score\":12.3,"
                     "\"snippet\":\"the \\u001B[2Jsnip\\npet\xe2\x80\xa6\",\"highlights\":[[4,9]]}\n"
                     "{\"type\":\"summary\",\"query_id\":\"q7\",\"hits\":1,\"total\":7,\"ms\":1.5}\n");
    free(text);
}

Test(render, a_path_that_is_not_utf8_goes_out_as_base64)
{
    search_result r;
    search_hit hit;
    one_hit(&r, &hit, "/d/\xff\xfe.txt", 9);
    render_options ro = {OUTPUT_JSON, false, false, false, 0};
    char *text = render(&ro, NULL, &r);
    cr_expect(strstr(text, "\"path_bytes\":\"L2Qv//4udHh0\"") != NULL, "%s", text);
    cr_expect(strstr(text, "\"path\":") == NULL);
    cr_expect(strstr(text, "query_id") == NULL);
    free(text);
}

Test(render, human_output_never_passes_control_characters)
{
    search_result r;
    search_hit hit;
    one_hit(&r, &hit, "/docs/odd\nname.txt", 18);
    render_options ro = {OUTPUT_HUMAN, false, true, false, 0};
    char *text = render(&ro, NULL, &r);
    cr_expect_str_eq(text,
                     "\033[35m/docs/odd\\x0aname.txt\033[0m:\033[32m41\033[0m: \033[2m12.30\033[0m\n"
                     "  the \033[1;31m\\x1b[2Js\033[0mnip\n  pet\xe2\x80\xa6\n\n");
    free(text);
}

Test(render, paths_and_counts)
{
    search_result r;
    search_hit hit;
    one_hit(&r, &hit, "/docs/a b.txt", 13);
    render_options files = {OUTPUT_FILES, true, false, false, 0};
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert(render_result(out, &files, NULL, &r));
    fclose(out);
    cr_expect_eq(size, 14);
    cr_expect_eq(memcmp(text, "/docs/a b.txt\0", 14), 0);
    free(text);
    render_options count = {OUTPUT_COUNT, false, false, true, 0};
    text = render(&count, "x", &r);
    cr_expect_str_eq(text, "x\t7\n");
    free(text);
}
