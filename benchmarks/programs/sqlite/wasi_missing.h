/*
 * Declarations of the POSIX functions the SQLite shell calls that wasi-libc leaves out, defined in
 * wasi_missing.c. Forced into shell.c with -include: the shell's fileio extension (its .archive
 * command and the realpath() SQL function) and its .system / .shell commands refer to them.
 */
#ifndef WASI_MISSING_H
#define WASI_MISSING_H

#include <sys/types.h>

int chmod(const char *path, mode_t mode);
char *realpath(const char *path, char *resolved);

#endif
