/* fuzz_analyse.c — decode, split into passages and analyse arbitrary bytes
 * (text/decode.h, text/passages.h, text/analyse.h), checking what the
 * headers promise:
 *
 *   decode    always succeeds with valid UTF-8, NUL-terminated; valid UTF-8
 *             without a BOM comes out unchanged; text_is_valid_utf8 agrees
 *             with an independent validator (fuzz_utf8.h).
 *   passages  numbered 1, 2, ...; in order, not overlapping, inside the text;
 *             never starting or ending inside a UTF-8 sequence or on white
 *             space; only white space outside them; first_line right; words
 *             within the bound; no word of the whole text split between two
 *             (but for words of dictionary scripts, whose segmentation
 *             depends on the text around them).
 *   tokens    inside the passage, on code point boundaries, in text order;
 *             terms and stems non-empty valid UTF-8 of the stated length;
 *             word positions increasing (a variant repeats the one before);
 *             CJK bigrams joining the previous unigram to the next one.
 *
 * With KENSAKU_FUZZ_WORDS=1 in the environment, a passage's word count is
 * also held to passages.h: never 0 when the passage has a token, and exactly
 * text_analyse's count for ASCII. Off by default: the estimate is known to
 * miss both (see the Fuzzing section of README.md), and a fuzzer that stops
 * at a known miss finds nothing else.
 *
 * Every input goes through two English analysers: the default one, and one
 * with passages of 2 to 8 words so that short inputs reach the splitting of
 * long paragraphs. The analysers live for the whole run (each holds a
 * bounded term cache that changes only speed).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_utf8.h"
#include "text/analyse.h"
#include "text/decode.h"
#include "text/passages.h"

static text_analyser *analysers[2];
static bool check_words; /* KENSAKU_FUZZ_WORDS=1 */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool all_space(const char *text, size_t start, size_t end)
{
    for (size_t i = start; i < end; i++)
        if (!is_space(text[i]))
            return false;
    return true;
}

static bool all_ascii(const char *text, size_t start, size_t end)
{
    for (size_t i = start; i < end; i++)
        if ((unsigned char)text[i] >= 0x80)
            return false;
    return true;
}

/* ------------------------------------------------------------- tokens */

typedef struct token_check {
    const char *text;           /* the analysed text */
    size_t len;
    uint32_t first_position;
    size_t tokens;              /* tokens reported */
    bool have_word;             /* a word or number has been reported */
    uint32_t word_position;     /* the last word's */
    size_t word_start, word_end;
    bool have_unigram;
    uint32_t unigram_position;  /* the last CJK unigram's */
    size_t unigram_start, unigram_end;
    bool bigram_pending;        /* a bigram was reported; its second unigram comes next */
    size_t bigram_end;
    text_token_kind last_kind;
} token_check;

static void check_form(const char *form, size_t len, size_t max)
{
    FUZZ_CHECK(form != NULL && len > 0 && len <= max);
    FUZZ_CHECK(strlen(form) == len);
    FUZZ_CHECK(fuzz_valid_utf8(form, len));
}

static void check_word(token_check *c, const text_token *t)
{
    if (t->variant) {
        /* The same word again, without its elision. */
        FUZZ_CHECK(c->tokens > 0 && c->have_word);
        FUZZ_CHECK(c->last_kind == TEXT_TOKEN_WORD || c->last_kind == TEXT_TOKEN_NUMBER);
        FUZZ_CHECK(t->position == c->word_position);
        FUZZ_CHECK(t->start == c->word_start && t->end == c->word_end);
        return;
    }
    FUZZ_CHECK(t->position >= c->first_position);
    FUZZ_CHECK(!c->have_word || t->position > c->word_position);
    FUZZ_CHECK(!c->have_word || t->start >= c->word_end);
    c->have_word = true;
    c->word_position = t->position;
    c->word_start = t->start;
    c->word_end = t->end;
}

static void check_cjk(token_check *c, const text_token *t)
{
    FUZZ_CHECK(c->have_word); /* n-grams follow the word they come from */
    FUZZ_CHECK(!t->variant);
    if (t->kind == TEXT_TOKEN_CJK_BIGRAM) {
        /* The previous character and the next one, which is reported next. */
        FUZZ_CHECK(!c->bigram_pending && c->have_unigram);
        FUZZ_CHECK(t->position == c->unigram_position);
        FUZZ_CHECK(t->start == c->unigram_start && t->end > c->unigram_end);
        c->bigram_pending = true;
        c->bigram_end = t->end;
        return;
    }
    FUZZ_CHECK(t->position >= 1); /* counted from 1 per call */
    FUZZ_CHECK(!c->have_unigram || t->position > c->unigram_position);
    FUZZ_CHECK(!c->have_unigram || t->start >= c->unigram_end);
    FUZZ_CHECK(t->start >= c->word_start && t->end <= c->word_end);
    if (c->bigram_pending) {
        FUZZ_CHECK(t->start == c->unigram_end && t->end == c->bigram_end);
        FUZZ_CHECK(t->position == c->unigram_position + 1);
        c->bigram_pending = false;
    }
    c->have_unigram = true;
    c->unigram_position = t->position;
    c->unigram_start = t->start;
    c->unigram_end = t->end;
}

