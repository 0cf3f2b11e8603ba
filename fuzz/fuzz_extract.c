/* fuzz_extract.c — extract_bytes (indexer/extract.h), the entry point that
 * sniffs content and hands it to the PDF, gzip, HTML or plain-text path.
 *
 * The first byte of the input picks the file name (the name decides HTML by
 * extension, and the name judged inside a .gz); the rest is the content.
 * Nothing may crash or leak; the result must say what happened: valid UTF-8,
 * NUL-terminated, when the text was extracted, a reason otherwise.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_utf8.h"
#include "indexer/extract.h"

/* A decompressed file may grow to this much (the indexer's limit is larger,
 * but the inputs are at most 64 KiB and a bomb is caught all the same). */
#define FUZZ_MAX_SIZE (1u << 20)

static const char *const names[] = {"notes.txt", "page.html", "page.html.gz", "notes.txt.gz"};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    extract_init();
    return 0;
}

static void check_result(const extract_result *r)
{
    FUZZ_CHECK(r->format != NULL && r->format[0] != '\0');
    FUZZ_CHECK(memchr(r->reason, '\0', sizeof r->reason) != NULL);
    switch (r->outcome) {
    case EXTRACT_OK:
        FUZZ_CHECK(r->text.utf8 != NULL && r->text.utf8[r->text.len] == '\0');
        FUZZ_CHECK(fuzz_valid_utf8(r->text.utf8, r->text.len));
        FUZZ_CHECK(!r->over_limit);
        break;
    case EXTRACT_SKIPPED:
    case EXTRACT_FAILED:
        FUZZ_CHECK(r->reason[0] != '\0'); /* "never fails without saying why" */
        FUZZ_CHECK(r->text.utf8 == NULL);
        FUZZ_CHECK(!r->over_limit || r->outcome == EXTRACT_SKIPPED);
        break;
    default:
        FUZZ_CHECK(!"an outcome extract.h does not know");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *name = names[data[0] % (sizeof names / sizeof names[0])];
    extract_result result;
    extract_bytes(name, (const char *)data + 1, size - 1, FUZZ_MAX_SIZE, &result);
    check_result(&result);
    extract_result_free(&result);
    return 0;
}
