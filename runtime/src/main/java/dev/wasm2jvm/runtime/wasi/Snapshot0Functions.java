package dev.wasm2jvm.runtime.wasi;

import dev.wasm2jvm.runtime.internal.WasiUnstable;

/**
 * The snapshot 0 functions whose ABI differs from preview 1's, as generated code calls them
 * ({@link WasiUnstable}): the adapter's, with an {@link Error} of the JVM in the adapter's own work
 * (its scratch memory, the translation of structs) turned into the trap naming the function, as
 * preview 1's functions do for theirs.
 */
final class Snapshot0Functions implements WasiUnstable {
    private final WasiSnapshot0 adapter;

    Snapshot0Functions(WasiSnapshot0 adapter) {
        this.adapter = adapter;
    }

    @Override
    public int fd_seek(int fd, long offset, int whence, int newoffset) {
        try {
            return adapter.fd_seek(fd, offset, whence, newoffset);
        } catch (Error e) {
            throw Calls.hostFailure("fd_seek", e);
        }
    }

    @Override
    public int fd_fdstat_get(int fd, int buf) {
        try {
            return adapter.fd_fdstat_get(fd, buf);
        } catch (Error e) {
            throw Calls.hostFailure("fd_fdstat_get", e);
        }
    }

    @Override
    public int fd_fdstat_set_rights(int fd, long base, long inheriting) {
        try {
            return adapter.fd_fdstat_set_rights(fd, base, inheriting);
        } catch (Error e) {
            throw Calls.hostFailure("fd_fdstat_set_rights", e);
        }
    }

    @Override
    public int fd_filestat_get(int fd, int buf) {
        try {
            return adapter.fd_filestat_get(fd, buf);
        } catch (Error e) {
            throw Calls.hostFailure("fd_filestat_get", e);
        }
    }

    @Override
    public int path_filestat_get(int fd, int flags, int path, int pathLen, int buf) {
        try {
            return adapter.path_filestat_get(fd, flags, path, pathLen, buf);
        } catch (Error e) {
            throw Calls.hostFailure("path_filestat_get", e);
        }
    }

    @Override
    public int poll_oneoff(int in, int out, int nsubscriptions, int nevents) {
        try {
            return adapter.poll_oneoff(in, out, nsubscriptions, nevents);
        } catch (Error e) {
            throw Calls.hostFailure("poll_oneoff", e);
        }
    }
}
