// shim.cc — the implementation of shim.h over Xapian's C++ API.
//
// Every extern "C" function body runs inside a try block; one function,
// classify(), turns whatever was thrown into a specific shim_status and the
// message kept on the handle. Nothing C++ ever reaches the C side.

#include "shim/shim.h"

#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

// ------------------------------------------------------------ handle bodies

namespace {

// Each shard's document lengths by local docid, read in one pass: looking
// them up in Xapian costs a scan of the length chunks for every match.
struct DocLengths {
    std::vector<std::string> uuids;                          // per shard
    std::vector<std::vector<Xapian::termcount>> by_shard;    // per shard, by local docid
};

// How a query was built, for weighing it another way (see weigh_from_lengths).
struct Shape {
    enum Kind {
        TERM,       // TERM with WQF
        SCALE,      // FACTOR times CHILDREN[0]'s weight
        COMBINE,    // OP over CHILDREN
        WEIGHTLESS, // matches without weight (value ranges, docid lists, nothing)
        OTHER       // anything else (a wildcard, MatchAll): not reweighed
    } kind = OTHER;
    Xapian::Query query; // the query this shape describes
    std::string term;
    Xapian::termcount wqf = 1;
    double factor = 1;
    shim_query_op op = SHIM_QUERY_AND;
    std::vector<std::shared_ptr<const Shape>> children;
};

} // namespace

struct shim_db {
    Xapian::Database xdb;   // the database (or a view of a writable one)
    std::vector<Xapian::Database> shards; // xdb's parts, when they can be told apart
    std::shared_ptr<const DocLengths> lengths; // of this revision, once read
    std::string last_error; // the last failure's description
    std::string path;       // what shim_db_open opened ("" for a writable's view)
    bool borrowed = false;  // owned by a shim_writable_db: shim_db_free ignores it
};

struct shim_writable_db {
    Xapian::WritableDatabase wdb;
    shim_db reader;              // borrowed reading view of WDB
    std::string last_error;
    bool in_transaction = false; // Xapian does not tell; abandon needs to know
};

struct shim_doc {
    Xapian::Document doc;
};

struct shim_query {
    Xapian::Query query;
    std::shared_ptr<const Shape> shape;
};

struct shim_stemmer {
    Xapian::Stem stem;
    std::string input; // reused so stemming allocates only Xapian's result
};

// A walk over strings (terms or metadata keys), one next() at a time.
struct string_cursor {
    Xapian::TermIterator it, end;
    std::string current;   // the string last yielded (borrowed by the caller)
    bool started = false;  // the first next() yields the first string
    bool done = false;
};

struct shim_term_iter : string_cursor {
    bool doc_terms = false; // freq() is the wdf, else the term frequency
};

struct shim_postlist {
    Xapian::PostingIterator it, end;
    bool started = false;
    bool done = false;
};

struct shim_value_stream {
    Xapian::ValueIterator it, end;
    std::string current;
    bool done = false;
};

struct shim_metadata_iter : string_cursor {};

namespace {

// Only documents whose value in a slot is one of a sorted set of fixed-width
// values match; the set is copied so the caller's buffer need not outlive
// the search.
class AcceptDecider : public Xapian::MatchDecider {
  public:
    AcceptDecider(Xapian::valueno slot, const char *values, size_t width, size_t count)
        : slot_(slot), values_(values ? std::string(values, width * count) : std::string()),
          width_(width), count_(values ? count : 0) {}

    bool operator()(const Xapian::Document &doc) const override {
        const std::string value = doc.get_value(slot_);
        if (value.size() != width_) return false;
        size_t lo = 0, hi = count_;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int cmp = width_ ? std::memcmp(values_.data() + mid * width_, value.data(), width_) : 0;
            if (cmp == 0) return true;
            if (cmp < 0) lo = mid + 1;
            else hi = mid;
        }
        return false;
    }

  private:
    Xapian::valueno slot_;
    std::string values_;
    size_t width_, count_;
};

// The sort key for docid order: the docid big-endian, so byte order is
// numeric order. Sorting by this key keeps BM25 weights on the hits.
class DocidKey : public Xapian::KeyMaker {
  public:
    std::string operator()(const Xapian::Document &doc) const override {
        Xapian::docid id = doc.get_docid();
        char key[4] = {char(id >> 24), char(id >> 16), char(id >> 8), char(id)};
        return std::string(key, sizeof key);
    }
};

} // namespace

struct shim_search {
    explicit shim_search(const Xapian::Database &db) : enquire(db) {}
    Xapian::Enquire enquire;
    std::unique_ptr<AcceptDecider> decider; // used while the mset is computed
    std::unique_ptr<DocidKey> docid_key;    // the enquire refers to it
    Xapian::MSet mset;
    std::string last_error;
};

// ------------------------------------------------------------ error mapping

namespace {

// Xapian::Error has no virtual functions, so its type is told by catching:
// the most derived classes first. Call only inside a catch block.
shim_status classify_xapian() {
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &) {
        return SHIM_LOCKED;
    } catch (const Xapian::DatabaseModifiedError &) {
        return SHIM_MODIFIED;
    } catch (const Xapian::DatabaseCorruptError &) {
        return SHIM_CORRUPT;
    } catch (const Xapian::DatabaseVersionError &) {
        return SHIM_VERSION;
    } catch (const Xapian::DatabaseNotFoundError &) {
        return SHIM_NOT_FOUND;
    } catch (const Xapian::DocNotFoundError &) {
        return SHIM_NOT_FOUND;
    } catch (const Xapian::DatabaseClosedError &) {
        return SHIM_CLOSED;
    } catch (const Xapian::DatabaseOpeningError &e) {
        // With an errno (permission denied, ...) the file system is at fault;
        // without, something is there but it is no usable database (a stub
        // file with a bad line, ...). "Nothing there at all" is the
        // DatabaseNotFoundError above.
        return e.get_error_string() ? SHIM_IO : SHIM_CORRUPT;
    } catch (const Xapian::DatabaseCreateError &) {
        return SHIM_IO;
    } catch (const Xapian::NetworkError &) {
        return SHIM_NETWORK;
    } catch (const Xapian::InvalidArgumentError &) {
        return SHIM_INVALID_ARGUMENT;
    } catch (const Xapian::InvalidOperationError &) {
        return SHIM_INVALID_OPERATION;
    } catch (const Xapian::UnimplementedError &) {
        return SHIM_UNSUPPORTED;
    } catch (const Xapian::FeatureUnavailableError &) {
        return SHIM_UNSUPPORTED;
    } catch (const Xapian::DatabaseError &e) {
        // Read/write failures carry the errno's text.
        return e.get_error_string() ? SHIM_IO : SHIM_XAPIAN_ERROR;
    } catch (...) {
        return SHIM_XAPIAN_ERROR;
    }
}

// Classify the exception being handled; call only inside a catch block.
// MESSAGE (may be NULL) receives its description.
shim_status classify(std::string *message) noexcept {
    shim_status status = SHIM_XAPIAN_ERROR;
    try {
        try {
            throw;
        } catch (const Xapian::Error &e) {
            if (message) *message = e.get_description();
            status = classify_xapian();
        } catch (const std::bad_alloc &) {
            status = SHIM_NO_MEMORY;
            if (message) *message = "out of memory";
        } catch (const std::exception &e) {
            if (message) *message = e.what();
        } catch (...) {
            if (message) *message = "unknown C++ exception";
        }
    } catch (...) {
        // Storing the message itself failed (out of memory); the status stands.
        if (message) message->clear();
    }
    return status;
}

// Record a message without classifying (argument checks made here).
shim_status fail(std::string *where, shim_status status, const char *message) noexcept {
    if (where) {
        try {
            *where = message;
        } catch (...) {
            where->clear();
        }
    }
    return status;
}

// Copy BYTES into a fresh NUL-terminated malloc'd buffer.
shim_status copy_out(const std::string &bytes, char **out, size_t *len) {
    char *buf = static_cast<char *>(std::malloc(bytes.size() + 1));
    if (!buf) return SHIM_NO_MEMORY;
    std::memcpy(buf, bytes.data(), bytes.size());
    buf[bytes.size()] = '\0';
    *out = buf;
    if (len) *len = bytes.size();
    return SHIM_OK;
}

// The same, for an open call's optional MESSAGE out-parameter.
void message_out(const std::string &text, char **message) noexcept {
    if (!message) return;
    *message = nullptr;
    copy_out(text, message, nullptr);
}

bool term_too_long(size_t len) { return len > SHIM_MAX_TERM_BYTES; }

