/* test_ascii_words.c — pure ASCII text is segmented by a scanner instead of
 * ICU's word iterator (text/ascii_words.c); it must find exactly ICU's words.
 * Each text is analysed both ways, the scanner's and ICU's (forced through
 * text_analyser_force_icu), and the tokens must be the same: random strings
 * dense in punctuation, the tricky cases by name, and the fixture files. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/analyse_internal.h"
#include "text/ascii_words_internal.h"
#include "text_fixture.h"

/* Two analysers of one configuration: one takes the ASCII scanner, the other
 * always ICU. */
typedef struct analyser_pair {
    text_analyser *scanner;
    text_analyser *icu;
} analyser_pair;

static analyser_pair pair_for(const char *language)
{
    analyser_pair pair = {analyser_with(language, true, 60, 300),
                          analyser_with(language, true, 60, 300)};
    text_analyser_force_icu(pair.icu, true);
    return pair;
}

static void pair_free(analyser_pair *pair)
{
    text_analyser_free(pair->scanner);
    text_analyser_free(pair->icu);
}

/* TEXT printable for a failure message: control bytes as \xNN. */
static const char *shown(const char *text, size_t len)
{
    static char out[4096];
    size_t n = 0;
    for (size_t i = 0; i < len && n + 5 < sizeof out; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c < 0x7F) out[n++] = (char)c;
        else n += (size_t)snprintf(out + n, sizeof out - n, "\\x%02X", c);
    }
    out[n] = '\0';
    return out;
}

/* The tokens of TEXT both ways must be the same, field by field. */
static void assert_same_both_ways(const analyser_pair *pair, const char *text, size_t len,
                                  uint32_t first_position)
{
    token_list fast = tokens_of(pair->scanner, text, len, first_position);
    token_list icu = tokens_of(pair->icu, text, len, first_position);
    const char *s = shown(text, len);
    cr_assert_eq(fast.n, icu.n, "\"%s\": %zu tokens, ICU %zu", s, fast.n, icu.n);
    for (size_t i = 0; i < fast.n; i++) {
        const token_copy *x = &fast.items[i], *y = &icu.items[i];
        cr_assert_eq(x->kind, y->kind, "\"%s\" token %zu '%s': kind", s, i, x->term);
        cr_assert_str_eq(x->term, y->term, "\"%s\" token %zu", s, i);
        cr_assert_str_eq(x->stem, y->stem, "\"%s\" token %zu", s, i);
        cr_assert_eq(x->position, y->position, "\"%s\" token %zu '%s'", s, i, x->term);
        cr_assert_eq(x->start, y->start, "\"%s\" token %zu '%s'", s, i, x->term);
        cr_assert_eq(x->end, y->end, "\"%s\" token %zu '%s'", s, i, x->term);
        cr_assert_eq(x->variant, y->variant, "\"%s\" token %zu '%s'", s, i, x->term);
    }
    cr_assert_eq(fast.next_position, icu.next_position, "\"%s\": next position", s);
    token_list_free(&fast);
    token_list_free(&icu);
}

/* ------------------------------------------------------ random strings */

/* Characters the rules treat apart (letters, digits, '_', '@', the middle
 * characters '.', '\'', ',', ';', the excluded ':', CR LF and spaces) and
 * some that just break; 'l' and 'd' make French elisions ("l'a", "d'a"). */
static const char alphabet[] = "aZ9_.,;:'\"- \t\r\n/()#@$" "bxE07ld";

/* xorshift64*: the same strings on every machine. */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 0x2545F4914F6CDD1DULL;
}

Test(ascii_words, random_strings_give_icus_tokens) {
    analyser_pair english = pair_for("english"), french = pair_for("french");
    uint64_t state = 0x6B656E73616B75ULL;
    char text[41];
    for (int n = 0; n < 20000; n++) {
        size_t len = next_random(&state) % 41;
        for (size_t i = 0; i < len; i++)
            text[i] = alphabet[next_random(&state) % (sizeof alphabet - 1)];
        cr_assert(ascii_only(text, len));
        uint32_t first_position = 1 + (uint32_t)(next_random(&state) % 3);
        assert_same_both_ways(n % 2 ? &french : &english, text, len, first_position);
    }
    pair_free(&english);
    pair_free(&french);
}

/* ---------------------------------------------------- the tricky cases */

/* The words of TEXT as "w:SURFACE" (letters) and "n:SURFACE" (numbers),
 * SURFACE being the token's bytes in the text, joined by single spaces. */
