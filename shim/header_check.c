/* header_check.c — proves shim/shim.h is plain C17 that compiles with
 * -pedantic -Werror (built as an object library, linked nowhere). */
#include "shim/shim.h"

/* A translation unit must declare something under -pedantic. */
typedef shim_status shim_header_check_status;
