/* array.c — growing a malloc'd array by doubling. */
#include "query/array.h"

#include <stdint.h>
#include <stdlib.h>

bool array_grow(void *array, size_t *cap, size_t need, size_t size)
{
    if (need > SIZE_MAX / 2 / size)
        return false;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *grown = realloc(*(void **)array, n * size);
    if (!grown)
        return false;
    *(void **)array = grown;
    *cap = n;
    return true;
}
