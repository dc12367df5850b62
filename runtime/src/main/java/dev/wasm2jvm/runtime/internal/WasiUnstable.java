package dev.wasm2jvm.runtime.internal;

/**
 * The functions of WASI snapshot 0, {@code wasi_unstable}, whose ABI differs from preview 1's, as
 * the host's adapter implements them; the others are {@link WasiSnapshotPreview1}'s. Generated
 * code calls them directly as it does preview 1's.
 */
public interface WasiUnstable {
    int fd_seek(int fd, long offset, int whence, int newoffset);

    int fd_fdstat_get(int fd, int buf);

    int fd_fdstat_set_rights(int fd, long base, long inheriting);

    int fd_filestat_get(int fd, int buf);

    int path_filestat_get(int fd, int flags, int path, int pathLen, int buf);

    int poll_oneoff(int in, int out, int nsubscriptions, int nevents);
}
