/* fuzz_check.h — the one assertion the fuzz targets use.
 *
 * Not assert(): the fuzz build is optimised with NDEBUG, and a broken
 * promise must stop libFuzzer with a message that says which one, whatever
 * the build type. abort() makes libFuzzer save the input as a crash.
 */
#ifndef KENSAKU_FUZZ_CHECK_H
#define KENSAKU_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(condition)                                                        \
    do {                                                                             \
        if (!(condition)) {                                                          \
            fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__,       \
                    #condition);                                                     \
            abort();                                                                 \
        }                                                                            \
    } while (0)

#endif
