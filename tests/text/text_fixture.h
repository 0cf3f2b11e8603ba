/* text_fixture.h — what the text/ tests share: reading the fixture texts,
 * analysers with a given configuration, and the tokens and passages of a text
 * gathered into arrays (with their strings copied) so tests can look at them
 * after the callbacks have returned. */
#ifndef KENSAKU_TESTS_TEXT_FIXTURE_H
#define KENSAKU_TESTS_TEXT_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/analyse.h"
#include "text/decode.h"
#include "text/passages.h"

/* Every fixture text under fixtures/text/, by file name. */
extern const char *const text_fixtures[];
extern const size_t text_fixture_count;

/* The bytes of fixtures/text/NAME (NUL-terminated; caller frees); fails the
 * test when the file cannot be read. */
char *fixture_read(const char *name, size_t *len);

/* fixtures/text/NAME through text_decode; free with text_decoded_free. */
text_decoded fixture_decoded(const char *name);

/* An analyser for LANGUAGE with accents folded or kept and the given passage
 * bounds; fails the test on error. */
text_analyser *analyser_with(const char *language, bool fold_accents, uint32_t min_words,
                             uint32_t max_words);

/* An analyser with the default configuration. */
text_analyser *default_analyser(void);

/* One token as reported, its strings copied. */
typedef struct token_copy {
    text_token_kind kind;
    char *term;
    char *stem;
    uint32_t position;
    size_t start, end;
    bool variant;
} token_copy;

typedef struct token_list {
    token_copy *items;
    size_t n, cap;
    uint32_t next_position; /* what text_analyse gave as *next_position */
    text_status status;     /* what text_analyse returned */
} token_list;

/* Every token of TEXT, words numbered from FIRST_POSITION; fails the test
 * unless text_analyse returns TEXT_OK. */
token_list tokens_of(text_analyser *analyser, const char *text, size_t len,
                     uint32_t first_position);

/* tokens_of a NUL-terminated string, from position 1. */
token_list tokens_of_string(text_analyser *analyser, const char *text);

void token_list_free(token_list *list);

/* The first token of KIND whose term is TERM (NUL-terminated), or NULL. */
const token_copy *find_token(const token_list *list, text_token_kind kind, const char *term);

/* The terms of the non-variant word and number tokens, joined by single
 * spaces (caller frees). */
char *word_terms(const token_list *list);

typedef struct passage_list {
    text_passage *items;
    size_t n, cap;
} passage_list;

/* Every passage of TEXT; fails the test unless text_split_passages returns TEXT_OK. */
passage_list passages_of(text_analyser *analyser, const char *text, size_t len);

void passage_list_free(passage_list *list);

/* LEN bytes of IN converted from charset FROM to charset TO with iconv(3);
 * caller frees. Fails the test if iconv cannot convert them. */
char *iconv_bytes(const char *to, const char *from, const char *in, size_t len,
                  size_t *out_len);

/* True if the byte at OFFSET of TEXT starts a UTF-8 sequence (or is the end). */
bool at_char_boundary(const char *text, size_t len, size_t offset);

#endif
