/* shim.h — kensaku's C API over Xapian.
 *
 * The only door from C into Xapian's C++ API. Every object is an opaque handle;
 * every function returns a shim_status (SHIM_OK == 0) and takes its outputs as
 * the last parameters; no C++ exception ever crosses this boundary. Handles that
 * can fail keep their last error message (shim_*_last_error()).
 *
 * Ownership: a function that returns memory says so in its comment. "Caller
 * frees with free()" means plain malloc'd memory; "borrowed" means the pointer
 * stays valid only as long as the comment says. Every handle type has exactly
 * one NULL-safe destructor (_free or _close).
 *
 * The shim does no policy: it exposes Xapian and nothing of kensaku's choices.
 * Plain C17; compiles with -pedantic.
 */
#ifndef KENSAKU_SHIM_H
#define KENSAKU_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- status */

typedef enum shim_status {
    SHIM_OK = 0,
    SHIM_NOT_FOUND,        /* no such database, document, term or metadata key */
    SHIM_LOCKED,           /* another writer holds the database lock */
    SHIM_MODIFIED,         /* the database changed under this reader: reopen and retry */
    SHIM_CORRUPT,          /* the database is damaged */
    SHIM_VERSION,          /* the database format is not supported by this Xapian */
    SHIM_IO,               /* an operating-system level read/write error (disk full, ...) */
    SHIM_NO_MEMORY,        /* an allocation failed */
    SHIM_INVALID_ARGUMENT, /* the caller passed something Xapian refuses */
    SHIM_INVALID_OPERATION,/* not allowed in this state (e.g. nested transaction) */
    SHIM_READ_ONLY,        /* a write was attempted on a read-only handle */
    SHIM_TERM_TOO_LONG,    /* a term or metadata key exceeds Xapian's limit (245 bytes) */
    SHIM_UNSUPPORTED,      /* the backend does not offer this feature */
    SHIM_NETWORK,          /* a remote shard failed or timed out */
    SHIM_CLOSED,           /* the handle's database has been closed */
    SHIM_END,              /* an iterator has no more items */
    SHIM_XAPIAN_ERROR      /* any other Xapian error; the message says which */
} shim_status;

/* A short English description of the status code. Static storage; never NULL. */
const char *shim_status_string(shim_status status);

/* The longest term Xapian's glass backend accepts, in bytes. */
#define SHIM_MAX_TERM_BYTES 245

/* Xapian's BAD_VALUENO: "no value slot". */
#define SHIM_NO_SLOT 0xffffffffu

/* --------------------------------------------------------------- handles */

typedef struct shim_db shim_db;                   /* a database opened for reading */
typedef struct shim_writable_db shim_writable_db; /* a database opened for writing (holds the lock) */
typedef struct shim_doc shim_doc;                 /* a document being built for writing */
typedef struct shim_query shim_query;             /* an immutable query tree */
typedef struct shim_search shim_search;           /* a query run: enquire + result set */
typedef struct shim_stemmer shim_stemmer;         /* a Snowball stemmer */
typedef struct shim_term_iter shim_term_iter;     /* terms: all terms by prefix, or a document's */
typedef struct shim_postlist shim_postlist;       /* the documents indexed by one term */
typedef struct shim_value_stream shim_value_stream; /* one value slot over all documents */
typedef struct shim_metadata_iter shim_metadata_iter; /* metadata keys by prefix */

/* ------------------------------------------------------ reading databases */

/* Open a database for reading. PATH is a database directory, a stub file listing
 * shards (local paths, or "remote ..." lines for xapian-tcpsrv), or a directory
 * holding an XAPIANDB stub. On failure *db is NULL and, if MESSAGE is not NULL,
 * *message receives a description (caller frees with free()).
 * SHIM_NOT_FOUND: nothing at PATH, or a directory with no database in it;
 * SHIM_CORRUPT: something is there but unusable (damaged files, a stub file
 * with a bad line); SHIM_IO: the file system refused (permissions, ...). */
shim_status shim_db_open(const char *path, shim_db **db, char **message);

/* Free. Searches and iterators made from DB stay valid (they share the open
 * database, which closes when the last of them is freed). NULL-safe; does
 * nothing to the borrowed reader of a writable database. */
