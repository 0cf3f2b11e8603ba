/* prepare.c — passages to documents; see prepare.h. */
#include "indexer/prepare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/paths.h"
#include "schema/schema.h"
#include "text/analyse.h"
#include "text/passages.h"

/* A chunk is handed on once its documents are estimated to hold this much
 * memory, or hold this many passages. */
#define CHUNK_MAX_COST (4u << 20)
#define CHUNK_MAX_DOCS 512
/* Xapian's document form costs far more than the text: a map node, a string
 * and a position vector per distinct term. Measured at roughly 48 bytes per
 * byte of English text, plus a fixed overhead per document. */
#define COST_PER_TEXT_BYTE 48
#define COST_PER_DOC 2048
/* Extensions longer than this are names, not types. */
#define EXT_MAX 32

/* The terms and values every passage of one file shares. */
typedef struct file_terms {
    char file[SCHEMA_TERM_MAX];
    size_t file_len;
    char ext[SCHEMA_TERM_MAX];
    size_t ext_len;           /* 0: no extension term */
    char **dirs;              /* XP terms, owned */
    size_t *dir_lens;
    size_t n_dirs;
    char key[SCHEMA_FILE_KEY_BYTES];
    char mtime[18];
    size_t mtime_len;
} file_terms;

/* A spelling word of the passage being analysed: a slice of WORDS_TEXT. */
typedef struct word_ref {
    size_t offset, len;
} word_ref;

struct preparer {
    text_analyser *analyser;
    bool stemming;
    text_passage *passages;   /* the passages of the current file */
    size_t n_passages, passages_cap;
    char *words_text;         /* the current passage's spelling words, back to back */
    size_t words_text_len, words_text_cap;
    word_ref *words;
    size_t n_words, words_cap;
};

/* ---------------------------------------------------------------- chunks */

void prepared_chunk_free(prepared_chunk *chunk)
{
    while (chunk) {
        prepared_chunk *next = chunk->next;
        for (size_t i = 0; i < chunk->n_docs; i++)
            shim_doc_free(chunk->docs[i]);
        free(chunk->docs);
        spelling_counts_free(chunk->words);
        free(chunk);
        chunk = next;
    }
}

static prepared_chunk *chunk_new(void)
{
    prepared_chunk *chunk = calloc(1, sizeof *chunk);
    if (!chunk)
        return NULL;
    chunk->docs = malloc(CHUNK_MAX_DOCS * sizeof *chunk->docs);
    chunk->words = spelling_counts_new();
    if (!chunk->docs || !chunk->words) {
        prepared_chunk_free(chunk);
        return NULL;
    }
    return chunk;
}

/* ------------------------------------------------------------- preparer */

preparer *preparer_new(const text_config *config, char **message)
{
    preparer *p = calloc(1, sizeof *p);
    if (!p) {
        if (message)
            *message = strdup("out of memory");
        return NULL;
    }
    if (text_analyser_new(config, &p->analyser, message) != TEXT_OK) {
        free(p);
        return NULL;
    }
    p->stemming = strcmp(config->language, "none") != 0;
    return p;
}

void preparer_free(preparer *p)
{
    if (!p)
        return;
    text_analyser_free(p->analyser);
    free(p->passages);
    free(p->words_text);
    free(p->words);
    free(p);
}

static bool grow(void **array, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t cap2 = *cap ? *cap : 64;
    while (cap2 < need)
        cap2 *= 2;
    void *grown = realloc(*array, cap2 * size);
    if (!grown)
        return false;
    *array = grown;
    *cap = cap2;
    return true;
}

/* ------------------------------------------------------------ file terms */

static void file_terms_free(file_terms *ft)
{
    for (size_t i = 0; i < ft->n_dirs; i++)
        free(ft->dirs[i]);
    free(ft->dirs);
    free(ft->dir_lens);
}

/* XP terms for every ancestor of PATH but "/". */
static bool add_dir_terms(file_terms *ft, const char *path, size_t path_len)
{
    size_t n = 0;
    for (size_t i = 1; i < path_len; i++)
        n += path[i] == '/';
    ft->dirs = calloc(n ? n : 1, sizeof *ft->dirs);
    ft->dir_lens = calloc(n ? n : 1, sizeof *ft->dir_lens);
    if (!ft->dirs || !ft->dir_lens)
        return false;
    for (size_t i = 1; i < path_len; i++) {
        if (path[i] != '/')
            continue;
        char term[SCHEMA_TERM_MAX];
        size_t len = schema_path_term(SCHEMA_PREFIX_DIR, path, i, term);
        ft->dirs[ft->n_dirs] = strndup(term, len);
        if (!ft->dirs[ft->n_dirs])
            return false;
        ft->dir_lens[ft->n_dirs++] = len;
    }
    return true;
}

