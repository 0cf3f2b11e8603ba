/* json_bytes.h — byte strings (paths) in JSON objects.
 *
 * JSON strings must be UTF-8, file names need not be. As in kensaku's JSON
 * output, a field "KEY" holds a valid UTF-8 value and "KEY_bytes" the base64
 * of any other.
 */
#ifndef KENSAKU_INDEXER_JSON_BYTES_H
#define KENSAKU_INDEXER_JSON_BYTES_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Set KEY (or KEY_bytes) of OBJECT to LEN bytes at BYTES. False on failure. */
bool json_set_bytes(json_t *object, const char *key, const char *bytes, size_t len);

/* The bytes of KEY (or KEY_bytes) of OBJECT, NUL-terminated; NULL when
 * absent, malformed or holding a NUL. Caller frees with free(). */
char *json_get_bytes(const json_t *object, const char *key);

#endif
