/* static_dlopen.c — linked into the static query binary only (see
 * query/CMakeLists.txt), which passes -Wl,--wrap=dlopen: ICU's plugin loader
 * is the one caller of dlopen there, and a static program cannot load a
 * shared object built against another C library. Every call fails, as it
 * does when no plugin is configured, and glibc's static dlopen, with its
 * link-time warning, stays out of the binary. */
#include <stddef.h>

void *__wrap_dlopen(const char *file, int mode);

void *__wrap_dlopen(const char *file, int mode)
{
    (void)file;
    (void)mode;
    return NULL;
}