static int on_token(void *context, const text_token *t)
{
    token_check *c = context;
    FUZZ_CHECK(t->start < t->end && t->end <= c->len);
    FUZZ_CHECK(fuzz_at_boundary(c->text, c->len, t->start));
    FUZZ_CHECK(fuzz_at_boundary(c->text, c->len, t->end));
    size_t max = t->kind == TEXT_TOKEN_CJK_BIGRAM ? 2 * TEXT_MAX_TOKEN_BYTES : TEXT_MAX_TOKEN_BYTES;
    check_form(t->term, t->term_len, max);
    /* A stem may respell a few bytes; it is never more than twice the word. */
    check_form(t->stem, t->stem_len, 2 * max);
    switch (t->kind) {
    case TEXT_TOKEN_WORD:
    case TEXT_TOKEN_NUMBER:
        FUZZ_CHECK(!c->bigram_pending);
        check_word(c, t);
        break;
    case TEXT_TOKEN_CJK_BIGRAM:
    case TEXT_TOKEN_CJK_UNIGRAM:
        check_cjk(c, t);
        break;
    default:
        FUZZ_CHECK(!"a token kind analyse.h does not know");
    }
    c->last_kind = t->kind;
    c->tokens++;
    return 0;
}

/* Analyse LEN bytes at TEXT from FIRST_POSITION; the number of word
 * positions taken (tokens and over-long words), and *tokens the tokens. */
static uint32_t analyse(text_analyser *a, const char *text, size_t len, uint32_t first_position,
                        size_t *tokens)
{
    token_check c = {.text = text, .len = len, .first_position = first_position};
    uint32_t next = 0;
    text_status status = text_analyse(a, text, len, first_position, on_token, &c, &next);
    FUZZ_CHECK(status == TEXT_OK);
    FUZZ_CHECK(!c.bigram_pending);
    FUZZ_CHECK(next >= first_position);
    FUZZ_CHECK(!c.have_word || next > c.word_position);
    *tokens = c.tokens;
    return next - first_position;
}

/* ----------------------------------------------------------- passages */

typedef struct passage_check {
    text_analyser *a;
    const char *text;
    size_t len;
    uint32_t max_words;
    uint32_t ordinal;          /* the last passage's */
    size_t end;                /* where the last passage ended */
    size_t line_offset;        /* LINE is the line number of byte LINE_OFFSET */
    uint32_t line;
    uint32_t position;         /* the next word position, across passages */
    text_passage *passages;    /* every passage, for the whole-text check */
    size_t n_passages, cap;
} passage_check;

static uint32_t line_of(passage_check *c, size_t offset)
{
    for (; c->line_offset < offset; c->line_offset++)
        c->line += c->text[c->line_offset] == '\n';
    return c->line;
}

static void remember(passage_check *c, const text_passage *p)
{
    if (c->n_passages == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->passages = realloc(c->passages, c->cap * sizeof *c->passages);
        FUZZ_CHECK(c->passages != NULL);
    }
    c->passages[c->n_passages++] = *p;
}

static int on_passage(void *context, const text_passage *p)
{
    passage_check *c = context;
    FUZZ_CHECK(p->ordinal == c->ordinal + 1);
    FUZZ_CHECK(p->start >= c->end && p->start < p->end && p->end <= c->len);
    FUZZ_CHECK(fuzz_at_boundary(c->text, c->len, p->start));
    FUZZ_CHECK(fuzz_at_boundary(c->text, c->len, p->end));
    FUZZ_CHECK(!is_space(c->text[p->start]) && !is_space(c->text[p->end - 1]));
    FUZZ_CHECK(all_space(c->text, c->end, p->start));
    FUZZ_CHECK(p->first_line == line_of(c, p->start));
    FUZZ_CHECK(p->words <= c->max_words);

    /* The callback may analyse with the splitter's analyser (passages.h). */
    size_t tokens = 0;
    uint32_t positions = analyse(c->a, c->text + p->start, p->end - p->start, c->position,
                                 &tokens);
    if (check_words) {
        FUZZ_CHECK(tokens == 0 || p->words > 0);
        if (all_ascii(c->text, p->start, p->end))
            FUZZ_CHECK(p->words == positions);
    }
    c->position += positions;

    c->ordinal = p->ordinal;
    c->end = p->end;
    remember(c, p);
    return 0;
}