shim_status check_term(const char *term, size_t len) {
    if (!term || len == 0) return SHIM_INVALID_ARGUMENT;
    if (term_too_long(len)) return SHIM_TERM_TOO_LONG;
    return SHIM_OK;
}

} // namespace

// The body of a function on a handle H with a last_error member: run BODY,
// classify what it throws into the handle's message.
#define SHIM_GUARD(h, body)                                                    \
    do {                                                                       \
        try {                                                                  \
            body                                                               \
        } catch (...) {                                                        \
            return classify(&(h)->last_error);                                 \
        }                                                                      \
    } while (0)

// The same for handles without a message.
#define SHIM_GUARD_SILENT(body)                                                \
    do {                                                                       \
        try {                                                                  \
            body                                                               \
        } catch (...) {                                                        \
            return classify(nullptr);                                          \
        }                                                                      \
    } while (0)

namespace {

// Step CURSOR and lend its string through OUT and LEN (SHIM_END at the end).
shim_status cursor_next(string_cursor *cursor, const char **out, size_t *len) {
    if (cursor->done) return SHIM_END;
    SHIM_GUARD_SILENT({
        if (cursor->started) ++cursor->it;
        cursor->started = true;
        if (cursor->it == cursor->end) {
            cursor->done = true;
            return SHIM_END;
        }
        cursor->current = *cursor->it;
        *out = cursor->current.c_str();
        if (len) *len = cursor->current.size();
        return SHIM_OK;
    });
}

} // namespace