void shim_db_free(shim_db *db);

/* The last error message for this handle, or "" if none. Borrowed: valid until
 * the next call on DB. */
const char *shim_db_last_error(const shim_db *db);

/* Reopen at the latest committed revision (after SHIM_MODIFIED). */
shim_status shim_db_reopen(shim_db *db);

/* The number of documents, and the average document length (sum of wdf). */
shim_status shim_db_doc_count(shim_db *db, uint32_t *count);
shim_status shim_db_average_length(shim_db *db, double *avg_length);

/* The highest document id in use (0 if the database is empty). */
shim_status shim_db_last_docid(shim_db *db, uint32_t *docid);

/* How many documents index TERM, and how often in all (0 and 0 if absent). */
shim_status shim_db_term_freq(shim_db *db, const char *term, uint32_t *doc_freq,
                              uint64_t *collection_freq);

/* The first document indexed by TERM (a unique term), SHIM_NOT_FOUND if none. */
shim_status shim_db_find_by_term(shim_db *db, const char *term, uint32_t *docid);

/* A document's data. *data is malloc'd (caller frees with free()), NUL-terminated
 * for convenience; *len excludes the NUL. SHIM_NOT_FOUND for a missing docid
 * (SHIM_INVALID_ARGUMENT for docid 0, which Xapian never uses). */
shim_status shim_db_document_data(shim_db *db, uint32_t docid, char **data, size_t *len);

/* A document's value in SLOT; an absent value gives *len == 0. Caller frees *value. */
shim_status shim_db_document_value(shim_db *db, uint32_t docid, uint32_t slot,
                                   char **value, size_t *len);

/* The lowest and highest value stored in SLOT over all documents ("" when none).
 * Caller frees both with free(). */
shim_status shim_db_value_bounds(shim_db *db, uint32_t slot, char **lower, size_t *lower_len,
                                 char **upper, size_t *upper_len);

/* Database metadata for KEY; SHIM_NOT_FOUND if unset. Caller frees *value. */
shim_status shim_db_get_metadata(shim_db *db, const char *key, char **value, size_t *len);

/* The shards of DB, each readable on its own: a local database or a stub
 * listing local databases (as kensaku-index writes) has them; a remote one
 * gives 0. Document D of DB is document (D - 1) / n + 1 of shard (D - 1) % n,
 * as Xapian interleaves the ids of the databases it searches as one. */
uint32_t shim_db_shard_count(const shim_db *db);

/* The document count and highest document id of shard SHARD of DB, and its
 * metadata for KEY (*value NULL when unset; caller frees it). */
shim_status shim_db_shard_metadata(shim_db *db, uint32_t shard, const char *key, char **value,
                                   size_t *len, uint32_t *doc_count, uint32_t *last_docid);

/* The best spelling correction for WORD within MAX_EDIT_DISTANCE, or
 * SHIM_NOT_FOUND. Caller frees *suggestion. */
shim_status shim_db_spelling_suggestion(shim_db *db, const char *word,
                                        unsigned max_edit_distance, char **suggestion);

/* ------------------------------------------------------------- iterators */

/* All terms starting with PREFIX ("" for every term), in byte order. */
shim_status shim_db_terms(shim_db *db, const char *prefix, shim_term_iter **iter);

/* The terms of one document, in byte order. */
shim_status shim_db_document_terms(shim_db *db, uint32_t docid, shim_term_iter **iter);

/* Advance to the next term; SHIM_END when there is none. The first call yields
 * the first term. *term is borrowed: valid until the next call on ITER. */
shim_status shim_term_iter_next(shim_term_iter *iter, const char **term, size_t *len);

/* The current term's wdf (document terms) or document frequency (database terms).
 * SHIM_INVALID_OPERATION before the first next() or after SHIM_END. */
shim_status shim_term_iter_freq(shim_term_iter *iter, uint32_t *freq);

void shim_term_iter_free(shim_term_iter *iter);

/* The documents indexed by TERM, in docid order (empty if the term is absent). */
shim_status shim_db_postlist(shim_db *db, const char *term, shim_postlist **list);