/* Does the token [START, END) of TEXT hold a character that ICU segments with
 * a dictionary (CJK, Thai, Lao, Khmer, Burmese)? */
static bool in_dictionary_script(const char *text, size_t start, size_t end)
{
    for (size_t i = start; i < end;) {
        UChar32 c;
        U8_NEXT(text, i, end, c);
        if (c >= 0 && (text_is_cjk_codepoint((uint32_t)c) ||
                       u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT))
            return true;
    }
    return false;
}

/* No word of the whole text may straddle two passages or lie outside them. */
typedef struct cover_check {
    const passage_check *pc;
    size_t next;  /* the first passage that can hold the next word */
} cover_check;

static int on_whole_text_token(void *context, const text_token *t)
{
    cover_check *c = context;
    if (t->kind != TEXT_TOKEN_WORD && t->kind != TEXT_TOKEN_NUMBER)
        return 0;
    if (in_dictionary_script(c->pc->text, t->start, t->end))
        return 0;
    const text_passage *passages = c->pc->passages;
    while (c->next < c->pc->n_passages && passages[c->next].end <= t->start)
        c->next++;
    FUZZ_CHECK(c->next < c->pc->n_passages);
    FUZZ_CHECK(passages[c->next].start <= t->start && t->end <= passages[c->next].end);
    return 0;
}

static void check_passages(text_analyser *a, const text_decoded *d)
{
    const text_config *config = text_analyser_config(a);
    passage_check c = {.a = a, .text = d->utf8, .len = d->len, .line = 1, .position = 1,
                       .max_words = config->passage_max_words};
    FUZZ_CHECK(text_split_passages(a, d->utf8, d->len, on_passage, &c) == TEXT_OK);
    FUZZ_CHECK(all_space(d->utf8, c.end, d->len));

    cover_check cover = {.pc = &c};
    FUZZ_CHECK(text_analyse(a, d->utf8, d->len, 1, on_whole_text_token, &cover, NULL) == TEXT_OK);
    free(c.passages);
}

/* ------------------------------------------------------------- decode */

static void check_decoded(const char *bytes, size_t len, const text_decoded *d)
{
    FUZZ_CHECK(d->utf8 != NULL && d->utf8[d->len] == '\0');
    FUZZ_CHECK(fuzz_valid_utf8(d->utf8, d->len));
    FUZZ_CHECK(memchr(d->charset, '\0', sizeof d->charset) && d->charset[0] != '\0');

    bool valid = fuzz_valid_utf8(bytes, len);
    FUZZ_CHECK(text_is_valid_utf8(bytes, len) == valid);
    bool utf8_bom = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0;
    if (valid && !utf8_bom) {
        FUZZ_CHECK(strcmp(d->charset, "UTF-8") == 0 && !d->had_bom && d->replaced == 0);
        FUZZ_CHECK(d->len == len && memcmp(d->utf8, bytes, len) == 0);
    }
}

/* ------------------------------------------------------------ libFuzzer */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void free_analysers(void)
{
    for (size_t i = 0; i < sizeof analysers / sizeof analysers[0]; i++)
        text_analyser_free(analysers[i]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *words = getenv("KENSAKU_FUZZ_WORDS");
    check_words = words && strcmp(words, "1") == 0;
    text_config configs[2];
    text_config_default(&configs[0]);
    FUZZ_CHECK(strcmp(configs[0].language, "english") == 0);
    configs[1] = configs[0];
    configs[1].passage_min_words = 2;
    configs[1].passage_max_words = 8;
    for (size_t i = 0; i < 2; i++) {
        char *message = NULL;
        FUZZ_CHECK(text_analyser_new(&configs[i], &analysers[i], &message) == TEXT_OK);
        free(message);
    }
    atexit(free_analysers);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *bytes = (const char *)data;
    text_decoded d;
    FUZZ_CHECK(text_decode(bytes, size, &d) == TEXT_OK);
    check_decoded(bytes, size, &d);
    for (size_t i = 0; i < sizeof analysers / sizeof analysers[0]; i++)
        check_passages(analysers[i], &d);
    text_decoded_free(&d);
    return 0;
}