extern "C" {

// ------------------------------------------------------------------ status

const char *shim_status_string(shim_status status) {
    // Read as the raw integer: C may pass any int, and an out-of-range enum
    // value is undefined behaviour on the C++ side.
    std::underlying_type_t<shim_status> code;
    std::memcpy(&code, &status, sizeof code);
    switch (code) {
    case SHIM_OK: return "success";
    case SHIM_NOT_FOUND: return "not found";
    case SHIM_LOCKED: return "the database is locked by another writer";
    case SHIM_MODIFIED: return "the database was modified while reading: reopen and retry";
    case SHIM_CORRUPT: return "the database is corrupt";
    case SHIM_VERSION: return "the database format is not supported by this Xapian";
    case SHIM_IO: return "input/output error";
    case SHIM_NO_MEMORY: return "out of memory";
    case SHIM_INVALID_ARGUMENT: return "invalid argument";
    case SHIM_INVALID_OPERATION: return "invalid operation in this state";
    case SHIM_READ_ONLY: return "the database is read-only";
    case SHIM_TERM_TOO_LONG: return "term or key too long (more than 245 bytes)";
    case SHIM_UNSUPPORTED: return "not supported by this database backend";
    case SHIM_NETWORK: return "network error with a remote database";
    case SHIM_CLOSED: return "the database has been closed";
    case SHIM_END: return "no more items";
    case SHIM_XAPIAN_ERROR: return "Xapian error";
    }
    return "unknown status";
}

// ------------------------------------------------------- reading databases

namespace {

// Whether PATH exists and is of TYPE (S_IFREG, S_IFDIR).
bool path_is(const std::string &path, mode_t type) {
    struct stat st;
    return stat(path.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == type;
}

// The whole of the small file at PATH into *TEXT; false if it cannot be
// read. (Plain read(2): a query process opens a stub once, and an iostream
// would cost it more than the rest of the parsing.)
bool read_small_file(const std::string &path, std::string *text) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char buffer[4096];
    ssize_t got;
    while ((got = read(fd, buffer, sizeof buffer)) > 0)
        text->append(buffer, static_cast<size_t>(got));
    close(fd);
    return got == 0;
}

// Open the local glass databases PATH is made of, in the order Xapian would
// search them: PATH itself, or each line of its stub ("glass DIR" or
// "auto DIR", relative to the stub's folder). False (SHARDS partly filled)
// for anything else, a remote shard say: then Xapian opens PATH as a whole.
bool open_local_shards(const std::string &path, std::vector<Xapian::Database> *shards) {
    if (path_is(path + "/iamglass", S_IFREG)) {
        shards->emplace_back(path);
        return true;
    }
    std::string stub = path, folder;
    if (path_is(path, S_IFDIR)) {
        stub = path + "/XAPIANDB";
        folder = path;
    } else {
        size_t slash = path.rfind('/');
        folder = slash == std::string::npos ? "." : path.substr(0, slash ? slash : 1);
    }
    std::string text;
    if (!read_small_file(stub, &text)) return false;
    for (size_t at = 0, end; at < text.size(); at = end + 1) {
        end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(at, end - at);
        size_t start = line.find_first_not_of(" \t\r");
        if (start == std::string::npos || line[start] == '#') continue;
        size_t space = line.find(' ', start);
        if (space == std::string::npos) return false;
        size_t target_start = line.find_first_not_of(' ', space);
        if (target_start == std::string::npos) return false;
        std::string type = line.substr(start, space - start);
        std::string target = line.substr(target_start);
        while (!target.empty() && (target.back() == ' ' || target.back() == '\r'))
            target.pop_back();
        if ((type != "glass" && type != "auto") || target.empty()) return false;
        if (target[0] != '/') target = folder + "/" + target;
        if (!path_is(target + "/iamglass", S_IFREG)) return false;
        shards->emplace_back(target);
    }
    return !shards->empty();
}

// Open PATH into DB's database and shards (replacing what it held).
void open_whole(const std::string &path, shim_db *db) {
    std::vector<Xapian::Database> shards;
    Xapian::Database whole;
    if (open_local_shards(path, &shards)) {
        for (const Xapian::Database &shard : shards)
            whole.add_database(shard);
    } else {
        shards.clear();
        whole = Xapian::Database(path);
    }
    db->xdb = whole;
    db->shards = std::move(shards);
    db->lengths.reset();
}

} // namespace

shim_status shim_db_open(const char *path, shim_db **db, char **message) {
    if (message) *message = nullptr;
    if (!db) return SHIM_INVALID_ARGUMENT;
    *db = nullptr;
    if (!path || !*path) {
        message_out("no database path given", message);
        return SHIM_INVALID_ARGUMENT;
    }
    std::string error;
    try {
        std::unique_ptr<shim_db> handle(new shim_db);
        open_whole(path, handle.get());
        handle->path = path;
        *db = handle.release();
        return SHIM_OK;
    } catch (...) {
        shim_status status = classify(&error);
        message_out(error, message);
        return status;
    }
}

void shim_db_free(shim_db *db) {
    // No explicit close(): searches and iterators made from DB share its
    // open database and stay valid; the files close with the last of them.
    if (!db || db->borrowed) return;
    delete db;
}

const char *shim_db_last_error(const shim_db *db) {
    return db ? db->last_error.c_str() : "";
}

shim_status shim_db_reopen(shim_db *db) {
    if (!db) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(db, {
        db->lengths.reset();
        try {
            db->xdb.reopen();
        } catch (const Xapian::DatabaseOpeningError &) {
            // The shards it had open are gone: the indexer switched the
            // stub to new ones (a rebuild, a merge). Read the stub again.
            if (db->path.empty()) throw;
            open_whole(db->path, db);
        }
        return SHIM_OK;
    });
}

shim_status shim_db_doc_count(shim_db *db, uint32_t *count) {
    if (!db || !count) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(db, {
        *count = db->xdb.get_doccount();
        return SHIM_OK;
    });
}

shim_status shim_db_average_length(shim_db *db, double *avg_length) {
    if (!db || !avg_length) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(db, {
        *avg_length = db->xdb.get_avlength();
        return SHIM_OK;
    });
}

shim_status shim_db_last_docid(shim_db *db, uint32_t *docid) {
    if (!db || !docid) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(db, {
        *docid = db->xdb.get_lastdocid();
        return SHIM_OK;
    });
}

shim_status shim_db_term_freq(shim_db *db, const char *term, uint32_t *doc_freq,
                              uint64_t *collection_freq) {
    if (!db || !term) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(db, {
        if (doc_freq) *doc_freq = db->xdb.get_termfreq(term);
        if (collection_freq) *collection_freq = db->xdb.get_collection_freq(term);
        return SHIM_OK;
    });
}

shim_status shim_db_find_by_term(shim_db *db, const char *term, uint32_t *docid) {
    if (!db || !term || !docid) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(db, {
        Xapian::PostingIterator it = db->xdb.postlist_begin(term);
        if (it == db->xdb.postlist_end(term))
            return fail(&db->last_error, SHIM_NOT_FOUND, "no document has this term");
        *docid = *it;
        return SHIM_OK;
    });
}

shim_status shim_db_document_data(shim_db *db, uint32_t docid, char **data, size_t *len) {
    if (!db || !data) return SHIM_INVALID_ARGUMENT;
    *data = nullptr;
    SHIM_GUARD(db, {
        return copy_out(db->xdb.get_document(docid).get_data(), data, len);
    });
}

shim_status shim_db_document_value(shim_db *db, uint32_t docid, uint32_t slot,
                                   char **value, size_t *len) {
    if (!db || !value) return SHIM_INVALID_ARGUMENT;
    *value = nullptr;
    if (slot == SHIM_NO_SLOT)
        return fail(&db->last_error, SHIM_INVALID_ARGUMENT, "SHIM_NO_SLOT is not a value slot");
    SHIM_GUARD(db, {
        return copy_out(db->xdb.get_document(docid).get_value(slot), value, len);
    });
}

shim_status shim_db_value_bounds(shim_db *db, uint32_t slot, char **lower, size_t *lower_len,
                                 char **upper, size_t *upper_len) {
    if (!db || !lower || !upper) return SHIM_INVALID_ARGUMENT;
    *lower = *upper = nullptr;
    if (slot == SHIM_NO_SLOT)
        return fail(&db->last_error, SHIM_INVALID_ARGUMENT, "SHIM_NO_SLOT is not a value slot");
    SHIM_GUARD(db, {
        std::string lo = db->xdb.get_value_lower_bound(slot);
        std::string hi = db->xdb.get_value_upper_bound(slot);
        if (copy_out(lo, lower, lower_len) != SHIM_OK) return SHIM_NO_MEMORY;
        if (copy_out(hi, upper, upper_len) != SHIM_OK) {
            std::free(*lower);
            *lower = nullptr;
            return SHIM_NO_MEMORY;
        }
        return SHIM_OK;
    });
}

uint32_t shim_db_shard_count(const shim_db *db) {
    return db ? uint32_t(db->shards.size()) : 0;
}

shim_status shim_db_shard_metadata(shim_db *db, uint32_t shard, const char *key, char **value,
                                   size_t *len, uint32_t *doc_count, uint32_t *last_docid) {
    if (!db || !key || !*key || !value || !len || !doc_count || !last_docid)
        return SHIM_INVALID_ARGUMENT;
    *value = nullptr;
    *len = 0;
    if (shard >= db->shards.size())
        return fail(&db->last_error, SHIM_INVALID_ARGUMENT, "no such shard");
    SHIM_GUARD(db, {
        const Xapian::Database &part = db->shards[shard];
        *doc_count = part.get_doccount();
        *last_docid = part.get_lastdocid();
        std::string stored = part.get_metadata(key);
        if (stored.empty()) return SHIM_OK;
        return copy_out(stored, value, len);
    });
}

shim_status shim_db_get_metadata(shim_db *db, const char *key, char **value, size_t *len) {
    if (!db || !key || !value) return SHIM_INVALID_ARGUMENT;
    *value = nullptr;
    size_t key_len = std::strlen(key);
    if (key_len == 0)
        return fail(&db->last_error, SHIM_INVALID_ARGUMENT, "empty metadata key");
    if (term_too_long(key_len))
        return fail(&db->last_error, SHIM_TERM_TOO_LONG, "metadata key longer than 245 bytes");
    SHIM_GUARD(db, {
        std::string stored = db->xdb.get_metadata(key);
        if (stored.empty())
            return fail(&db->last_error, SHIM_NOT_FOUND, "no such metadata key");
        return copy_out(stored, value, len);
    });
}

shim_status shim_db_spelling_suggestion(shim_db *db, const char *word,
                                        unsigned max_edit_distance, char **suggestion) {
    if (!db || !word || !suggestion) return SHIM_INVALID_ARGUMENT;
    *suggestion = nullptr;
    SHIM_GUARD(db, {
        std::string best = db->xdb.get_spelling_suggestion(word, max_edit_distance);
        if (best.empty())
            return fail(&db->last_error, SHIM_NOT_FOUND, "no spelling suggestion");
        return copy_out(best, suggestion, nullptr);
    });
}

// --------------------------------------------------------------- iterators

shim_status shim_db_terms(shim_db *db, const char *prefix, shim_term_iter **iter) {
    if (!db || !iter) return SHIM_INVALID_ARGUMENT;
    *iter = nullptr;
    SHIM_GUARD(db, {
        std::string start = prefix ? prefix : "";
        std::unique_ptr<shim_term_iter> handle(new shim_term_iter);
        handle->it = db->xdb.allterms_begin(start);
        handle->end = db->xdb.allterms_end(start);
        *iter = handle.release();
        return SHIM_OK;
    });
}

shim_status shim_db_document_terms(shim_db *db, uint32_t docid, shim_term_iter **iter) {
    if (!db || !iter) return SHIM_INVALID_ARGUMENT;
    *iter = nullptr;
    SHIM_GUARD(db, {
        std::unique_ptr<shim_term_iter> handle(new shim_term_iter);
        handle->it = db->xdb.termlist_begin(docid);
        handle->end = db->xdb.termlist_end(docid);
        handle->doc_terms = true;
        *iter = handle.release();
        return SHIM_OK;
    });
}

shim_status shim_term_iter_next(shim_term_iter *iter, const char **term, size_t *len) {
    if (!iter || !term) return SHIM_INVALID_ARGUMENT;
    return cursor_next(iter, term, len);
}

shim_status shim_term_iter_freq(shim_term_iter *iter, uint32_t *freq) {
    if (!iter || !freq) return SHIM_INVALID_ARGUMENT;
    if (!iter->started || iter->done) return SHIM_INVALID_OPERATION;
    SHIM_GUARD_SILENT({
        *freq = iter->doc_terms ? iter->it.get_wdf() : iter->it.get_termfreq();
        return SHIM_OK;
    });
}

void shim_term_iter_free(shim_term_iter *iter) {
    delete iter;
}

shim_status shim_db_postlist(shim_db *db, const char *term, shim_postlist **list) {
    if (!db || !term || !list) return SHIM_INVALID_ARGUMENT;
    *list = nullptr;
    SHIM_GUARD(db, {
        std::unique_ptr<shim_postlist> handle(new shim_postlist);
        handle->it = db->xdb.postlist_begin(term);
        handle->end = db->xdb.postlist_end(term);
        *list = handle.release();
        return SHIM_OK;
    });
}

namespace {

shim_status postlist_current(shim_postlist *list, uint32_t *docid, uint32_t *wdf) {
    if (list->it == list->end) {
        list->done = true;
        return SHIM_END;
    }
    if (docid) *docid = *list->it;
    if (wdf) *wdf = list->it.get_wdf();
    return SHIM_OK;
}

} // namespace

shim_status shim_postlist_next(shim_postlist *list, uint32_t *docid, uint32_t *wdf) {
    if (!list) return SHIM_INVALID_ARGUMENT;
    if (list->done) return SHIM_END;
    SHIM_GUARD_SILENT({
        if (list->started) ++list->it;
        list->started = true;
        return postlist_current(list, docid, wdf);
    });
}

shim_status shim_postlist_read(shim_postlist *list, uint32_t *docids, size_t max, size_t *n) {
    if (!n) return SHIM_INVALID_ARGUMENT;
    *n = 0;
    if (!list || (!docids && max)) return SHIM_INVALID_ARGUMENT;
    if (list->done) return SHIM_END;
    SHIM_GUARD_SILENT({
        size_t got = 0;
        while (got < max) {
            if (list->started) ++list->it;
            list->started = true;
            if (list->it == list->end) {
                list->done = true;
                break;
            }
            docids[got++] = *list->it;
        }
        *n = got;
        return got || !list->done ? SHIM_OK : SHIM_END;
    });
}

shim_status shim_postlist_skip_to(shim_postlist *list, uint32_t docid, uint32_t *found_docid,
                                  uint32_t *wdf) {
    if (!list) return SHIM_INVALID_ARGUMENT;
    if (list->done) return SHIM_END;
    SHIM_GUARD_SILENT({
        list->started = true;
        list->it.skip_to(docid);
        return postlist_current(list, found_docid, wdf);
    });
}

void shim_postlist_free(shim_postlist *list) {
    delete list;
}

shim_status shim_db_value_stream(shim_db *db, uint32_t slot, shim_value_stream **stream) {
    if (!db || !stream) return SHIM_INVALID_ARGUMENT;
    *stream = nullptr;
    if (slot == SHIM_NO_SLOT)
        return fail(&db->last_error, SHIM_INVALID_ARGUMENT, "SHIM_NO_SLOT is not a value slot");
    SHIM_GUARD(db, {
        std::unique_ptr<shim_value_stream> handle(new shim_value_stream);
        handle->it = db->xdb.valuestream_begin(slot);
        handle->end = db->xdb.valuestream_end(slot);
        *stream = handle.release();
        return SHIM_OK;
    });
}

shim_status shim_value_stream_skip_to(shim_value_stream *stream, uint32_t docid,
                                      uint32_t *found_docid, const char **value, size_t *len) {
    if (!stream) return SHIM_INVALID_ARGUMENT;
    if (stream->done) return SHIM_END;
    SHIM_GUARD_SILENT({
        if (stream->it != stream->end) stream->it.skip_to(docid);
        if (stream->it == stream->end) {
            stream->done = true;
            return SHIM_END;
        }
        stream->current = *stream->it;
        if (found_docid) *found_docid = stream->it.get_docid();
        if (value) *value = stream->current.c_str();
        if (len) *len = stream->current.size();
        return SHIM_OK;
    });
}

void shim_value_stream_free(shim_value_stream *stream) {
    delete stream;
}

shim_status shim_db_metadata_keys(shim_db *db, const char *prefix, shim_metadata_iter **iter) {
    if (!db || !iter) return SHIM_INVALID_ARGUMENT;
    *iter = nullptr;
    SHIM_GUARD(db, {
        std::string start = prefix ? prefix : "";
        std::unique_ptr<shim_metadata_iter> handle(new shim_metadata_iter);
        handle->it = db->xdb.metadata_keys_begin(start);
        handle->end = db->xdb.metadata_keys_end(start);
        *iter = handle.release();
        return SHIM_OK;
    });
}

shim_status shim_metadata_iter_next(shim_metadata_iter *iter, const char **key, size_t *len) {
    if (!iter || !key) return SHIM_INVALID_ARGUMENT;
    return cursor_next(iter, key, len);
}

void shim_metadata_iter_free(shim_metadata_iter *iter) {
    delete iter;
}

// ------------------------------------------------------- writing databases

namespace {

// Xapian 1.4 reads XAPIAN_FLUSH_THRESHOLD when a writable database opens; the
// variable is set only around the open, under a lock so two opens through
// the shim never see each other's value.
std::mutex flush_env_mutex;

class FlushThresholdScope {
  public:
    explicit FlushThresholdScope(uint32_t threshold) : active_(threshold != 0) {
        if (!active_) return;
        lock_ = std::unique_lock<std::mutex>(flush_env_mutex);
        const char *old = std::getenv("XAPIAN_FLUSH_THRESHOLD");
        had_old_ = old != nullptr;
        if (had_old_) old_ = old;
        setenv("XAPIAN_FLUSH_THRESHOLD", std::to_string(threshold).c_str(), 1);
    }
    ~FlushThresholdScope() {
        if (!active_) return;
        if (had_old_) setenv("XAPIAN_FLUSH_THRESHOLD", old_.c_str(), 1);
        else unsetenv("XAPIAN_FLUSH_THRESHOLD");
    }
    FlushThresholdScope(const FlushThresholdScope &) = delete;
    FlushThresholdScope &operator=(const FlushThresholdScope &) = delete;

  private:
    bool active_;
    bool had_old_ = false;
    std::string old_;
    std::unique_lock<std::mutex> lock_;
};

int open_flags(int mode) {
    // Never DB_RETRY_LOCK (the caller decides on retries), never
    // DB_DANGEROUS or DB_NO_SYNC (a crash must leave the last commit intact).
    if (mode == SHIM_OPEN_EXISTING) return Xapian::DB_OPEN;
    if (mode == SHIM_CREATE_OR_OVERWRITE) return Xapian::DB_CREATE_OR_OVERWRITE;
    return Xapian::DB_CREATE_OR_OPEN;
}

} // namespace

shim_status shim_writable_open(const char *path, const shim_writable_options *options,
                               shim_writable_db **db, char **message) {
    if (message) *message = nullptr;
    if (!db) return SHIM_INVALID_ARGUMENT;
    *db = nullptr;
    if (!path || !*path) {
        message_out("no database path given", message);
        return SHIM_INVALID_ARGUMENT;
    }
    shim_writable_options defaults = {SHIM_CREATE_OR_OPEN, 0};
    if (!options) options = &defaults;
    // C lets any int into the enum; in C++ loading a value outside its
    // enumerators' range is undefined, so read the raw integer.
    std::underlying_type_t<shim_open_mode> raw_mode;
    std::memcpy(&raw_mode, &options->mode, sizeof raw_mode);
    if (raw_mode != SHIM_OPEN_EXISTING && raw_mode != SHIM_CREATE_OR_OPEN &&
        raw_mode != SHIM_CREATE_OR_OVERWRITE) {
        message_out("unknown open mode", message);
        return SHIM_INVALID_ARGUMENT;
    }
    std::string error;
    try {
        std::unique_ptr<shim_writable_db> handle(new shim_writable_db);
        {
            FlushThresholdScope scope(options->flush_threshold);
            handle->wdb = Xapian::WritableDatabase(path, open_flags(raw_mode));
        }
        handle->reader.xdb = handle->wdb;
        handle->reader.borrowed = true;
        *db = handle.release();
        return SHIM_OK;
    } catch (...) {
        shim_status status = classify(&error);
        message_out(error, message);
        return status;
    }
}

namespace {

// Close WDB without committing: with a transaction open, Xapian's close()
// cancels it and commits nothing; otherwise an unflushed transaction is
// begun first so that close() does not commit the pending changes.
void close_without_commit(shim_writable_db *db) noexcept {
    try {
        if (!db->in_transaction) db->wdb.begin_transaction(false);
        db->in_transaction = true;
    } catch (...) {
        // Only a closed database refuses (glass has transactions); then
        // close() below has nothing left to commit either.
    }
    try {
        db->wdb.close();
    } catch (...) {
        // Nothing more can be done; the lock goes with the handle.
    }
}

} // namespace

shim_status shim_writable_close(shim_writable_db *db) {
    if (!db) return SHIM_OK;
    shim_status status = SHIM_OK;
    try {
        if (db->in_transaction) {
            // A unit the caller neither finished nor cancelled must not reach
            // readers half done: cancel it, as Xapian's own close() does.
            db->in_transaction = false;
            db->wdb.cancel_transaction();
            status = fail(&db->last_error, SHIM_INVALID_OPERATION,
                          "closed with a transaction open: the transaction was cancelled");
        }
        db->wdb.commit();
        db->wdb.close();
    } catch (...) {
        status = classify(&db->last_error);
        close_without_commit(db);
    }
    delete db;
    return status;
}

void shim_writable_abandon(shim_writable_db *db) {
    if (!db) return;
    close_without_commit(db);
    delete db;
}

const char *shim_writable_last_error(const shim_writable_db *db) {
    return db ? db->last_error.c_str() : "";
}

shim_db *shim_writable_reader(shim_writable_db *db) {
    return db ? &db->reader : nullptr;
}

shim_status shim_compact(const char *const *sources, size_t n, const char *destination,
                         char **message) {
    if (message) *message = nullptr;
    if (!sources || n == 0 || !destination || !*destination) {
        message_out("no databases to merge", message);
        return SHIM_INVALID_ARGUMENT;
    }
    struct stat st;
    if (stat(destination, &st) == 0 || errno != ENOENT) {
        // Xapian would write its tables over whatever is there.
        message_out(std::string(destination) + " already exists", message);
        return SHIM_INVALID_ARGUMENT;
    }
    std::string error;
    try {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++) {
            if (!sources[i]) throw Xapian::InvalidArgumentError("no database path given");
            all.add_database(Xapian::Database(sources[i]));
        }
        all.compact(destination, Xapian::Compactor::STANDARD);
        return SHIM_OK;
    } catch (...) {
        shim_status status = classify(&error);
        message_out(error, message);
        return status;
    }
}