/* Advance to the next document; SHIM_END when there is none. */
shim_status shim_postlist_next(shim_postlist *list, uint32_t *docid, uint32_t *wdf);

/* Advance over up to MAX documents, writing their ids to DOCIDS (*N of them):
 * the same as that many next() calls, for long lists. SHIM_END, with *N 0,
 * when there is none left. */
shim_status shim_postlist_read(shim_postlist *list, uint32_t *docids, size_t max, size_t *n);

/* Advance to the first document >= DOCID; SHIM_END when there is none. As in
 * Xapian, the list never moves backwards: if the current document is already
 * >= DOCID it is returned again. next() continues after the document found. */
shim_status shim_postlist_skip_to(shim_postlist *list, uint32_t docid, uint32_t *found_docid,
                                  uint32_t *wdf);

void shim_postlist_free(shim_postlist *list);

/* The values stored in SLOT, by docid. */
shim_status shim_db_value_stream(shim_db *db, uint32_t slot, shim_value_stream **stream);

/* Move to the first document >= DOCID that has a value in the slot; SHIM_END if
 * none. Never moves backwards (as shim_postlist_skip_to). *value is borrowed:
 * valid until the next call on STREAM. */
shim_status shim_value_stream_skip_to(shim_value_stream *stream, uint32_t docid,
                                      uint32_t *found_docid, const char **value, size_t *len);

void shim_value_stream_free(shim_value_stream *stream);

/* Metadata keys starting with PREFIX, in byte order. */
shim_status shim_db_metadata_keys(shim_db *db, const char *prefix, shim_metadata_iter **iter);

/* Next key; SHIM_END when there is none. *key is borrowed until the next call. */
shim_status shim_metadata_iter_next(shim_metadata_iter *iter, const char **key, size_t *len);

void shim_metadata_iter_free(shim_metadata_iter *iter);

/* ------------------------------------------------------ writing databases */

typedef enum shim_open_mode {
    SHIM_OPEN_EXISTING,       /* fail with SHIM_NOT_FOUND if there is no database */
    SHIM_CREATE_OR_OPEN,      /* create it if absent */
    SHIM_CREATE_OR_OVERWRITE  /* start from empty (takes the lock first) */
} shim_open_mode;

typedef struct shim_writable_options {
    shim_open_mode mode;
    /* Documents buffered before Xapian flushes on its own (0 = Xapian's default).
     * kensaku commits explicitly; this bounds memory between commits. Xapian
     * 1.4 reads it from the XAPIAN_FLUSH_THRESHOLD environment variable, which
     * the shim sets only for the duration of the open (do not call getenv or
     * setenv from another thread at that moment). */
    uint32_t flush_threshold;
} shim_writable_options;

/* Open or create a database for writing, taking Xapian's lock on PATH without
 * waiting: SHIM_LOCKED if another writer holds it (the caller decides whether to
 * retry). On failure *db is NULL and *message (if MESSAGE is not NULL) receives
 * a description (caller frees with free()). OPTIONS may be NULL (open or create). */
shim_status shim_writable_open(const char *path, const shim_writable_options *options,
                               shim_writable_db **db, char **message);

/* Commit pending changes, release the lock and free. Reports a failed commit
 * (Xapian's destructor would swallow it); the handle is freed either way, so
 * call shim_writable_commit() first if you want the failure's message.
 * A transaction still open is cancelled, not committed (as Xapian's close()
 * does; for an unflushed one that also drops the changes made before it, see
 * the transactions below), whatever remains is committed, and
 * SHIM_INVALID_OPERATION is returned. NULL-safe (returns SHIM_OK). */
shim_status shim_writable_close(shim_writable_db *db);

/* Release the lock and free WITHOUT committing pending changes (they are lost,
 * the database stays at its last commit). NULL-safe. */
void shim_writable_abandon(shim_writable_db *db);

/* The last error message for this handle, or "". Borrowed until the next call. */
const char *shim_writable_last_error(const shim_writable_db *db);

/* Note (Xapian's rule): when a write fails (SHIM_IO from an add, replace,
 * delete or commit), every change since the last commit has been discarded;
 * the database on disk stays at its last commit. */

