/*
 * The POSIX functions the SQLite shell calls that WASI preview1 cannot provide, failing the way
 * POSIX lets them fail when the system lacks the feature. The benchmark workload calls none of
 * them; they exist so that the unmodified shell links.
 */
#include <errno.h>
#include <stdlib.h>
#include "wasi_missing.h"

/* WASI files have no permission bits. */
int chmod(const char *path, mode_t mode) {
    (void) path;
    (void) mode;
    errno = ENOTSUP;
    return -1;
}

/* WASI paths are relative to preopened directories: there is no absolute path to resolve to. */
char *realpath(const char *path, char *resolved) {
    (void) path;
    (void) resolved;
    errno = ENOTSUP;
    return NULL;
}

/* There is no command processor: system(NULL) says so, and any command fails. */
int system(const char *command) {
    if (command == NULL) {
        return 0;
    }
    errno = ENOSYS;
    return -1;
}
