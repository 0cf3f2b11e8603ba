/* test_stub.c — several shards searched as one through a stub file and
 * through a directory holding an XAPIANDB stub. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shim_fixture.h"

TestSuite(stub, .init = fixture_setup, .fini = fixture_teardown);

/* Two shards: shard 0 holds "alpha common" and "beta", shard 1 holds
 * "gamma common"; each document's data names its shard. */
static void make_shards(const char *shard0, const char *shard1) {
    shim_writable_db *w = open_writer(shard0);
    add_text(w, "Qa", "alpha common", "shard0-alpha");
    add_text(w, "Qb", "beta", "shard0-beta");
    cr_assert_eq(shim_writable_set_metadata(w, "whose", "zero", 4), SHIM_OK);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    w = open_writer(shard1);
    add_text(w, "Qg", "gamma common", "shard1-gamma");
    cr_assert_eq(shim_writable_set_metadata(w, "whose", "one", 3), SHIM_OK);
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
}

/* Each shard's own counts and metadata, in the stub's order; document D of
 * the whole is document (D - 1) / 2 + 1 of shard (D - 1) % 2. */
static void check_each_shard(shim_db *db) {
    cr_assert_eq(shim_db_shard_count(db), 2);
    static const struct {
        uint32_t count;
        const char *whose;
    } want[] = {{2, "zero"}, {1, "one"}};
    for (uint32_t s = 0; s < 2; s++) {
        char *value = NULL;
        size_t len = 0;
        uint32_t count = 0, last = 0;
        cr_assert_eq(shim_db_shard_metadata(db, s, "whose", &value, &len, &count, &last), SHIM_OK);
        cr_expect_eq(count, want[s].count);
        cr_expect_eq(last, want[s].count);
        cr_expect_eq(len, strlen(want[s].whose));
        cr_expect_str_eq(value, want[s].whose);
        free(value);
        cr_assert_eq(shim_db_shard_metadata(db, s, "unset", &value, &len, &count, &last), SHIM_OK);
        cr_expect_null(value, "an unset key gives no value");
    }
    char *value = NULL;
    size_t len = 0;
    uint32_t count, last;
    cr_expect_eq(shim_db_shard_metadata(db, 2, "whose", &value, &len, &count, &last),
                 SHIM_INVALID_ARGUMENT);
    static const char *by_docid[] = {"shard0-alpha", "shard1-gamma", "shard0-beta"};
    for (uint32_t docid = 1; docid <= 3; docid++) {
        char *data = NULL;
        cr_assert_eq(shim_db_document_data(db, docid, &data, NULL), SHIM_OK);
        cr_expect_str_eq(data, by_docid[docid - 1], "document %u", docid);
        free(data);
    }
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

static char *data_of(shim_db *db, uint32_t docid) {
    char *data = NULL;
    cr_assert_eq(shim_db_document_data(db, docid, &data, NULL), SHIM_OK, "%s",
                 shim_db_last_error(db));
    return data;
}

/* The documents QUERY matches among the N documents IDS, ascending, into
 * FOUND (room for 3); how many. */
static uint32_t matched_among(shim_db *db, shim_query *query, const uint32_t *ids, size_t n,
                              uint32_t *found) {
    shim_query *only = NULL, *filtered = NULL;
    cr_assert_eq(shim_query_docids(db, ids, n, &only), SHIM_OK, "%s", shim_db_last_error(db));
    shim_query *both[2] = {query, only};
    cr_assert_eq(shim_query_combine(SHIM_QUERY_FILTER, both, 2, 0, &filtered), SHIM_OK);
    shim_search_options options;
    shim_search_options_init(&options);
    options.sort_by_docid = true;
    shim_search *search = NULL;
    cr_assert_eq(shim_search_run(db, filtered, &options, &search), SHIM_OK, "%s",
                 shim_db_last_error(db));
    uint32_t size = shim_search_size(search);
    cr_assert_leq(size, 3);
    for (uint32_t i = 0; i < size; i++)
        cr_assert_eq(shim_search_hit(search, i, &found[i], NULL), SHIM_OK);
    shim_search_free(search);
    shim_query_free(filtered);
    shim_query_free(only);
    return size;
}

/* A docid filter keeps exactly its documents, whichever shard holds them. */
static void check_docid_filter(shim_db *db) {
    shim_query *all = NULL, *common = term_query("common");
    cr_assert_eq(shim_query_match_all(&all), SHIM_OK);
    uint32_t found[3];
    static const uint32_t every[] = {1, 2, 3}, first[] = {1}, second_and_third[] = {2, 3},
                          odd[] = {1, 3};
    cr_assert_eq(matched_among(db, all, every, 3, found), 3);
    cr_expect(found[0] == 1 && found[1] == 2 && found[2] == 3);
    cr_assert_eq(matched_among(db, all, odd, 2, found), 2);
    cr_expect(found[0] == 1 && found[1] == 3, "both from shard 0");
    cr_assert_eq(matched_among(db, common, first, 1, found), 1);
    cr_expect_eq(found[0], 1);
    cr_assert_eq(matched_among(db, common, second_and_third, 2, found), 1);
    cr_expect_eq(found[0], 2, "document 3 does not contain the word");
    cr_expect_eq(matched_among(db, all, NULL, 0, found), 0, "an empty list matches nothing");
    shim_query *only = NULL;
    static const uint32_t unordered[] = {3, 1}, repeated[] = {2, 2}, zero[] = {0, 1};
    cr_expect_eq(shim_query_docids(db, unordered, 2, &only), SHIM_INVALID_ARGUMENT);
    cr_expect_eq(shim_query_docids(db, repeated, 2, &only), SHIM_INVALID_ARGUMENT);
    cr_expect_eq(shim_query_docids(db, zero, 2, &only), SHIM_INVALID_ARGUMENT);
    cr_expect_null(only);
    shim_query_free(all);
    shim_query_free(common);
}

/* The checks both kinds of stub must pass. */
static void check_two_shards_as_one(shim_db *db) {
    uint32_t count = 0, last = 0;
    cr_assert_eq(shim_db_doc_count(db, &count), SHIM_OK);
    cr_assert_eq(count, 3);
    cr_assert_eq(shim_db_last_docid(db, &last), SHIM_OK);
    cr_assert_geq(last, 3);

    /* One search, hits from both shards. */
    shim_query *query = term_query("common");
    shim_search *search = NULL;
    cr_assert_eq(shim_search_run(db, query, NULL, &search), SHIM_OK, "%s",
                 shim_db_last_error(db));
    cr_assert_eq(shim_search_size(search), 2);
    int from0 = 0, from1 = 0;
    for (uint32_t i = 0; i < 2; i++) {
        char *data = NULL;
        cr_assert_eq(shim_search_hit_data(search, i, &data, NULL), SHIM_OK);
        from0 += strcmp(data, "shard0-alpha") == 0;
        from1 += strcmp(data, "shard1-gamma") == 0;
        free(data);
    }
    cr_assert(from0 == 1 && from1 == 1, "one hit from each shard");
    /* Term statistics over both shards: the query's own, then others read. */
    uint32_t freq = 0;
    cr_assert_eq(shim_search_term_freq(search, "common", &freq), SHIM_OK);
    cr_expect_eq(freq, 2);
    cr_assert_eq(shim_search_term_freq(search, "beta", &freq), SHIM_OK);
    cr_expect_eq(freq, 1);
    cr_assert_eq(shim_search_term_freq(search, "absent", &freq), SHIM_OK);
    cr_expect_eq(freq, 0);
    cr_expect_eq(shim_search_term_freq(search, NULL, &freq), SHIM_INVALID_ARGUMENT);
    shim_search_free(search);
    shim_query_free(query);

    /* Every document's data, each found through its unique term. */
    static const struct {
        const char *unique, *data;
    } docs[] = {{"Qa", "shard0-alpha"}, {"Qb", "shard0-beta"}, {"Qg", "shard1-gamma"}};
    for (size_t i = 0; i < 3; i++) {
        uint32_t docid = 0;
        cr_assert_eq(shim_db_find_by_term(db, docs[i].unique, &docid), SHIM_OK);
        char *data = data_of(db, docid);
        cr_assert_str_eq(data, docs[i].data);
        free(data);
    }
    uint32_t doc_freq = 0;
    cr_assert_eq(shim_db_term_freq(db, "common", &doc_freq, NULL), SHIM_OK);
    cr_assert_eq(doc_freq, 2, "frequencies are summed over the shards");
}

Test(stub, stub_file_with_two_local_shards_is_searched_as_one) {
    make_shards("shard0", "shard1");
    char text[8192];
    snprintf(text, sizeof text, "auto %s/shard0\nauto %s/shard1\n", fixture_dir, fixture_dir);
    write_file(fixture_path("all.stub"), text);
    shim_db *db = open_reader("all.stub");
    check_two_shards_as_one(db);
    check_each_shard(db);
    check_docid_filter(db);
    shim_query *query = combine_terms(SHIM_QUERY_OR, 0, "common", "beta", "gamma");
    cr_expect_eq(expect_same_weights_from_lengths(db, query, NULL), 3,
                 "each shard weighed with its own lengths");
    shim_query_free(query);
    shim_db_free(db);
}

Test(stub, directory_with_an_xapiandb_stub_of_relative_shards_is_searched_as_one) {
    cr_assert_eq(mkdir(fixture_path("sharded"), 0700), 0);
    make_shards("sharded/s0", "sharded/s1");
    write_file(fixture_path("sharded/XAPIANDB"), "# written by hand\n\nglass s0\n  auto s1  \n");
    shim_db *db = open_reader("sharded");
    check_two_shards_as_one(db);
    check_each_shard(db);
    check_docid_filter(db);
    shim_db_free(db);
}

Test(stub, one_glass_database_is_its_own_only_shard) {
    make_shards("single", "other");
    shim_db *db = open_reader("single");
    cr_assert_eq(shim_db_shard_count(db), 1);
    char *value = NULL;
    size_t len = 0;
    uint32_t count = 0, last = 0;
    cr_assert_eq(shim_db_shard_metadata(db, 0, "whose", &value, &len, &count, &last), SHIM_OK);
    cr_expect_str_eq(value, "zero");
    cr_expect_eq(count, 2);
    free(value);
    shim_query *all = NULL;
    cr_assert_eq(shim_query_match_all(&all), SHIM_OK);
    uint32_t found[3];
    static const uint32_t second[] = {2};
    cr_assert_eq(matched_among(db, all, second, 1, found), 1);
    cr_expect_eq(found[0], 2);
    shim_query_free(all);
    shim_db_free(db);
}

Test(stub, stub_with_a_database_kind_other_than_local_glass_has_no_separate_shards) {
    make_shards("shard0", "shard1");
    write_file(fixture_path("mixed.stub"), "auto shard0\ninmemory\n");
    shim_db *db = open_reader("mixed.stub");
    cr_expect_eq(shim_db_shard_count(db), 0, "searched whole, as Xapian opens it");
    uint32_t count = 0;
    cr_assert_eq(shim_db_doc_count(db, &count), SHIM_OK);
    cr_expect_eq(count, 2);
    static const uint32_t first[] = {1};
    shim_query *only = NULL;
    cr_expect_eq(shim_query_docids(db, first, 1, &only), SHIM_UNSUPPORTED,
                 "documents cannot be told apart by shard");
    shim_db_free(db);
}

Test(stub, compacting_two_shards_gives_one_database_of_their_documents_in_order) {
    make_shards("shard0", "shard1");
    char sources[2][4096];
    snprintf(sources[0], sizeof sources[0], "%s", fixture_path("shard0"));
    snprintf(sources[1], sizeof sources[1], "%s", fixture_path("shard1"));
    const char *const paths[] = {sources[0], sources[1]};
    char *message = NULL;
    cr_assert_eq(shim_compact(paths, 2, fixture_path("merged"), &message), SHIM_OK, "%s",
                 message ? message : "");
    shim_db *db = open_reader("merged");
    cr_assert_eq(shim_db_shard_count(db), 1);
    uint32_t count = 0, last = 0;
    cr_assert_eq(shim_db_doc_count(db, &count), SHIM_OK);
    cr_assert_eq(shim_db_last_docid(db, &last), SHIM_OK);
    cr_expect_eq(count, 3);
    cr_expect_eq(last, 3, "renumbered without gaps");
    static const char *by_docid[] = {"shard0-alpha", "shard0-beta", "shard1-gamma"};
    for (uint32_t docid = 1; docid <= 3; docid++) {
        char *data = data_of(db, docid);
        cr_expect_str_eq(data, by_docid[docid - 1], "document %u: source after source", docid);
        free(data);
    }
    char *value = NULL;
    size_t len = 0;
    cr_assert_eq(shim_db_get_metadata(db, "whose", &value, &len), SHIM_OK);
    cr_expect_str_eq(value, "zero", "a key both hold comes from the first");
    free(value);
    uint32_t freq = 0;
    cr_assert_eq(shim_db_term_freq(db, "common", &freq, NULL), SHIM_OK);
    cr_expect_eq(freq, 2);
    shim_db_free(db);
}

Test(stub, compacting_into_an_existing_database_or_from_nothing_fails) {
    make_shards("shard0", "shard1");
    char source[4096];
    snprintf(source, sizeof source, "%s", fixture_path("shard0"));
    const char *const paths[] = {source};
    char *message = NULL;
    cr_expect_eq(shim_compact(paths, 1, fixture_path("shard1"), &message), SHIM_INVALID_ARGUMENT,
                 "never written over");
    cr_expect_not_null(message, "the failure is described");
    free(message);
    message = NULL;
    const char *const missing[] = {fixture_path("no-such-database")};
    char target[4096];
    snprintf(target, sizeof target, "%s", fixture_path("target"));
    cr_expect_eq(shim_compact(missing, 1, target, &message), SHIM_NOT_FOUND);
    free(message);
    cr_expect_eq(shim_compact(paths, 0, target, NULL), SHIM_INVALID_ARGUMENT);
}

/* The indexer switches a stub folder to new shards and removes the old
 * ones (a rebuild, a merge): a reader that had the old ones open and must
 * reopen reads the stub again. */
Test(stub, reopen_after_the_stub_was_switched_to_other_shards_reads_the_new_ones) {
    cr_assert_eq(mkdir(fixture_path("db"), 0700), 0);
    make_shards("db/old0", "db/old1");
    write_file(fixture_path("db/XAPIANDB"), "glass old0\nglass old1\n");
    shim_db *db = open_reader("db");
    cr_assert_eq(shim_db_shard_count(db), 2);
    shim_writable_db *w = open_writer("db/new");
    add_text(w, "Qn", "delta", "new-delta");
    cr_assert_eq(shim_writable_close(w), SHIM_OK);
    write_file(fixture_path("db/XAPIANDB"), "glass new\n");
    cr_assert_eq(remove_tree(fixture_path("db/old0")), 0);
    cr_assert_eq(remove_tree(fixture_path("db/old1")), 0);
    cr_assert_eq(shim_db_reopen(db), SHIM_OK, "%s", shim_db_last_error(db));
    cr_expect_eq(shim_db_shard_count(db), 1);
    uint32_t count = 0;
    cr_assert_eq(shim_db_doc_count(db, &count), SHIM_OK);
    cr_expect_eq(count, 1);
    char *data = data_of(db, 1);
    cr_expect_str_eq(data, "new-delta");
    free(data);
    shim_db_free(db);
}

Test(stub, stub_naming_a_missing_shard_fails_to_open) {
    make_shards("shard0", "shard1");
    write_file(fixture_path("broken.stub"), "auto shard0\nauto no-such-shard\n");
    shim_db *db = (shim_db *)1;
    char *message = NULL;
    shim_status status = shim_db_open(fixture_path("broken.stub"), &db, &message);
    cr_assert_eq(status, SHIM_NOT_FOUND, "got %s: %s", shim_status_string(status),
                 message ? message : "");
    cr_assert_null(db);
    free(message);
}

/* A TCP port on 127.0.0.1 that is bound but not listening (connections to it
 * are refused for as long as *FD stays open). */
static int bound_port(int *fd) {
    *fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(*fd, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(*fd, (struct sockaddr *)&addr, sizeof addr), 0);
    socklen_t len = sizeof addr;
    cr_assert_eq(getsockname(*fd, (struct sockaddr *)&addr, &len), 0);
    return ntohs(addr.sin_port);
}

Test(stub, remote_shard_that_refuses_connections_is_a_network_error) {
    int fd;
    int port = bound_port(&fd);
    char text[64];
    snprintf(text, sizeof text, "remote 127.0.0.1:%d\n", port);
    write_file(fixture_path("remote.stub"), text);
    shim_db *db = (shim_db *)1;
    char *message = NULL;
    shim_status status = shim_db_open(fixture_path("remote.stub"), &db, &message);
    close(fd);
    cr_assert_eq(status, SHIM_NETWORK, "got %s: %s", shim_status_string(status),
                 message ? message : "");
    cr_assert_null(db);
    free(message);
}

static const char *tcpsrv_path(void) {
    static const char *candidates[] = {"/usr/bin/xapian-tcpsrv", "/usr/local/bin/xapian-tcpsrv"};
    for (size_t i = 0; i < 2; i++)
        if (access(candidates[i], X_OK) == 0) return candidates[i];
    return NULL;
}

/* Start xapian-tcpsrv serving DB on 127.0.0.1:PORT; returns its pid. */
static pid_t start_tcpsrv(const char *server, const char *db, int port) {
    char port_text[16];
    snprintf(port_text, sizeof port_text, "%d", port);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        /* Its own process group: on SIGTERM xapian-tcpsrv signals its whole
         * group (to stop the children serving connections). */
        setpgid(0, 0);
        /* Neither output stream may stay open to the test runner's pipe in
         * a child that outlives the test. */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(126);
        execl(server, server, "--quiet", "--interface", "127.0.0.1", "--port", port_text, db,
              (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid); /* also here, so the group exists whichever runs first */
    return pid;
}

/* Open PATH, retrying while the server is still starting (up to 10 s). */
static shim_db *open_when_served(const char *path) {
    const struct timespec pause = {0, 50 * 1000 * 1000};
    for (int attempt = 0; attempt < 200; attempt++) {
        shim_db *db = NULL;
        shim_status status = shim_db_open(path, &db, NULL);
        if (status == SHIM_OK) return db;
        cr_assert_eq(status, SHIM_NETWORK, "got %s", shim_status_string(status));
        nanosleep(&pause, NULL);
    }
    cr_assert_fail("xapian-tcpsrv never answered");
    return NULL;
}

Test(stub, stub_mixing_a_local_shard_and_a_remote_shard_is_searched_as_one) {
    const char *server = tcpsrv_path();
    if (!server) cr_skip_test("xapian-tcpsrv not installed (Debian package xapian-tools)");
    make_shards("shard0", "shard1");
    int fd;
    int port = bound_port(&fd);
    close(fd); /* free again for the server to take */
    char shard1[4096];
    snprintf(shard1, sizeof shard1, "%s", fixture_path("shard1"));
    pid_t pid = start_tcpsrv(server, shard1, port);

    char text[8192];
    snprintf(text, sizeof text, "auto %s/shard0\nremote 127.0.0.1:%d\n", fixture_dir, port);
    write_file(fixture_path("mixed.stub"), text);
    shim_db *db = open_when_served(fixture_path("mixed.stub"));
    check_two_shards_as_one(db);
    shim_db_free(db);
    cr_assert_eq(kill(-pid, SIGTERM), 0);
    cr_assert_eq(waitpid(pid, NULL, 0), pid);
    /* A child the server forked for the connection may still be closing:
     * nothing of the group may outlive the test. */
    kill(-pid, SIGKILL);
}
