/* array.h — growing a malloc'd array by doubling, for query/'s lists and buffers. */
#ifndef KENSAKU_QUERY_ARRAY_H
#define KENSAKU_QUERY_ARRAY_H

#include <stdbool.h>
#include <stddef.h>

/* Grow the array whose address is ARRAY (a T **) from *CAP elements of SIZE
 * bytes to room for NEED (> *CAP), doubling (from 16) as often as needed.
 * False, with the array and *CAP as they were, when out of memory. */
bool array_grow(void *array, size_t *cap, size_t need, size_t size);

/* Room for NEED elements in the array: the test inline, as it is made for
 * every element added; the growing out of line. */
static inline bool array_reserve(void *array, size_t *cap, size_t need, size_t size)
{
    return need <= *cap || array_grow(array, cap, need, size);
}

#endif
