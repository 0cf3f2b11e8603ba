/* test_status.c — status strings, version, sortable serialisation. */
#include <criterion/criterion.h>
#include <string.h>

#include "shim_fixture.h"

Test(status, every_status_has_its_own_nonempty_string) {
    for (int a = SHIM_OK; a <= SHIM_XAPIAN_ERROR; a++) {
        const char *text = shim_status_string((shim_status)a);
        cr_assert_not_null(text);
        cr_assert_gt(strlen(text), 0);
        for (int b = SHIM_OK; b < a; b++)
            cr_assert_str_neq(text, shim_status_string((shim_status)b), "codes %d and %d", a, b);
    }
}

Test(status, unknown_status_code_still_gets_a_string) {
    cr_assert_str_eq(shim_status_string((shim_status)999), "unknown status");
}

Test(status, locked_and_modified_strings_tell_what_to_do) {
    cr_assert_not_null(strstr(shim_status_string(SHIM_LOCKED), "another writer"));
    cr_assert_not_null(strstr(shim_status_string(SHIM_MODIFIED), "reopen"));
}

Test(status, xapian_version_is_the_linked_1_4_library) {
    const char *version = shim_xapian_version();
    cr_assert_not_null(version);
    cr_assert_eq(strncmp(version, "1.4.", 4), 0, "version %s", version);
}

Test(status, null_handles_are_safe_to_free_and_query) {
    shim_db_free(NULL);
    shim_doc_free(NULL);
    shim_query_free(NULL);
    shim_search_free(NULL);
    shim_stemmer_free(NULL);
    shim_term_iter_free(NULL);
    shim_postlist_free(NULL);
    shim_value_stream_free(NULL);
    shim_metadata_iter_free(NULL);
    shim_writable_abandon(NULL);
    cr_assert_eq(shim_writable_close(NULL), SHIM_OK);
    cr_assert_str_eq(shim_db_last_error(NULL), "");
    cr_assert_str_eq(shim_writable_last_error(NULL), "");
    cr_assert_str_eq(shim_search_last_error(NULL), "");
    cr_assert_null(shim_writable_reader(NULL));
    cr_assert_eq(shim_search_size(NULL), 0);
}

/* Byte order of the serialised form must follow numeric order. */
static const double ascending[] = {-1e300, -12345.5, -1, -0.25, 0, 1e-10, 0.5, 1, 2, 10, 99.9,
                                   1e6, 1700000000, 1e300};

Test(sortable, serialised_numbers_sort_bytewise_in_numeric_order) {
    size_t n = sizeof ascending / sizeof ascending[0];
    for (size_t i = 1; i < n; i++) {
        sortable a = sortable_of(ascending[i - 1]), b = sortable_of(ascending[i]);
        size_t common = a.len < b.len ? a.len : b.len;
        int cmp = memcmp(a.bytes, b.bytes, common);
        cr_assert(cmp < 0 || (cmp == 0 && a.len < b.len), "%g !< %g bytewise", ascending[i - 1],
                  ascending[i]);
    }
}

Test(sortable, serialised_numbers_round_trip) {
    size_t n = sizeof ascending / sizeof ascending[0];
    for (size_t i = 0; i < n; i++) {
        sortable s = sortable_of(ascending[i]);
        cr_assert_leq(s.len, 18);
        cr_assert_eq(shim_sortable_unserialise(s.bytes, s.len), ascending[i]);
    }
}
