/* Preloaded before libasan when PHP loads the ASan build of the plugin: PHP opens extensions
 * and FFI libraries with RTLD_DEEPBIND, which ASan refuses (it would bind the library's malloc
 * past ASan's; google/sanitizers#611). Dropping the flag keeps the library and ASan's checks
 * in one symbol scope. Needs ASAN_OPTIONS=verify_asan_link_order=0 (ASan is not first). */
#define _GNU_SOURCE
#include <dlfcn.h>

void *dlopen(const char *file, int mode) {
  static void *(*next)(const char *, int);
  if (!next) next = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
  return next(file, mode & ~RTLD_DEEPBIND);
}