shim_status shim_writable_commit(shim_writable_db *db) {
    if (!db) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(db, {
        db->wdb.commit();
        return SHIM_OK;
    });
}

shim_status shim_writable_begin_transaction(shim_writable_db *db, bool flushed) {
    if (!db) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(db, {
        db->wdb.begin_transaction(flushed);
        db->in_transaction = true;
        return SHIM_OK;
    });
}

shim_status shim_writable_commit_transaction(shim_writable_db *db) {
    if (!db) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(db, {
        // Whatever happens, no transaction is in progress afterwards.
        db->in_transaction = false;
        db->wdb.commit_transaction();
        return SHIM_OK;
    });
}

shim_status shim_writable_cancel_transaction(shim_writable_db *db) {
    if (!db) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(db, {
        // Whatever happens, no transaction is in progress afterwards.
        db->in_transaction = false;
        db->wdb.cancel_transaction();
        return SHIM_OK;
    });
}

shim_status shim_writable_add_document(shim_writable_db *db, const shim_doc *doc,
                                       uint32_t *docid) {
    if (!db || !doc) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(db, {
        Xapian::docid id = db->wdb.add_document(doc->doc);
        if (docid) *docid = id;
        return SHIM_OK;
    });
}

shim_status shim_writable_replace_document(shim_writable_db *db, const char *unique_term,
                                           const shim_doc *doc, uint32_t *docid) {
    if (!db || !unique_term || !doc) return SHIM_INVALID_ARGUMENT;
    shim_status status = check_term(unique_term, std::strlen(unique_term));
    if (status != SHIM_OK)
        return fail(&db->last_error, status, "the unique term is empty or longer than 245 bytes");
    SHIM_GUARD(db, {
        Xapian::docid id = db->wdb.replace_document(unique_term, doc->doc);
        if (docid) *docid = id;
        return SHIM_OK;
    });
}