static char *words_of(const token_list *tokens, const char *text)
{
    size_t size = 1;
    for (size_t i = 0; i < tokens->n; i++)
        size += tokens->items[i].end - tokens->items[i].start + 3;
    char *joined = calloc(1, size);
    cr_assert_not_null(joined);
    size_t n = 0;
    for (size_t i = 0; i < tokens->n; i++) {
        const token_copy *t = &tokens->items[i];
        if (t->variant) continue;
        n += (size_t)snprintf(joined + n, size - n, "%s%c:%.*s", n ? " " : "",
                              t->kind == TEXT_TOKEN_NUMBER ? 'n' : 'w',
                              (int)(t->end - t->start), text + t->start);
    }
    return joined;
}

/* What ICU 72 makes of them: checked against ICU by the comparison too. */
static const struct words_case {
    const char *text;
    const char *words;
} words_cases[] = {
    {"a:b", "w:a w:b"},             /* ':' is no MidLetter in ICU's rules */
    {"a.b", "w:a.b"},
    {"a'b", "w:a'b"},
    {"a'", "w:a"},
    {"'a", "w:a"},
    {"1,2", "n:1,2"},
    {"1.2", "n:1.2"},
    {"1;2", "n:1;2"},
    {"1'2", "n:1'2"},
    {"a_b", "w:a_b"},
    {"_a", "w:_a"},
    {"a1", "n:a1"},                 /* the class of the last character */
    {"1a", "w:1a"},
    {"a.1", "w:a n:1"},
    {"1.a", "n:1 w:a"},
    {"a..b", "w:a w:b"},
    {"a.b.c", "w:a.b.c"},
    {"1,2,3", "n:1,2,3"},
    {"U.S.A.", "w:U.S.A"},
    {"e.g.", "w:e.g"},
    {"don't", "w:don't"},
    {"x86_64", "n:x86_64"},
    {"1.2.3", "n:1.2.3"},
    {"a,b", "w:a w:b"},
    {"a;b", "w:a w:b"},
    {"__init__", "w:__init__"},
    {"v1.2", "n:v1.2"},
    {"3.14abc", "w:3.14abc"},
    /* '_' alone is punctuation; ending a word, the character before decides */
    {"_", ""},
    {"_ . _", ""},
    {"__", "w:__"},
    {"a_", "w:a_"},
    {"1_", "n:1_"},
    {"1__", "w:1__"},
    {"a1_", "n:a1_"},
    {"_1", "n:_1"},
    {"a_.b", "w:a_ w:b"},
    {"1_.2", "n:1_ n:2"},
    /* '@' is a letter to ICU */
    {"@", "w:@"},
    {"user@example.org", "w:user@example.org"},
    {"a@1", "n:a@1"},
    /* a middle character links one letter or digit to the next, no more */
    {"1,a", "n:1 w:a"},
    {"a'1", "w:a n:1"},
    {"a.b.1", "w:a.b n:1"},
    {"1.2.a", "n:1.2 w:a"},
    {"a1.2b", "w:a1.2b"},
    {"1,2.3;4'5", "n:1,2.3;4'5"},
    {"a.'b", "w:a w:b"},
    {"1..2", "n:1 n:2"},
    /* everything else breaks */
    {"a-b a\"b a/b", "w:a w:b w:a w:b w:a w:b"},
    {"a\r\nb\n\rc\td  e", "w:a w:b w:c w:d w:e"},
    {"", ""},
    {" \r\n ", ""},
};

Test(ascii_words, tricky_cases_give_icus_words) {
    analyser_pair pair = pair_for("english");
    for (size_t i = 0; i < sizeof words_cases / sizeof words_cases[0]; i++) {
        const struct words_case *c = &words_cases[i];
        size_t len = strlen(c->text);
        token_list tokens = tokens_of(pair.scanner, c->text, len, 1);
        char *words = words_of(&tokens, c->text);
        cr_expect_str_eq(words, c->words, "\"%s\"", shown(c->text, len));
        free(words);
        token_list_free(&tokens);
        assert_same_both_ways(&pair, c->text, len, 1);
    }
    pair_free(&pair);
}

/* ------------------------------------------------------------ real text */

/* The paragraphs of TEXT (separated by lines holding only white space),
 * each analysed both ways if it is pure ASCII; returns how many were. */
static size_t compare_ascii_paragraphs(const analyser_pair *pair, const char *text, size_t len)
{
    size_t compared = 0, start = 0, line = 0;
    bool blank = true;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n') {
            if (!strchr(" \t\r\f\v", text[i])) blank = false;
            continue;
        }
        /* A line ends at I: a blank one (or the end) closes the paragraph. */
        if ((blank || i == len) && line > start) {
            if (ascii_only(text + start, line - start)) {
                assert_same_both_ways(pair, text + start, line - start, 1);
                compared++;
            }
        }
        if (blank) start = i + 1;
        line = i + 1 < len ? i + 1 : len;
        if (i == len) break;
        blank = true;
    }
    return compared;
}

