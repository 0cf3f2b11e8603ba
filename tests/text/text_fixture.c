/* text_fixture.c — shared helpers of the text/ tests; see text_fixture.h. */
#include "text_fixture.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const text_fixtures[] = {
    "en.txt", "de.txt",    "fr.txt",    "ja.txt",  "zh.txt",   "th.txt",
    "ko.txt", "ar.txt",    "he.txt",    "nfc.txt", "nfd.txt",  "emoji.txt",
    "zw.txt", "width.txt", "crlf.txt",  "invalid.txt",
};
const size_t text_fixture_count = sizeof text_fixtures / sizeof text_fixtures[0];

char *fixture_read(const char *name, size_t *len)
{
    const char *root = getenv("FIXTURES");
    cr_assert_not_null(root, "FIXTURES is not set (ctest sets it to the fixtures folder)");
    char path[4096];
    snprintf(path, sizeof path, "%s/text/%s", root, name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s: %s", path, strerror(errno));
    char *bytes = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 8192;
            char *grown = realloc(bytes, cap);
            cr_assert_not_null(grown);
            bytes = grown;
        }
        size_t got = fread(bytes + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    bytes[n] = '\0';
    *len = n;
    return bytes;
}

text_decoded fixture_decoded(const char *name)
{
    size_t len = 0;
    char *bytes = fixture_read(name, &len);
    text_decoded decoded;
    text_status status = text_decode(bytes, len, &decoded);
    free(bytes);
    cr_assert_eq(status, TEXT_OK, "decoding %s: %s", name, text_status_string(status));
    return decoded;
}

text_analyser *analyser_with(const char *language, bool fold_accents, uint32_t min_words,
                             uint32_t max_words)
{
    text_config config;
    text_config_default(&config);
    snprintf(config.language, sizeof config.language, "%s", language);
    config.fold_accents = fold_accents;
    config.passage_min_words = min_words;
    config.passage_max_words = max_words;
    text_analyser *analyser = NULL;
    char *message = NULL;
    text_status status = text_analyser_new(&config, &analyser, &message);
    cr_assert_eq(status, TEXT_OK, "analyser: %s", message ? message : "?");
    free(message);
    return analyser;
}

text_analyser *default_analyser(void)
{
    text_config config;
    text_config_default(&config);
    text_analyser *analyser = NULL;
    cr_assert_eq(text_analyser_new(&config, &analyser, NULL), TEXT_OK);
    return analyser;
}

static char *copy_string(const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    cr_assert_not_null(copy);
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

static int collect_token(void *context, const text_token *token)
{
    token_list *list = context;
    cr_assert_eq(strlen(token->term), token->term_len, "term is NUL-terminated at term_len");
    cr_assert_eq(strlen(token->stem), token->stem_len, "stem is NUL-terminated at stem_len");
    if (list->n == list->cap) {
        list->cap = list->cap ? 2 * list->cap : 64;
        token_copy *grown = realloc(list->items, list->cap * sizeof *grown);
        cr_assert_not_null(grown);
        list->items = grown;
    }
    list->items[list->n++] = (token_copy){
        .kind = token->kind,
        .term = copy_string(token->term, token->term_len),
        .stem = copy_string(token->stem, token->stem_len),
        .position = token->position,
        .start = token->start,
        .end = token->end,
        .variant = token->variant,
    };
    return 0;
}

token_list tokens_of(text_analyser *analyser, const char *text, size_t len,
                     uint32_t first_position)
{
    token_list list = {0};
    list.status = text_analyse(analyser, text, len, first_position, collect_token, &list,
                               &list.next_position);
    cr_assert_eq(list.status, TEXT_OK, "text_analyse: %s", text_status_string(list.status));
    return list;
}

token_list tokens_of_string(text_analyser *analyser, const char *text)
{
    return tokens_of(analyser, text, strlen(text), 1);
}

void token_list_free(token_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].term);
        free(list->items[i].stem);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}

const token_copy *find_token(const token_list *list, text_token_kind kind, const char *term)
{
    for (size_t i = 0; i < list->n; i++)
        if (list->items[i].kind == kind && strcmp(list->items[i].term, term) == 0)
            return &list->items[i];
    return NULL;
}

char *word_terms(const token_list *list)
{
    size_t size = 1;
    for (size_t i = 0; i < list->n; i++) size += strlen(list->items[i].term) + 1;
    char *joined = calloc(1, size);
    cr_assert_not_null(joined);
    for (size_t i = 0; i < list->n; i++) {
        const token_copy *t = &list->items[i];
        if (t->variant || (t->kind != TEXT_TOKEN_WORD && t->kind != TEXT_TOKEN_NUMBER))
            continue;
        if (joined[0]) strcat(joined, " ");
        strcat(joined, t->term);
    }
    return joined;
}

static int collect_passage(void *context, const text_passage *passage)
{
    passage_list *list = context;
    if (list->n == list->cap) {
        list->cap = list->cap ? 2 * list->cap : 16;
        text_passage *grown = realloc(list->items, list->cap * sizeof *grown);
        cr_assert_not_null(grown);
        list->items = grown;
    }
    list->items[list->n++] = *passage;
    return 0;
}

passage_list passages_of(text_analyser *analyser, const char *text, size_t len)
{
    passage_list list = {0};
    text_status status = text_split_passages(analyser, text, len, collect_passage, &list);
    cr_assert_eq(status, TEXT_OK, "text_split_passages: %s", text_status_string(status));
    return list;
}

void passage_list_free(passage_list *list)
{
    free(list->items);
    memset(list, 0, sizeof *list);
}

char *iconv_bytes(const char *to, const char *from, const char *in, size_t len,
                  size_t *out_len)
{
    iconv_t cd = iconv_open(to, from);
    cr_assert_neq(cd, (iconv_t)-1, "iconv_open(%s, %s): %s", to, from, strerror(errno));
    size_t cap = 4 * len + 16;
    char *out = malloc(cap);
    cr_assert_not_null(out);
    char *inp = (char *)in, *outp = out;
    size_t in_left = len, out_left = cap;
    size_t done = iconv(cd, &inp, &in_left, &outp, &out_left);
    iconv_close(cd);
    cr_assert_neq(done, (size_t)-1, "iconv %s -> %s: %s", from, to, strerror(errno));
    *out_len = cap - out_left;
    return out;
}

bool at_char_boundary(const char *text, size_t len, size_t offset)
{
    return offset == len || (offset < len && ((unsigned char)text[offset] & 0xC0) != 0x80);
}