shim_status shim_writable_delete_documents(shim_writable_db *db, const char *term) {
    if (!db || !term) return SHIM_INVALID_ARGUMENT;
    shim_status status = check_term(term, std::strlen(term));
    if (status != SHIM_OK)
        return fail(&db->last_error, status, "the term is empty or longer than 245 bytes");
    SHIM_GUARD(db, {
        db->wdb.delete_document(term);
        return SHIM_OK;
    });
}

shim_status shim_writable_delete_document(shim_writable_db *db, uint32_t docid) {
    if (!db) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(db, {
        db->wdb.delete_document(docid);
        return SHIM_OK;
    });
}

shim_status shim_writable_set_metadata(shim_writable_db *db, const char *key,
                                       const char *value, size_t len) {
    if (!db || !key || (!value && len)) return SHIM_INVALID_ARGUMENT;
    size_t key_len = std::strlen(key);
    if (key_len == 0)
        return fail(&db->last_error, SHIM_INVALID_ARGUMENT, "empty metadata key");
    if (term_too_long(key_len))
        return fail(&db->last_error, SHIM_TERM_TOO_LONG, "metadata key longer than 245 bytes");
    SHIM_GUARD(db, {
        db->wdb.set_metadata(std::string(key, key_len), std::string(value ? value : "", len));
        return SHIM_OK;
    });
}

shim_status shim_writable_add_spelling(shim_writable_db *db, const char *word, uint32_t freq) {
    if (!db || !word) return SHIM_INVALID_ARGUMENT;
    shim_status status = check_term(word, std::strlen(word));
    if (status != SHIM_OK)
        return fail(&db->last_error, status, "the word is empty or longer than 245 bytes");
    SHIM_GUARD(db, {
        db->wdb.add_spelling(word, freq);
        return SHIM_OK;
    });
}

shim_status shim_writable_remove_spelling(shim_writable_db *db, const char *word,
                                          uint32_t freq) {
    if (!db || !word) return SHIM_INVALID_ARGUMENT;
    shim_status status = check_term(word, std::strlen(word));
    if (status != SHIM_OK)
        return fail(&db->last_error, status, "the word is empty or longer than 245 bytes");
    SHIM_GUARD(db, {
        db->wdb.remove_spelling(word, freq);
        return SHIM_OK;
    });
}

// --------------------------------------------------------------- documents

shim_status shim_doc_new(shim_doc **doc) {
    if (!doc) return SHIM_INVALID_ARGUMENT;
    *doc = nullptr;
    SHIM_GUARD_SILENT({
        *doc = new shim_doc;
        return SHIM_OK;
    });
}

void shim_doc_free(shim_doc *doc) {
    delete doc;
}

shim_status shim_doc_add_posting(shim_doc *doc, const char *term, size_t len,
                                 uint32_t position, uint32_t wdf_inc) {
    if (!doc) return SHIM_INVALID_ARGUMENT;
    shim_status status = check_term(term, len);
    if (status != SHIM_OK) return status;
    SHIM_GUARD_SILENT({
        doc->doc.add_posting(std::string(term, len), position, wdf_inc);
        return SHIM_OK;
    });
}

shim_status shim_doc_add_term(shim_doc *doc, const char *term, size_t len, uint32_t wdf_inc) {
    if (!doc) return SHIM_INVALID_ARGUMENT;
    shim_status status = check_term(term, len);
    if (status != SHIM_OK) return status;
    SHIM_GUARD_SILENT({
        doc->doc.add_term(std::string(term, len), wdf_inc);
        return SHIM_OK;
    });
}

shim_status shim_doc_add_boolean_term(shim_doc *doc, const char *term, size_t len) {
    if (!doc) return SHIM_INVALID_ARGUMENT;
    shim_status status = check_term(term, len);
    if (status != SHIM_OK) return status;
    SHIM_GUARD_SILENT({
        doc->doc.add_boolean_term(std::string(term, len));
        return SHIM_OK;
    });
}

shim_status shim_doc_set_value(shim_doc *doc, uint32_t slot, const char *value, size_t len) {
    if (!doc || (!value && len) || slot == SHIM_NO_SLOT) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD_SILENT({
        doc->doc.add_value(slot, std::string(value ? value : "", len));
        return SHIM_OK;
    });
}

shim_status shim_doc_set_data(shim_doc *doc, const char *data, size_t len) {
    if (!doc || (!data && len)) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD_SILENT({
        doc->doc.set_data(std::string(data ? data : "", len));
        return SHIM_OK;
    });
}

shim_status shim_doc_term_count(const shim_doc *doc, uint32_t *count) {
    if (!doc || !count) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD_SILENT({
        *count = doc->doc.termlist_count();
        return SHIM_OK;
    });
}

shim_status shim_doc_clear(shim_doc *doc) {
    if (!doc) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD_SILENT({
        doc->doc.clear_terms();
        doc->doc.clear_values();
        doc->doc.set_data(std::string());
        return SHIM_OK;
    });
}

// ----------------------------------------------------------------- queries

namespace {

shim_status new_query(Xapian::Query &&q, shim_query **query,
                      std::shared_ptr<Shape> shape = std::make_shared<Shape>()) {
    shape->query = q;
    *query = new shim_query{std::move(q), std::move(shape)};
    return SHIM_OK;
}

std::shared_ptr<Shape> new_shape(Shape::Kind kind) {
    auto shape = std::make_shared<Shape>();
    shape->kind = kind;
    return shape;
}

} // namespace

shim_status shim_query_term(const char *term, size_t len, uint32_t wqf, uint32_t position,
                            shim_query **query) {
    if (!query) return SHIM_INVALID_ARGUMENT;
    *query = nullptr;
    if (!term && len) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD_SILENT({
        auto shape = new_shape(Shape::TERM);
        shape->term.assign(term ? term : "", len);
        shape->wqf = wqf;
        return new_query(Xapian::Query(shape->term, wqf, position), query, shape);
    });
}

shim_status shim_query_combine(shim_query_op op, shim_query *const *subqueries, size_t n,
                               uint32_t window, shim_query **query) {
    if (!query || (!subqueries && n)) return SHIM_INVALID_ARGUMENT;
    *query = nullptr;
    for (size_t i = 0; i < n; i++)
        if (!subqueries[i]) return SHIM_INVALID_ARGUMENT;
    std::underlying_type_t<shim_query_op> code; // see shim_status_string
    std::memcpy(&code, &op, sizeof code);
    Xapian::Query::op xop;
    switch (code) {
    case SHIM_QUERY_AND: xop = Xapian::Query::OP_AND; break;
    case SHIM_QUERY_OR: xop = Xapian::Query::OP_OR; break;
    case SHIM_QUERY_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
    case SHIM_QUERY_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
    case SHIM_QUERY_FILTER: xop = Xapian::Query::OP_FILTER; break;
    case SHIM_QUERY_SYNONYM: xop = Xapian::Query::OP_SYNONYM; break;
    case SHIM_QUERY_PHRASE: xop = Xapian::Query::OP_PHRASE; break;
    case SHIM_QUERY_NEAR: xop = Xapian::Query::OP_NEAR; break;
    case SHIM_QUERY_MAX: xop = Xapian::Query::OP_MAX; break;
    default: return SHIM_INVALID_ARGUMENT;
    }
    if (code != SHIM_QUERY_PHRASE && code != SHIM_QUERY_NEAR) window = 0;
    SHIM_GUARD_SILENT({
        if (n == 0) return new_query(Xapian::Query(), query, new_shape(Shape::WEIGHTLESS));
        // Xapian's n-ary forms already mean what shim.h promises: AND_NOT and
        // AND_MAYBE take the first subquery against the OR of the others,
        // FILTER against their AND; a window of 0 means "as many positions
        // as there are subqueries", i.e. adjacent for PHRASE.
        std::vector<Xapian::Query> parts;
        parts.reserve(n);
        auto shape = new_shape(Shape::COMBINE);
        shape->op = op;
        for (size_t i = 0; i < n; i++) {
            parts.push_back(subqueries[i]->query);
            shape->children.push_back(subqueries[i]->shape);
        }
        return new_query(Xapian::Query(xop, parts.begin(), parts.end(), window), query, shape);
    });
}

