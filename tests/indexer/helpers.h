/* helpers.h — what the indexer tests share: fixture files, temporary
 * folders and small file-writing shortcuts. */
#ifndef KENSAKU_TESTS_INDEXER_HELPERS_H
#define KENSAKU_TESTS_INDEXER_HELPERS_H

#include <stddef.h>

/* The contents of fixtures/indexer/NAME (caller frees); fails the test if absent. */
char *read_fixture(const char *name, size_t *len);

/* A fresh temporary folder for the test (removed by remove_temp). */
char *make_temp(void);
void remove_temp(char *dir);

/* Write LEN bytes to DIR/NAME, creating folders on the way. */
void write_file(const char *dir, const char *name, const char *data, size_t len);

/* DIR/NAME in a static buffer (overwritten by the next call). */
const char *in_dir(const char *dir, const char *name);

#endif