/* The passages of TEXT, as the indexer analyses them, compared both ways
 * (numbered from a different position each, as the indexer's are). */
static void compare_passages(const analyser_pair *pair, const char *text, size_t len)
{
    passage_list passages = passages_of(pair->scanner, text, len);
    for (size_t i = 0; i < passages.n; i++) {
        const text_passage *p = &passages.items[i];
        assert_same_both_ways(pair, text + p->start, p->end - p->start, p->ordinal);
    }
    passage_list_free(&passages);
}

Test(ascii_words, ascii_fixture_files_give_icus_tokens) {
    analyser_pair pair = pair_for("english");
    char dir[4096];
    const char *root = getenv("FIXTURES");
    cr_assert_not_null(root, "FIXTURES is not set (ctest sets it to the fixtures folder)");
    snprintf(dir, sizeof dir, "%s/text", root);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    size_t files = 0, paragraphs = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        if (entry->d_name[0] == '.') continue;
        size_t len = 0;
        char *bytes = fixture_read(entry->d_name, &len);
        /* Files in other scripts may still hold ASCII paragraphs. */
        paragraphs += compare_ascii_paragraphs(&pair, bytes, len);
        if (ascii_only(bytes, len)) {
            assert_same_both_ways(&pair, bytes, len, 1);
            compare_passages(&pair, bytes, len);
            files++;
        }
        free(bytes);
    }
    closedir(d);
    pair_free(&pair);
    cr_assert_gt(files, 0, "no pure ASCII file in %s", dir);
    cr_assert_gt(paragraphs, files, "ASCII paragraphs");
}

/* ------------------------------------------------------------- details */

/* Collects tokens like tokens_of, but asks to stop after LIMIT of them. */
typedef struct stopping_list {
    token_list tokens;
    size_t limit;
} stopping_list;

static int collect_until_limit(void *context, const text_token *token)
{
    stopping_list *list = context;
    token_list *tokens = &list->tokens;
    if (tokens->n == tokens->cap) {
        tokens->cap = tokens->cap ? 2 * tokens->cap : 16;
        tokens->items = realloc(tokens->items, tokens->cap * sizeof *tokens->items);
        cr_assert_not_null(tokens->items);
    }
    tokens->items[tokens->n++] = (token_copy){
        .kind = token->kind,
        .term = strdup(token->term),
        .stem = strdup(token->stem),
        .position = token->position,
        .start = token->start,
        .end = token->end,
        .variant = token->variant,
    };
    return tokens->n == list->limit;
}

Test(ascii_words, stopping_stops_at_the_same_token_both_ways) {
    analyser_pair french = pair_for("french");
    const char *text = "One 2.5 three_4 e.g. five, 6,000 and l'avion here";
    for (size_t limit = 1; limit <= 10; limit++) {
        stopping_list fast = {.limit = limit}, icu = {.limit = limit};
        uint32_t fast_next = 0, icu_next = 0;
        text_status fast_status = text_analyse(french.scanner, text, strlen(text), 1,
                                               collect_until_limit, &fast, &fast_next);
        text_status icu_status = text_analyse(french.icu, text, strlen(text), 1,
                                              collect_until_limit, &icu, &icu_next);
        cr_assert_eq(fast_status, TEXT_STOPPED, "limit %zu", limit);
        cr_assert_eq(icu_status, TEXT_STOPPED, "limit %zu", limit);
        cr_assert_eq(fast.tokens.n, limit);
        cr_assert_eq(icu.tokens.n, limit);
        for (size_t i = 0; i < limit; i++) {
            cr_assert_str_eq(fast.tokens.items[i].term, icu.tokens.items[i].term);
            cr_assert_eq(fast.tokens.items[i].variant, icu.tokens.items[i].variant);
        }
        cr_assert_eq(fast_next, icu_next, "limit %zu", limit);
        token_list_free(&fast.tokens);
        token_list_free(&icu.tokens);
    }
    pair_free(&french);
}

Test(ascii_words, ascii_only_finds_a_high_byte_anywhere) {
    char buffer[80];
    for (size_t offset = 0; offset < 8; offset++) {
        for (size_t len = 0; len + offset <= sizeof buffer; len++) {
            memset(buffer, 'a', sizeof buffer);
            cr_assert(ascii_only(buffer + offset, len), "len %zu", len);
            for (size_t at = 0; at < len; at++) {
                buffer[offset + at] = (char)0x80;
                cr_assert(!ascii_only(buffer + offset, len), "len %zu, at %zu", len, at);
                buffer[offset + at] = 'a';
            }
            /* A high byte just outside is not looked at. */
            if (offset + len < sizeof buffer) buffer[offset + len] = (char)0xFF;
            cr_assert(ascii_only(buffer + offset, len), "len %zu", len);
        }
    }
}