/* A reading view of the same database, seeing uncommitted changes. Borrowed:
 * valid until DB is closed (shim_db_free on it does nothing). Searches and
 * iterators made from it outlive it, but once DB is closed reading through
 * them may give SHIM_CLOSED. */
shim_db *shim_writable_reader(shim_writable_db *db);

shim_status shim_writable_commit(shim_writable_db *db);

/* Merge the committed databases SOURCES[0..n) into a new, compact database
 * at DESTINATION (Xapian's compactor: full blocks, documents renumbered
 * source after source, each metadata key from the first source holding it,
 * spelling data summed). DESTINATION must not exist (SHIM_INVALID_ARGUMENT
 * otherwise); on failure whatever was written there is the caller's to
 * remove, and *message (if not NULL) says why (caller frees). */
shim_status shim_compact(const char *const *sources, size_t n, const char *destination,
                         char **message);

/* Transactions. FLUSHED == true commits pending changes before the transaction
 * and commits the transaction when it ends. FLUSHED == false: the changes are
 * not committed when the transaction ends, only at the next commit — one unit
 * for readers all the same. Beware (Xapian's rule): cancelling an unflushed
 * transaction also discards every change made since the last commit, not
 * only those made inside the transaction. Nested transactions give
 * SHIM_INVALID_OPERATION, as do commit/cancel without one. */
shim_status shim_writable_begin_transaction(shim_writable_db *db, bool flushed);
shim_status shim_writable_commit_transaction(shim_writable_db *db);
shim_status shim_writable_cancel_transaction(shim_writable_db *db);

/* Add a document; *docid (may be NULL) receives its id. */
shim_status shim_writable_add_document(shim_writable_db *db, const shim_doc *doc,
                                       uint32_t *docid);

/* Replace the document indexed by UNIQUE_TERM (add it if there is none; delete
 * any extra ones). *docid (may be NULL) receives its id. */
shim_status shim_writable_replace_document(shim_writable_db *db, const char *unique_term,
                                           const shim_doc *doc, uint32_t *docid);

/* Delete every document indexed by TERM (none is not an error). */
shim_status shim_writable_delete_documents(shim_writable_db *db, const char *term);

/* Delete one document by id; SHIM_NOT_FOUND if absent. */
shim_status shim_writable_delete_document(shim_writable_db *db, uint32_t docid);

/* Set metadata KEY (an empty value deletes it). SHIM_TERM_TOO_LONG for a key
 * over Xapian's limit. */
shim_status shim_writable_set_metadata(shim_writable_db *db, const char *key,
                                       const char *value, size_t len);

/* Spelling dictionary: add or remove WORD with a frequency increment/decrement. */
shim_status shim_writable_add_spelling(shim_writable_db *db, const char *word, uint32_t freq);
shim_status shim_writable_remove_spelling(shim_writable_db *db, const char *word, uint32_t freq);

/* ------------------------------------------------------------- documents */

shim_status shim_doc_new(shim_doc **doc);
void shim_doc_free(shim_doc *doc);

/* Add TERM at POSITION (positions start at 1), raising its wdf by WDF_INC
 * (0 adds the position without counting toward document length). */
shim_status shim_doc_add_posting(shim_doc *doc, const char *term, size_t len,
                                 uint32_t position, uint32_t wdf_inc);

/* Add TERM without a position, raising its wdf by WDF_INC. */
shim_status shim_doc_add_term(shim_doc *doc, const char *term, size_t len, uint32_t wdf_inc);

/* Add a boolean (filter) term: no position, wdf 0. */
shim_status shim_doc_add_boolean_term(shim_doc *doc, const char *term, size_t len);

shim_status shim_doc_set_value(shim_doc *doc, uint32_t slot, const char *value, size_t len);
shim_status shim_doc_set_data(shim_doc *doc, const char *data, size_t len);

/* Number of distinct terms added so far. */
shim_status shim_doc_term_count(const shim_doc *doc, uint32_t *count);

/* Remove all terms, values and data, keeping the allocation for reuse. */
shim_status shim_doc_clear(shim_doc *doc);

/* --------------------------------------------------------------- queries */

/* Queries are immutable trees. Every constructor returns a new handle the
 * caller frees with shim_query_free(); a combining constructor copies what it
 * needs from its subqueries, which stay owned by the caller. */

