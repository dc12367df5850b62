package dev.wasm2jvm.runtime.internal;

/**
 * The functions of {@code wasi_snapshot_preview1} as a WASI host implements them, one method per
 * function, named and typed as the function (a pointer or length is an {@code int}, a 64-bit value
 * a {@code long}); each returns its errno, and {@code proc_exit} unwinds the guest. Generated code
 * calls these methods directly when the {@link dev.wasm2jvm.runtime.FuncRef} bound to such an
 * import is the host's own ({@link dev.wasm2jvm.runtime.FuncRef#builtin}), so that a program that
 * imports only WASI functions makes no method handle for them and the JIT sees plain calls.
 */
public interface WasiSnapshotPreview1 {
    int args_get(int argv, int argvBuf);

    int args_sizes_get(int argc, int argvBufSize);

    int clock_res_get(int id, int resolution);

    int clock_time_get(int id, long precision, int time);

    int environ_get(int environPtr, int environBuf);

    int environ_sizes_get(int count, int bufSize);

    int fd_advise(int fd, long offset, long len, int advice);

    int fd_allocate(int fd, long offset, long len);

    int fd_close(int fd);

    int fd_datasync(int fd);

    int fd_fdstat_get(int fd, int buf);

    int fd_fdstat_set_flags(int fd, int flags);

    int fd_fdstat_set_rights(int fd, long base, long inheriting);

    int fd_filestat_get(int fd, int buf);

    int fd_filestat_set_size(int fd, long size);

    int fd_filestat_set_times(int fd, long atim, long mtim, int fstflags);

    int fd_pread(int fd, int iovs, int iovsLen, long offset, int nread);

    int fd_prestat_dir_name(int fd, int path, int pathLen);

    int fd_prestat_get(int fd, int buf);

    int fd_pwrite(int fd, int iovs, int iovsLen, long offset, int nwritten);

    int fd_read(int fd, int iovs, int iovsLen, int nread);

    int fd_readdir(int fd, int buf, int bufLen, long cookie, int bufused);

    int fd_renumber(int fd, int to);

    int fd_seek(int fd, long offset, int whence, int newoffset);

    int fd_sync(int fd);

    int fd_tell(int fd, int offset);

    int fd_write(int fd, int iovs, int iovsLen, int nwritten);

    int path_create_directory(int fd, int path, int pathLen);

    int path_filestat_get(int fd, int flags, int path, int pathLen, int buf);

    int path_filestat_set_times(int fd, int flags, int path, int pathLen, long atim, long mtim, int fstflags);

    int path_link(int oldFd, int oldFlags, int oldPath, int oldPathLen, int newFd, int newPath, int newPathLen);

    int path_open(int fd, int dirflags, int path, int pathLen, int oflags, long rightsBase, long rightsInheriting, int fdflags, int opened);

    int path_readlink(int fd, int path, int pathLen, int buf, int bufLen, int bufused);

    int path_remove_directory(int fd, int path, int pathLen);

    int path_rename(int fd, int oldPath, int oldPathLen, int newFd, int newPath, int newPathLen);

    int path_symlink(int oldPath, int oldPathLen, int fd, int newPath, int newPathLen);

    int path_unlink_file(int fd, int path, int pathLen);

    int poll_oneoff(int in, int out, int nsubscriptions, int nevents);

    void proc_exit(int code);

    int proc_raise(int sig);

    int random_get(int buf, int bufLen);

    int sched_yield();

    int sock_accept(int fd, int flags, int accepted);

    int sock_recv(int fd, int riData, int riDataLen, int riFlags, int roDataLen, int roFlags);

    int sock_send(int fd, int siData, int siDataLen, int siFlags, int soDataLen);

    int sock_shutdown(int fd, int how);
}