shim_status shim_query_wildcard(const char *prefix, uint32_t max_expansion, shim_query **query) {
    if (!query || !prefix) return SHIM_INVALID_ARGUMENT;
    *query = nullptr;
    // Xapian's MOST_FREQUENT limit with 0 keeps no term at all; "no limit"
    // is 0 with any other limit mode.
    int limit_mode = max_expansion ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT
                                   : Xapian::Query::WILDCARD_LIMIT_ERROR;
    SHIM_GUARD_SILENT({
        return new_query(Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, max_expansion,
                                       limit_mode, Xapian::Query::OP_SYNONYM),
                         query);
    });
}

shim_status shim_query_value_range(uint32_t slot, const char *lower, size_t lower_len,
                                   const char *upper, size_t upper_len, shim_query **query) {
    if (!query || slot == SHIM_NO_SLOT) return SHIM_INVALID_ARGUMENT;
    *query = nullptr;
    SHIM_GUARD_SILENT({
        if (lower && upper)
            return new_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot,
                                           std::string(lower, lower_len),
                                           std::string(upper, upper_len)),
                             query, new_shape(Shape::WEIGHTLESS));
        if (upper)
            return new_query(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot,
                                           std::string(upper, upper_len)),
                             query, new_shape(Shape::WEIGHTLESS));
        // Both bounds open: every document with a value in SLOT.
        return new_query(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot,
                                       lower ? std::string(lower, lower_len) : std::string()),
                         query, new_shape(Shape::WEIGHTLESS));
    });
}

namespace {

// The documents of a fixed list, shard by shard. Xapian clones the source
// for each shard of a combined database and calls init() with that shard:
// the shard is recognised by its UUID, and the list gives its local ids.
class DocidListSource : public Xapian::PostingSource {
  public:
    struct Lists {
        std::vector<std::string> uuids;                 // per shard
        std::vector<std::vector<Xapian::docid>> docids; // per shard, local ids
    };

    explicit DocidListSource(std::shared_ptr<const Lists> lists) : lists_(std::move(lists)) {}

    void init(const Xapian::Database &db) override {
        ids_ = nullptr;
        pos_ = 0;
        started_ = false;
        if (lists_->docids.size() == 1) {
            ids_ = &lists_->docids[0];
            return;
        }
        std::string uuid = db.get_uuid();
        for (size_t i = 0; i < lists_->uuids.size(); i++)
            if (lists_->uuids[i] == uuid) ids_ = &lists_->docids[i];
        if (!ids_) ids_ = &empty_;
    }
    Xapian::doccount get_termfreq_min() const override { return count(); }
    Xapian::doccount get_termfreq_est() const override { return count(); }
    Xapian::doccount get_termfreq_max() const override { return count(); }
    void next(double) override {
        if (started_) pos_++;
        started_ = true;
    }
    void skip_to(Xapian::docid did, double) override {
        started_ = true;
        auto from = ids_->begin() + static_cast<std::ptrdiff_t>(pos_);
        pos_ = static_cast<size_t>(std::lower_bound(from, ids_->end(), did) - ids_->begin());
    }
    bool check(Xapian::docid did, double min_wt) override {
        skip_to(did, min_wt);
        return true;
    }
    bool at_end() const override { return started_ && pos_ >= ids_->size(); }
    Xapian::docid get_docid() const override { return (*ids_)[pos_]; }
    PostingSource *clone() const override { return new DocidListSource(lists_); }

  private:
    Xapian::doccount count() const { return ids_ ? Xapian::doccount(ids_->size()) : 0; }

    std::shared_ptr<const Lists> lists_;
    const std::vector<Xapian::docid> empty_;
    const std::vector<Xapian::docid> *ids_ = nullptr;
    size_t pos_ = 0;
    bool started_ = false;
};

} // namespace

shim_status shim_query_docids(shim_db *db, const uint32_t *docids, size_t n, shim_query **query) {
    if (!query) return SHIM_INVALID_ARGUMENT;
    *query = nullptr;
    if (!db || (!docids && n)) return SHIM_INVALID_ARGUMENT;
    for (size_t i = 0; i < n; i++)
        if (docids[i] == 0 || (i && docids[i] <= docids[i - 1])) return SHIM_INVALID_ARGUMENT;
    size_t shards = db->shards.size();
    if (shards == 0) return SHIM_UNSUPPORTED;
    SHIM_GUARD(db, {
        auto lists = std::make_shared<DocidListSource::Lists>();
        lists->docids.resize(shards);
        for (const Xapian::Database &shard : db->shards) {
            std::string uuid = shard.get_uuid();
            if (shards > 1 && (uuid.empty() || std::find(lists->uuids.begin(),
                                                         lists->uuids.end(),
                                                         uuid) != lists->uuids.end()))
                return fail(&db->last_error, SHIM_UNSUPPORTED, "shards without distinct UUIDs");
            lists->uuids.push_back(std::move(uuid));
        }
        for (size_t i = 0; i < n; i++)
            lists->docids[(docids[i] - 1) % shards].push_back((docids[i] - 1) / shards + 1);
        // Released: the query owns the source from here.
        return new_query(Xapian::Query((new DocidListSource(std::move(lists)))->release()),
                         query, new_shape(Shape::WEIGHTLESS));
    });
}

shim_status shim_query_match_all(shim_query **query) {
    if (!query) return SHIM_INVALID_ARGUMENT;
    *query = nullptr;
    SHIM_GUARD_SILENT({ return new_query(Xapian::Query(Xapian::Query::MatchAll), query); });
}

shim_status shim_query_match_nothing(shim_query **query) {
    if (!query) return SHIM_INVALID_ARGUMENT;
    *query = nullptr;
    SHIM_GUARD_SILENT({
        return new_query(Xapian::Query(Xapian::Query::MatchNothing), query,
                         new_shape(Shape::WEIGHTLESS));
    });
}

shim_status shim_query_scale(const shim_query *subquery, double factor, shim_query **query) {
    if (!query || !subquery) return SHIM_INVALID_ARGUMENT;
    *query = nullptr;
    if (!(factor >= 0.0)) return SHIM_INVALID_ARGUMENT; // also refuses NaN
    SHIM_GUARD_SILENT({
        auto shape = new_shape(Shape::SCALE);
        shape->factor = factor;
        shape->children.push_back(subquery->shape);
        return new_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, subquery->query, factor),
                         query, shape);
    });
}

shim_status shim_query_describe(const shim_query *query, char **description) {
    if (!query || !description) return SHIM_INVALID_ARGUMENT;
    *description = nullptr;
    SHIM_GUARD_SILENT({ return copy_out(query->query.get_description(), description, nullptr); });
}

void shim_query_free(shim_query *query) {
    delete query;
}

size_t shim_sortable_serialise(double number, char out[18]) {
    // The allocation-free form behind Xapian::sortable_serialise(); it is
    // declared in Xapian's public header and never throws.
    return Xapian::sortable_serialise_(number, out);
}

double shim_sortable_unserialise(const char *bytes, size_t len) {
    if (!bytes && len) return 0.0;
    try {
        return Xapian::sortable_unserialise(std::string(bytes ? bytes : "", len));
    } catch (...) {
        return 0.0;
    }
}

// ------------------------------------------------------------------ search

void shim_search_options_init(shim_search_options *options) {
    if (!options) return;
    *options = shim_search_options();
    options->limit = 10;
    options->collapse_slot = SHIM_NO_SLOT;
    options->collapse_max = 1;
    options->accept_slot = SHIM_NO_SLOT;
}