typedef enum shim_query_op {
    SHIM_QUERY_AND,
    SHIM_QUERY_OR,
    SHIM_QUERY_AND_NOT,   /* first subquery, minus documents matching any other */
    SHIM_QUERY_AND_MAYBE, /* first subquery; the others only add weight */
    SHIM_QUERY_FILTER,    /* first subquery, restricted by the others (no weight from them) */
    SHIM_QUERY_SYNONYM,   /* the subqueries weighted as one term */
    SHIM_QUERY_PHRASE,    /* terms in order, within WINDOW positions (0 = exactly adjacent) */
    SHIM_QUERY_NEAR,      /* terms in any order within WINDOW positions */
    SHIM_QUERY_MAX        /* the highest weight of the subqueries */
} shim_query_op;

/* A term query. WQF is the within-query frequency (1 normally); POSITION the
 * term's position in the query (0 if none). */
shim_status shim_query_term(const char *term, size_t len, uint32_t wqf, uint32_t position,
                            shim_query **query);

/* Combine N subqueries with OP. WINDOW is used by PHRASE and NEAR only: the
 * matched terms must lie within WINDOW consecutive positions; 0 means N, so a
 * PHRASE is exactly adjacent. With more than two subqueries AND_NOT and
 * AND_MAYBE take the first against the OR of the others, FILTER the first
 * against the AND of the others. N == 1 gives that subquery; N == 0 gives the
 * query that matches nothing. NULL subqueries give SHIM_INVALID_ARGUMENT. */
shim_status shim_query_combine(shim_query_op op, shim_query *const *subqueries, size_t n,
                               uint32_t window, shim_query **query);

/* Every term starting with PREFIX, OR-ed as one synonym; at most MAX_EXPANSION
 * terms (0 = no limit), the most frequent ones kept when there are more. */
shim_status shim_query_wildcard(const char *prefix, uint32_t max_expansion, shim_query **query);

/* Documents whose value in SLOT lies in [LOWER, UPPER] (byte order); a NULL
 * bound is open (both NULL: every document with a value in SLOT). */
shim_status shim_query_value_range(uint32_t slot, const char *lower, size_t lower_len,
                                   const char *upper, size_t upper_len, shim_query **query);

/* Every document (weight 0), and no document. */
shim_status shim_query_match_all(shim_query **query);
shim_status shim_query_match_nothing(shim_query **query);

/* Exactly the N documents DOCIDS (strictly ascending ids of DB, as DB
 * numbers them across its shards), weight 0: a filter for a set of documents
 * known in advance. SHIM_UNSUPPORTED when DB's shards cannot be told apart
 * (a remote shard, a writable database's view, two shards with one UUID);
 * SHIM_INVALID_ARGUMENT when the ids are not strictly ascending. The query
 * is valid for DB only. */
shim_status shim_query_docids(shim_db *db, const uint32_t *docids, size_t n, shim_query **query);

/* SUBQUERY with its weights multiplied by FACTOR (>= 0; 0 makes it boolean). */
shim_status shim_query_scale(const shim_query *subquery, double factor, shim_query **query);

/* Xapian's own description of the query, for debugging. Caller frees. */
shim_status shim_query_describe(const shim_query *query, char **description);

void shim_query_free(shim_query *query);

/* Value serialisation in Xapian's sortable form (byte order == numeric order),
 * so values are readable by Xapian's own tools. OUT must hold 18 bytes. */
size_t shim_sortable_serialise(double number, char out[18]);
double shim_sortable_unserialise(const char *bytes, size_t len);

/* ---------------------------------------------------------------- search */

typedef struct shim_bm25_params {
    double k1, k2, k3, b, min_normlen; /* Xapian's defaults: 1, 0, 1, 0.5, 0.5 */
} shim_bm25_params;

