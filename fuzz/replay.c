/* replay.c — runs a fuzz target over saved inputs, without libFuzzer.
 *
 * Linked with one fuzz target instead of libFuzzer's main, it feeds every
 * file named on the command line (and every file in a named folder, in name
 * order) to LLVMFuzzerTestOneInput once. The ordinary test build runs it on
 * fuzz/corpus/, so the seeds and every input a fuzzer once broke the code
 * with stay a test under the sanitizers and GCC, where libFuzzer is absent.
 *
 * Exit status: 0 when every input passed, 1 when no input was found (a lost
 * corpus must not pass unseen), 2 on a usage or read error. A broken promise
 * aborts through FUZZ_CHECK, as under libFuzzer.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs are small (libFuzzer runs with -max_len=65536); a larger file is a
 * mistake in the corpus, not an input. */
#define REPLAY_MAX_BYTES (1u << 20)

static int replay_file(const char *path, size_t *inputs)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return 2;
    }
    struct stat st;
    bool ok = fstat(fileno(f), &st) == 0 && st.st_size <= REPLAY_MAX_BYTES;
    size_t size = ok ? (size_t)st.st_size : 0;
    /* Exactly SIZE bytes, so that the sanitizer sees a read past the end. */
    uint8_t *data = ok ? malloc(size ? size : 1) : NULL;
    ok = data && fread(data, 1, size, f) == size && !ferror(f);
    fclose(f);
    if (!ok) {
        fprintf(stderr, "replay: cannot read %s (or it is over %u bytes)\n", path,
                REPLAY_MAX_BYTES);
        free(data);
        return 2;
    }
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    (*inputs)++;
    return 0;
}

static int visible(const struct dirent *entry)
{
    return entry->d_name[0] != '.';
}

static int replay_path(const char *path, size_t *inputs)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 2;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path, inputs);
    struct dirent **entries = NULL;
    int n = scandir(path, &entries, visible, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: cannot list %s: %s\n", path, strerror(errno));
        return 2;
    }
    int status = 0;
    for (int i = 0; i < n; i++) {
        char child[4096];
        int len = snprintf(child, sizeof child, "%s/%s", path, entries[i]->d_name);
        if (status == 0 && len > 0 && (size_t)len < sizeof child)
            status = replay_path(child, inputs);
        free(entries[i]);
    }
    free(entries);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE_OR_FOLDER...\n", argv[0]);
        return 2;
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    size_t inputs = 0;
    for (int i = 1; i < argc; i++) {
        int status = replay_path(argv[i], &inputs);
        if (status != 0)
            return status;
    }
    printf("replay: %zu inputs passed\n", inputs);
    return inputs > 0 ? 0 : 1;
}