namespace {

bool bm25_is_default(const shim_bm25_params &p) {
    return p.k1 == 0 && p.k2 == 0 && p.k3 == 0 && p.b == 0 && p.min_normlen == 0;
}

// ------------------------------------------- BM25 with lengths in memory
//
// Xapian's BM25Weight asks the database for the length of every document
// it weighs, and Glass finds it by scanning the chunks of its length list
// from the last one it read: each match pays for a pass over the list. For
// many searches of one revision, the lengths are read once into memory and
// each weighted term becomes a posting source computing BM25Weight's own
// formula (same statistics, same order of operations) from them, while
// Xapian's own terms weigh nothing.

// The lengths of DB's shards; NULL when its shards cannot be told apart.
std::shared_ptr<const DocLengths> read_lengths(shim_db *db) {
    if (db->lengths) return db->lengths;
    if (db->shards.empty()) return nullptr;
    auto lengths = std::make_shared<DocLengths>();
    for (const Xapian::Database &shard : db->shards) {
        std::string uuid = shard.get_uuid();
        if (db->shards.size() > 1 &&
            (uuid.empty() || std::find(lengths->uuids.begin(), lengths->uuids.end(), uuid) !=
                                 lengths->uuids.end()))
            return nullptr;
        std::vector<Xapian::termcount> table(size_t(shard.get_lastdocid()) + 1, 0);
        for (auto it = shard.postlist_begin(std::string()); it != shard.postlist_end(std::string());
             ++it)
            table[*it] = it.get_doclength();
        lengths->uuids.push_back(std::move(uuid));
        lengths->by_shard.push_back(std::move(table));
    }
    db->lengths = lengths;
    return lengths;
}

// BM25Weight's parameters and the collection's statistics.
struct Bm25Model {
    double k1, k3, b, min_normlen;
    double len_factor; // 1 / average length (0 when lengths do not count)
    double doc_count;
    Xapian::termcount doclength_lower_bound;
};

// Terms weigh nothing, posting sources what they say. (Under BoolWeight,
// Xapian would ignore the sources' weights too.) No statistics needed.
class SourcesOnlyWeight : public Xapian::Weight {
  public:
    SourcesOnlyWeight() = default;
    Weight *clone() const override { return new SourcesOnlyWeight; }
    void init(double) override {}
    double get_sumpart(Xapian::termcount, Xapian::termcount, Xapian::termcount) const override {
        return 0;
    }
    double get_maxpart() const override { return 0; }
    double get_sumextra(Xapian::termcount, Xapian::termcount) const override { return 0; }
    double get_maxextra() const override { return 0; }
};

// One term's postings weighted as BM25Weight weighs them (see its init(),
// get_sumpart() and get_maxpart()), shard by shard like DocidListSource.
class Bm25TermSource : public Xapian::PostingSource {
  public:
    Bm25TermSource(std::shared_ptr<const DocLengths> lengths, const Bm25Model &model,
                   std::string term, Xapian::doccount termfreq, double termweight,
                   double maxweight)
        : lengths_(std::move(lengths)), model_(model), term_(std::move(term)),
          termfreq_(termfreq), termweight_(termweight) {
        set_maxweight(maxweight);
    }

    void init(const Xapian::Database &db) override {
        db_ = db;
        it_ = db.postlist_begin(term_);
        end_ = db.postlist_end(term_);
        started_ = false;
        table_ = nullptr;
        if (single()) {
            table_ = &lengths_->by_shard[0];
            return;
        }
        std::string uuid = db.get_uuid();
        for (size_t i = 0; i < lengths_->uuids.size(); i++)
            if (lengths_->uuids[i] == uuid) table_ = &lengths_->by_shard[i];
    }
    // The whole database's: a shard's own would cost another look-up.
    Xapian::doccount get_termfreq_min() const override { return single() ? termfreq_ : 0; }
    Xapian::doccount get_termfreq_est() const override {
        return termfreq_ / Xapian::doccount(lengths_->by_shard.size());
    }
    Xapian::doccount get_termfreq_max() const override { return termfreq_; }
    void next(double) override {
        if (started_) ++it_;
        started_ = true;
    }
    void skip_to(Xapian::docid did, double) override {
        started_ = true;
        it_.skip_to(did);
    }
    bool check(Xapian::docid did, double min_wt) override {
        skip_to(did, min_wt);
        return true;
    }
    bool at_end() const override { return started_ && it_ == end_; }
    Xapian::docid get_docid() const override { return *it_; }
    double get_weight() const override {
        Xapian::docid did = *it_;
        Xapian::termcount len = table_ && did < table_->size() ? (*table_)[did]
                                                                : db_.get_doclength(did);
        double normlen = std::max(len * model_.len_factor, model_.min_normlen);
        double wdf = it_.get_wdf();
        double denom = model_.k1 * (normlen * model_.b + (1 - model_.b)) + wdf;
        return termweight_ * (wdf / denom);
    }
    PostingSource *clone() const override {
        return new Bm25TermSource(lengths_, model_, term_, termfreq_, termweight_,
                                  get_maxweight());
    }

  private:
    bool single() const { return lengths_->by_shard.size() == 1; }

