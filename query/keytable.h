/* keytable.h — what a query run knows about each file it has met, by file
 * key: how many of its passages were taken, whether it satisfies the query,
 * and its file term (XF) once read. An open-addressing hash table.
 */
#ifndef KENSAKU_QUERY_KEYTABLE_H
#define KENSAKU_QUERY_KEYTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum file_verdict {
    FILE_UNKNOWN = 0,   /* not checked against the query yet */
    FILE_ACCEPTED,
    FILE_REJECTED
} file_verdict;

typedef struct keytable_entry {
    uint64_t key;
    uint32_t taken;          /* passages of the file in the answer so far */
    file_verdict verdict;
    char *file_term;         /* owned; NULL until known */
} keytable_entry;

typedef struct keytable {
    keytable_entry *slots;   /* key 0 marks an empty slot (0 is never a file key here) */
    size_t cap, n;
} keytable;

#define KEYTABLE_INIT {NULL, 0, 0}

void keytable_free(keytable *t);

/* The entry of KEY (KEY != 0), added if absent; NULL when out of memory.
 * The pointer is valid until the next keytable_get. */
keytable_entry *keytable_get(keytable *t, uint64_t key);

/* The entry of KEY, or NULL if absent. */
keytable_entry *keytable_find(const keytable *t, uint64_t key);

#endif