static void set_ext_term(file_terms *ft, const char *path, size_t path_len)
{
    size_t ext_len = 0;
    const char *ext = path_extension(path, path_len, &ext_len);
    ft->ext_len = 0;
    if (!ext || ext_len > EXT_MAX)
        return;
    size_t prefix_len = strlen(SCHEMA_PREFIX_EXT);
    memcpy(ft->ext, SCHEMA_PREFIX_EXT, prefix_len);
    for (size_t i = 0; i < ext_len; i++) {
        char c = ext[i];
        ft->ext[prefix_len + i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    ft->ext_len = prefix_len + ext_len;
    ft->ext[ft->ext_len] = '\0';
}

static bool file_terms_init(file_terms *ft, const char *path, size_t path_len, int64_t mtime_ns)
{
    memset(ft, 0, sizeof *ft);
    ft->file_len = schema_path_term(SCHEMA_PREFIX_FILE, path, path_len, ft->file);
    set_ext_term(ft, path, path_len);
    schema_file_key(path, path_len, ft->key);
    double seconds = floor((double)mtime_ns / 1e9);
    ft->mtime_len = shim_sortable_serialise(seconds, ft->mtime);
    return add_dir_terms(ft, path, path_len);
}

/* -------------------------------------------------------------- analysis */

static int collect_passage(void *context, const text_passage *passage)
{
    preparer *p = context;
    if (passage->words == 0)
        return 0; /* punctuation or white space only: nothing to find */
    if (!grow((void **)&p->passages, &p->passages_cap, p->n_passages + 1, sizeof *p->passages))
        return 1;
    p->passages[p->n_passages++] = *passage;
    return 0;
}

/* What the token callback needs. */
typedef struct token_context {
    preparer *p;
    shim_doc *doc;
    shim_status status;
} token_context;

static bool remember_word(preparer *p, const char *term, size_t len)
{
    if (!grow((void **)&p->words_text, &p->words_text_cap, p->words_text_len + len, 1) ||
        !grow((void **)&p->words, &p->words_cap, p->n_words + 1, sizeof *p->words))
        return false;
    memcpy(p->words_text + p->words_text_len, term, len);
    p->words[p->n_words++] = (word_ref){p->words_text_len, len};
    p->words_text_len += len;
    return true;
}

static int on_token(void *context, const text_token *token)
{
    token_context *tc = context;
    tc->status = schema_index_token(tc->doc, token, tc->p->stemming);
    if (tc->status != SHIM_OK)
        return 1;
    bool cjk = token->kind == TEXT_TOKEN_CJK_BIGRAM || token->kind == TEXT_TOKEN_CJK_UNIGRAM;
    if (!cjk && spelling_word_ok(token->term, token->term_len) &&
        !remember_word(tc->p, token->term, token->term_len)) {
        tc->status = SHIM_NO_MEMORY;
        return 1;
    }
    return 0;
}

static int compare_words(const void *a, const void *b, void *base)
{
    const word_ref *x = a, *y = b;
    const char *text = base;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(text + x->offset, text + y->offset, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Count each distinct spelling word of the passage once in WORDS. */
static bool count_passage_words(preparer *p, spelling_counts *words)
{
    if (p->n_words == 0)
        return true;
    qsort_r(p->words, p->n_words, sizeof *p->words, compare_words, p->words_text);
    for (size_t i = 0; i < p->n_words; i++) {
        if (i > 0 && compare_words(&p->words[i - 1], &p->words[i], p->words_text) == 0)
            continue;
        if (!spelling_counts_add(words, p->words_text + p->words[i].offset, p->words[i].len, 1))
            return false;
    }
    p->n_words = 0;
    p->words_text_len = 0;
    return true;
}

/* The boolean terms, values and data every passage document carries. */
static shim_status add_file_fields(shim_doc *doc, const file_terms *ft, const char *path,
                                   size_t path_len, const text_passage *passage,
                                   uint32_t ordinal, const char *text)
{
    char unique[SCHEMA_TERM_MAX];
    size_t unique_len = schema_unique_term(ft->file, ordinal, unique);
    shim_status status = shim_doc_add_boolean_term(doc, unique, unique_len);
    if (status == SHIM_OK)
        status = shim_doc_add_boolean_term(doc, ft->file, ft->file_len);
    for (size_t i = 0; status == SHIM_OK && i < ft->n_dirs; i++)
        status = shim_doc_add_boolean_term(doc, ft->dirs[i], ft->dir_lens[i]);
    if (status == SHIM_OK && ft->ext_len)
        status = shim_doc_add_boolean_term(doc, ft->ext, ft->ext_len);
    char ordinal_value[18];
    size_t ordinal_len = shim_sortable_serialise((double)ordinal, ordinal_value);
    if (status == SHIM_OK)
        status = shim_doc_set_value(doc, SCHEMA_SLOT_FILE_KEY, ft->key, SCHEMA_FILE_KEY_BYTES);
    if (status == SHIM_OK)
        status = shim_doc_set_value(doc, SCHEMA_SLOT_MTIME, ft->mtime, ft->mtime_len);
    if (status == SHIM_OK)
        status = shim_doc_set_value(doc, SCHEMA_SLOT_PASSAGE, ordinal_value, ordinal_len);
    if (status != SHIM_OK)
        return status;
    schema_passage_record record = {
        .path = path, .path_len = path_len, .passage = ordinal,
        .start = passage->start, .end = passage->end, .line = passage->first_line,
        .text = text + passage->start, .text_len = passage->end - passage->start};
    size_t data_len = 0;
    char *data = schema_record_encode(&record, &data_len);
    if (!data)
        return SHIM_NO_MEMORY;
    status = shim_doc_set_data(doc, data, data_len);
    free(data);
    return status;
}

/* Build the document of one passage. */
static shim_status build_doc(preparer *p, const file_terms *ft, const char *path,
                             size_t path_len, const text_passage *passage, uint32_t ordinal,
                             const char *text, prepared_chunk *chunk, char *reason,
                             size_t reason_size)
{
    token_context tc = {.p = p};
    shim_status status = shim_doc_new(&tc.doc);
    if (status != SHIM_OK)
        return status;
    text_status ts = text_analyse(p->analyser, text + passage->start,
                                  passage->end - passage->start, 1, on_token, &tc, NULL);
    if (ts != TEXT_OK && tc.status == SHIM_OK) {
        snprintf(reason, reason_size, "analysis failed: %s", text_status_string(ts));
        status = SHIM_INVALID_ARGUMENT;
    } else {
        status = tc.status;
    }
    if (status == SHIM_OK)
        status = add_file_fields(tc.doc, ft, path, path_len, passage, ordinal, text);
    if (status == SHIM_OK && !count_passage_words(p, chunk->words))
        status = SHIM_NO_MEMORY;
    p->n_words = 0;
    p->words_text_len = 0;
    if (status != SHIM_OK) {
        shim_doc_free(tc.doc);
        return status;
    }
    chunk->docs[chunk->n_docs++] = tc.doc;
    chunk->cost += COST_PER_DOC + COST_PER_TEXT_BYTE * (passage->end - passage->start);
    return SHIM_OK;
}

prepare_status prepare_text(preparer *p, const char *path, size_t path_len, int64_t mtime_ns,
                            const char *text, size_t len, prepare_emit_fn emit, void *context,
                            uint32_t *passages, char *reason, size_t reason_size)
{
    *passages = 0;
    p->n_passages = 0;
    text_status ts = text_split_passages(p->analyser, text, len, collect_passage, p);
    if (ts != TEXT_OK) {
        snprintf(reason, reason_size, "passage split failed: %s",
                 ts == TEXT_STOPPED ? "out of memory" : text_status_string(ts));
        return PREPARE_FAILED;
    }
    file_terms ft;
    prepared_chunk *chunk = NULL;
    prepare_status result = PREPARE_OK;
    if (!file_terms_init(&ft, path, path_len, mtime_ns)) {
        snprintf(reason, reason_size, "out of memory");
        result = PREPARE_FAILED;
    }
    for (size_t i = 0; result == PREPARE_OK && i < p->n_passages; i++) {
        if (!chunk && !(chunk = chunk_new())) {
            snprintf(reason, reason_size, "out of memory");
            result = PREPARE_FAILED;
            break;
        }
        shim_status status = build_doc(p, &ft, path, path_len, &p->passages[i],
                                       (uint32_t)(i + 1), text, chunk, reason, reason_size);
        if (status != SHIM_OK) {
            if (status != SHIM_INVALID_ARGUMENT)
                snprintf(reason, reason_size, "document: %s", shim_status_string(status));
            result = PREPARE_FAILED;
            break;
        }
        bool last = i + 1 == p->n_passages;
        if (last || chunk->n_docs == CHUNK_MAX_DOCS || chunk->cost >= CHUNK_MAX_COST) {
            *passages += (uint32_t)chunk->n_docs;
            prepared_chunk *ready = chunk;
            chunk = NULL;
            if (emit(context, ready) != 0)
                result = PREPARE_STOPPED;
        }
    }
    prepared_chunk_free(chunk);
    file_terms_free(&ft);
    return result;
}