    std::shared_ptr<const DocLengths> lengths_;
    Bm25Model model_;
    std::string term_;
    Xapian::doccount termfreq_;
    double termweight_;
    Xapian::Database db_;
    Xapian::PostingIterator it_, end_;
    const std::vector<Xapian::termcount> *table_ = nullptr;
    bool started_ = false;
};

// TERM as BM25Weight would weigh it with FACTOR (the product of the scales
// above it).
Xapian::Query weighed_term(const Xapian::Database &xdb, const Bm25Model &model,
                           const std::shared_ptr<const DocLengths> &lengths, const Shape &term,
                           double factor) {
    Xapian::doccount tf = xdb.get_termfreq(term.term);
    double tw = (model.doc_count - tf + 0.5) / (tf + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;
    double termweight = std::log(tw) * factor;
    if (model.k3 != 0) {
        double wqf = term.wqf;
        termweight *= (model.k3 + 1) * wqf / (model.k3 + wqf);
    }
    termweight *= (model.k1 + 1);
    // The bound of get_maxpart() with the whole database's bounds, which
    // hold for every shard.
    Xapian::termcount wdf_max = xdb.get_wdf_upper_bound(term.term);
    double denom = model.k1;
    if (model.k1 != 0 && model.b != 0) {
        double normlen_lb = std::max(
            std::max(wdf_max, model.doclength_lower_bound) * model.len_factor, model.min_normlen);
        denom *= (normlen_lb * model.b + (1 - model.b));
    }
    denom += wdf_max;
    double maxweight = denom > 0 ? termweight * (wdf_max / denom) : 0;
    auto *source = new Bm25TermSource(lengths, model, term.term, tf, termweight, maxweight);
    return Xapian::Query(source->release());
}

// SHAPE with each weighted term replaced by its posting source, for a search
// where Xapian's terms weigh nothing; false when some part is not a plain
// combination of terms (see below).
bool weigh_from_lengths(const Xapian::Database &xdb, const Bm25Model &model,
                        const std::shared_ptr<const DocLengths> &lengths, const Shape &shape,
                        double factor, Xapian::Query *out) {
    if (factor == 0 || shape.kind == Shape::WEIGHTLESS) {
        *out = shape.query; // its terms weigh nothing in such a search
        return true;
    }
    switch (shape.kind) {
    case Shape::TERM:
        *out = weighed_term(xdb, model, lengths, shape, factor);
        return true;
    case Shape::SCALE:
        return weigh_from_lengths(xdb, model, lengths, *shape.children[0],
                                  factor * shape.factor, out);
    case Shape::COMBINE: break;
    default: return false;
    }
    std::vector<Xapian::Query> parts;
    Xapian::Query::op op;
    switch (shape.op) {
    case SHIM_QUERY_PHRASE:
    case SHIM_QUERY_NEAR:
        // Xapian weighs a phrase as the AND of its terms: here the phrase
        // matches, without weight, and each term's source weighs only the
        // documents it matched (reading their postings again from the start
        // would cost more than the lengths save).
        for (const auto &child : shape.children) {
            if (child->kind != Shape::TERM) return false;
            parts.push_back(weighed_term(xdb, model, lengths, *child, factor));
        }
        parts.insert(parts.begin(), shape.query);
        *out = Xapian::Query(Xapian::Query::OP_AND_MAYBE, parts.begin(), parts.end());
        return true;
    case SHIM_QUERY_AND: op = Xapian::Query::OP_AND; break;
    case SHIM_QUERY_OR: op = Xapian::Query::OP_OR; break;
    case SHIM_QUERY_AND_MAYBE: op = Xapian::Query::OP_AND_MAYBE; break;
    case SHIM_QUERY_MAX: op = Xapian::Query::OP_MAX; break;
    case SHIM_QUERY_AND_NOT: op = Xapian::Query::OP_AND_NOT; break;
    case SHIM_QUERY_FILTER: op = Xapian::Query::OP_FILTER; break;
    default: return false; // SYNONYM weighs its terms as one
    }
    // AND_NOT and FILTER take no weight from their other subqueries.
    bool first_only = op == Xapian::Query::OP_AND_NOT || op == Xapian::Query::OP_FILTER;
    for (size_t i = 0; i < shape.children.size(); i++) {
        Xapian::Query part;
        if (!weigh_from_lengths(xdb, model, lengths, *shape.children[i],
                                first_only && i > 0 ? 0.0 : factor, &part))
            return false;
        parts.push_back(std::move(part));
    }
    *out = Xapian::Query(op, parts.begin(), parts.end());
    return true;
}

// QUERY weighed from DB's lengths in memory, if it can be.
bool query_from_lengths(shim_db *db, const shim_query *query, const shim_bm25_params &p,
                        Xapian::Query *out) {
    if (!query->shape || p.k2 != 0) return false;
    std::shared_ptr<const DocLengths> lengths = read_lengths(db);
    if (!lengths) return false;
    Bm25Model model;
    model.k1 = p.k1;
    model.k3 = p.k3;
    model.b = p.b;
    model.min_normlen = p.min_normlen;
    model.len_factor = 0;
    if (p.b != 0 && p.k1 != 0) {
        model.len_factor = db->xdb.get_avlength();
        if (model.len_factor != 0) model.len_factor = 1 / model.len_factor;
    }
    model.doc_count = db->xdb.get_doccount();
    model.doclength_lower_bound = db->xdb.get_doclength_lower_bound();
    return weigh_from_lengths(db->xdb, model, lengths, *query->shape, 1.0, out);
}

// Configure S's enquire from OPTIONS (throws what Xapian throws).
void configure(shim_db *db, shim_search *s, const shim_query *query,
               const shim_search_options &o) {
    shim_bm25_params p = o.bm25;
    if (bm25_is_default(p)) p = {1, 0, 1, 0.5, 0.5};
    Xapian::Query weighed;
    if (o.lengths_in_memory && query_from_lengths(db, query, p, &weighed)) {
        s->enquire.set_query(weighed);
        s->enquire.set_weighting_scheme(SourcesOnlyWeight());
    } else {
        s->enquire.set_query(query->query);
        s->enquire.set_weighting_scheme(Xapian::BM25Weight(p.k1, p.k2, p.k3, p.b, p.min_normlen));
    }
    if (o.collapse_slot != SHIM_NO_SLOT)
        s->enquire.set_collapse_key(o.collapse_slot, o.collapse_max ? o.collapse_max : 1);
    if (o.sort_by_docid) {
        s->docid_key.reset(new DocidKey);
        s->enquire.set_sort_by_key(s->docid_key.get(), false);
    }
    if (o.accept_slot != SHIM_NO_SLOT)
        s->decider.reset(new AcceptDecider(o.accept_slot, o.accept_values, o.accept_value_len,
                                           o.accept_count));
}

} // namespace

shim_status shim_search_run(shim_db *db, const shim_query *query,
                            const shim_search_options *options, shim_search **search) {
    if (!search) return SHIM_INVALID_ARGUMENT;
    *search = nullptr;
    if (!db || !query) return SHIM_INVALID_ARGUMENT;
    shim_search_options defaults;
    if (!options) {
        shim_search_options_init(&defaults);
        options = &defaults;
    }
    if (options->accept_slot != SHIM_NO_SLOT && options->accept_count &&
        (!options->accept_values || !options->accept_value_len))
        return fail(&db->last_error, SHIM_INVALID_ARGUMENT, "accept set without values");
    SHIM_GUARD(db, {
        std::unique_ptr<shim_search> s(new shim_search(db->xdb));
        configure(db, s.get(), query, *options);
        s->mset = s->enquire.get_mset(options->offset, options->limit, options->check_at_least,
                                      nullptr, s->decider.get());
        *search = s.release();
        return SHIM_OK;
    });
}

void shim_search_free(shim_search *search) {
    delete search;
}

const char *shim_search_last_error(const shim_search *search) {
    return search ? search->last_error.c_str() : "";
}

uint32_t shim_search_size(const shim_search *search) {
    try {
        return search ? search->mset.size() : 0;
    } catch (...) {
        return 0;
    }
}

shim_status shim_search_term_freq(shim_search *search, const char *term, uint32_t *freq) {
    if (!search || !term || !freq) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(search, {
        *freq = search->mset.get_termfreq(term);
        return SHIM_OK;
    });
}

void shim_search_matches(const shim_search *search, uint32_t *lower, uint32_t *estimated,
                         uint32_t *upper) {
    uint32_t lo = 0, est = 0, hi = 0;
    try {
        if (search) {
            lo = search->mset.get_matches_lower_bound();
            est = search->mset.get_matches_estimated();
            hi = search->mset.get_matches_upper_bound();
        }
    } catch (...) {
        lo = est = hi = 0; // accessors of a computed mset; never expected
    }
    if (lower) *lower = lo;
    if (estimated) *estimated = est;
    if (upper) *upper = hi;
}

namespace {

shim_status hit_at(shim_search *search, uint32_t i, Xapian::MSetIterator *it) {
    if (i >= search->mset.size())
        return fail(&search->last_error, SHIM_INVALID_ARGUMENT, "hit index out of range");
    *it = search->mset[i];
    return SHIM_OK;
}

} // namespace

shim_status shim_search_hit(shim_search *search, uint32_t i, uint32_t *docid, double *weight) {
    if (!search) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(search, {
        Xapian::MSetIterator it;
        shim_status status = hit_at(search, i, &it);
        if (status != SHIM_OK) return status;
        if (docid) *docid = *it;
        if (weight) *weight = it.get_weight();
        return SHIM_OK;
    });
}

shim_status shim_search_hit_data(shim_search *search, uint32_t i, char **data, size_t *len) {
    if (!search || !data) return SHIM_INVALID_ARGUMENT;
    *data = nullptr;
    SHIM_GUARD(search, {
        Xapian::MSetIterator it;
        shim_status status = hit_at(search, i, &it);
        if (status != SHIM_OK) return status;
        return copy_out(it.get_document().get_data(), data, len);
    });
}

shim_status shim_search_hit_value(shim_search *search, uint32_t i, uint32_t slot,
                                  char **value, size_t *len) {
    if (!search || !value) return SHIM_INVALID_ARGUMENT;
    *value = nullptr;
    if (slot == SHIM_NO_SLOT)
        return fail(&search->last_error, SHIM_INVALID_ARGUMENT, "SHIM_NO_SLOT is not a value slot");
    SHIM_GUARD(search, {
        Xapian::MSetIterator it;
        shim_status status = hit_at(search, i, &it);
        if (status != SHIM_OK) return status;
        return copy_out(it.get_document().get_value(slot), value, len);
    });
}

shim_status shim_search_hit_collapse_count(shim_search *search, uint32_t i, uint32_t *count) {
    if (!search || !count) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD(search, {
        Xapian::MSetIterator it;
        shim_status status = hit_at(search, i, &it);
        if (status != SHIM_OK) return status;
        *count = it.get_collapse_count();
        return SHIM_OK;
    });
}

shim_status shim_search_term_weight(shim_search *search, const char *term, double *weight) {
    if (!search || !term || !weight) return SHIM_INVALID_ARGUMENT;
    *weight = 0.0;
    try {
        *weight = search->mset.get_termweight(term);
        return SHIM_OK;
    } catch (const Xapian::InvalidArgumentError &) {
        // Xapian's way of saying the term is not in the query.
        return SHIM_OK;
    } catch (...) {
        return classify(&search->last_error);
    }
}

// ---------------------------------------------------------------- stemming

shim_status shim_stemmer_new(const char *language, shim_stemmer **stemmer) {
    if (!stemmer) return SHIM_INVALID_ARGUMENT;
    *stemmer = nullptr;
    if (!language) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD_SILENT({
        std::unique_ptr<shim_stemmer> handle(new shim_stemmer);
        handle->stem = Xapian::Stem(language);
        *stemmer = handle.release();
        return SHIM_OK;
    });
}

void shim_stemmer_free(shim_stemmer *stemmer) {
    delete stemmer;
}

shim_status shim_stemmer_stem(shim_stemmer *stemmer, const char *word, size_t len,
                              char *out, size_t out_size, size_t *out_len) {
    if (!stemmer || (!word && len) || (!out && out_size) || !out_len) return SHIM_INVALID_ARGUMENT;
    SHIM_GUARD_SILENT({
        stemmer->input.assign(word ? word : "", len);
        const std::string stem = stemmer->stem(stemmer->input);
        *out_len = stem.size();
        if (stem.size() + 1 > out_size) return SHIM_INVALID_ARGUMENT;
        std::memcpy(out, stem.data(), stem.size());
        out[stem.size()] = '\0';
        return SHIM_OK;
    });
}

const char *shim_stemmer_languages(void) {
    try {
        static const std::string languages = Xapian::Stem::get_available_languages();
        return languages.c_str();
    } catch (...) {
        return "";
    }
}

const char *shim_xapian_version(void) {
    return Xapian::version_string();
}

} // extern "C"