typedef struct shim_search_options {
    shim_bm25_params bm25;     /* all zero: Xapian's defaults */
    uint32_t offset;           /* hits to skip */
    uint32_t limit;            /* hits to return */
    uint32_t check_at_least;   /* documents to examine for exact counts (0 = Xapian's default) */
    uint32_t collapse_slot;    /* SHIM_NO_SLOT: no collapsing */
    uint32_t collapse_max;     /* hits kept per collapse key (>= 1) */
    /* When ACCEPT_SLOT is not SHIM_NO_SLOT, only documents whose value in that
     * slot is one of the ACCEPT_COUNT values in ACCEPT_VALUES (each
     * ACCEPT_VALUE_LEN bytes, sorted bytewise) can match. */
    uint32_t accept_slot;
    const char *accept_values;
    size_t accept_value_len;
    size_t accept_count;
    /* Ascending docid order instead of relevance (for listing). Hits keep
     * their BM25 weights; a collapse then keeps the lowest docid per key. */
    bool sort_by_docid;
    /* Weigh with the documents' lengths read into memory (once per revision
     * of the database, at the first such search): the same weights, without
     * a lookup of each document's length in the database. For many searches
     * of one revision; a query with a synonym or a wildcard is weighed the
     * usual way. */
    bool lengths_in_memory;
} shim_search_options;

/* Options with Xapian's defaults, no collapsing, no accept set, limit 10. */
void shim_search_options_init(shim_search_options *options);

/* Run QUERY against DB. On failure *search is NULL and the message is on DB.
 * SHIM_MODIFIED means reopen DB and run again. */
shim_status shim_search_run(shim_db *db, const shim_query *query,
                            const shim_search_options *options, shim_search **search);

void shim_search_free(shim_search *search);

/* The last error message for this handle, or "". Borrowed until the next call. */
const char *shim_search_last_error(const shim_search *search);

/* Hits in this page (<= limit). */
uint32_t shim_search_size(const shim_search *search);

/* How many documents of the searched database contain TERM: from the
 * statistics the search gathered when TERM is one of its query's terms,
 * else read from the database. */
shim_status shim_search_term_freq(shim_search *search, const char *term, uint32_t *freq);

/* Xapian's bounds and estimate of how many documents match in all. */
void shim_search_matches(const shim_search *search, uint32_t *lower, uint32_t *estimated,
                         uint32_t *upper);

/* Hit I (0-based, within this page): its docid and weight. SHIM_INVALID_ARGUMENT
 * when I >= shim_search_size(). */
shim_status shim_search_hit(shim_search *search, uint32_t i, uint32_t *docid, double *weight);

/* Hit I's document data; caller frees *data (NUL-terminated, *len excludes it).
 * May return SHIM_MODIFIED. */
shim_status shim_search_hit_data(shim_search *search, uint32_t i, char **data, size_t *len);

/* Hit I's value in SLOT; caller frees *value. May return SHIM_MODIFIED. */
shim_status shim_search_hit_value(shim_search *search, uint32_t i, uint32_t slot,
                                  char **value, size_t *len);

/* How many other documents with hit I's collapse key were dropped (a lower bound). */
shim_status shim_search_hit_collapse_count(shim_search *search, uint32_t i, uint32_t *count);

/* The highest weight the query's TERM can contribute to a hit (Xapian's
 * MSet::get_termweight), 0 if TERM is not in the query. */
shim_status shim_search_term_weight(shim_search *search, const char *term, double *weight);

/* ------------------------------------------------------------- stemming */

/* A Snowball stemmer for LANGUAGE ("english", "french", ..., or "none" for the
 * identity). SHIM_INVALID_ARGUMENT for an unknown language. */
shim_status shim_stemmer_new(const char *language, shim_stemmer **stemmer);

void shim_stemmer_free(shim_stemmer *stemmer);

/* Stem WORD (UTF-8, already normalised) into OUT (at most OUT_SIZE bytes
 * including a NUL). *out_len gets the stem's length; SHIM_INVALID_ARGUMENT with
 * *out_len set to the needed length when OUT is too small. A stemmer is not
 * thread-safe: use one per thread. */
shim_status shim_stemmer_stem(shim_stemmer *stemmer, const char *word, size_t len,
                              char *out, size_t out_size, size_t *out_len);

/* The languages Xapian's stemmers know, space-separated. Static storage. */
const char *shim_stemmer_languages(void);

/* Xapian's version string. Static storage. */
const char *shim_xapian_version(void);

#ifdef __cplusplus
}
#endif

#endif /* KENSAKU_SHIM_H */
