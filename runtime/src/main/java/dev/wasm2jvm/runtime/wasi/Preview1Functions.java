package dev.wasm2jvm.runtime.wasi;

import dev.wasm2jvm.runtime.internal.WasiSnapshotPreview1;

import java.util.List;

/**
 * The preview 1 functions of one host, each handed to the object that implements its group:
 * generated code calls them through {@link WasiSnapshotPreview1}, and a function's method handle,
 * when something asks for one, is the interface method bound to this object. Every function maps
 * its own failures to errnos and an {@link Error} of the JVM to a trap naming it ({@link Calls}).
 *
 * <p>A group's object, and the classes it needs, is made when the host first hands out one of its
 * functions ({@link #prepare}), which is when a module importing it is instantiated, before the
 * guest runs: a program that only writes to its output loads none of the classes of paths, polls,
 * sockets or clocks. Its field is set before any function of its group can be called; it is
 * volatile for a thread that reaches this object otherwise than through the host.
 */
final class Preview1Functions implements WasiSnapshotPreview1 {
    private final GuestMemory memory;
    private final FdTable fds;
    private final List<String> args;
    private final List<String> environ;
    private final Runnable flush;
    private final Wakeup wakeup;
    /** How paths are resolved; null until a group that resolves paths is made, if the host chose none. */
    private PathResolver resolver;
    private volatile ProcessFunctions processFunctions;
    private volatile Clocks clocks;
    private volatile FdFunctions fdFunctions;
    private volatile PathFunctions pathFunctions;
    private volatile Poll poll;
    private volatile SocketFunctions socketFunctions;

    /**
     * The functions over the guest's {@code memory} and descriptors {@code fds}; {@code flush}
     * flushes the guest's output before proc_exit unwinds; {@code resolver} resolves paths, or is
     * null for the kernel's way where there is one ({@code new PathResolver(true)}).
     */
    Preview1Functions(GuestMemory memory, FdTable fds, List<String> args, List<String> environ, Runnable flush,
                      Wakeup wakeup, PathResolver resolver) {
        this.memory = memory;
        this.fds = fds;
        this.args = args;
        this.environ = environ;
        this.flush = flush;
        this.wakeup = wakeup;
        this.resolver = resolver;
    }

    /**
     * Makes the object of function {@code name}'s group unless it is made already. The host calls
     * it, holding its own lock, before handing out the function.
     */
    void prepare(String name) {
        if (name.startsWith("fd_")) {
            if (fdFunctions == null) fdFunctions = new FdFunctions(memory, fds);
        } else if (name.startsWith("path_")) {
            if (pathFunctions == null) pathFunctions = new PathFunctions(memory, fds, resolver());
        } else if (name.startsWith("sock_")) {
            if (socketFunctions == null) socketFunctions = new SocketFunctions(memory, fds);
        } else if (name.startsWith("clock_")) {
            clocks();
        } else if (name.equals("poll_oneoff")) {
            if (poll == null) poll = new Poll(memory, fds, clocks(), wakeup);
        } else if (processFunctions == null) {
            processFunctions = new ProcessFunctions(memory, args, environ, flush);
        }
    }

    /** The clocks, made at the first need: clock functions, polls and snapshot 0's adapter share them. */
    Clocks clocks() {
        Clocks c = clocks;
        if (c == null) clocks = c = new Clocks(memory);
        return c;
    }

    /** The path resolver, made at the first need: path functions and snapshot 0's adapter share it. */
    PathResolver resolver() {
        if (resolver == null) resolver = new PathResolver(true);
        return resolver;
    }

    @Override
    public int args_get(int argv, int argvBuf) {
        return processFunctions.args_get(argv, argvBuf);
    }

    @Override
    public int args_sizes_get(int argc, int argvBufSize) {
        return processFunctions.args_sizes_get(argc, argvBufSize);
    }

    @Override
    public int clock_res_get(int id, int resolution) {
        return clocks.clock_res_get(id, resolution);
    }

    @Override
    public int clock_time_get(int id, long precision, int time) {
        return clocks.clock_time_get(id, precision, time);
    }

    @Override
    public int environ_get(int environPtr, int environBuf) {
        return processFunctions.environ_get(environPtr, environBuf);
    }

    @Override
    public int environ_sizes_get(int count, int bufSize) {
        return processFunctions.environ_sizes_get(count, bufSize);
    }

    @Override
    public int fd_advise(int fd, long offset, long len, int advice) {
        return fdFunctions.fd_advise(fd, offset, len, advice);
    }

    @Override
    public int fd_allocate(int fd, long offset, long len) {
        return fdFunctions.fd_allocate(fd, offset, len);
    }

    @Override
    public int fd_close(int fd) {
        return fdFunctions.fd_close(fd);
    }

    @Override
    public int fd_datasync(int fd) {
        return fdFunctions.fd_datasync(fd);
    }

    @Override
    public int fd_fdstat_get(int fd, int buf) {
        return fdFunctions.fd_fdstat_get(fd, buf);
    }

    @Override
    public int fd_fdstat_set_flags(int fd, int flags) {
        return fdFunctions.fd_fdstat_set_flags(fd, flags);
    }

    @Override
    public int fd_fdstat_set_rights(int fd, long base, long inheriting) {
        return fdFunctions.fd_fdstat_set_rights(fd, base, inheriting);
    }

    @Override
    public int fd_filestat_get(int fd, int buf) {
        return fdFunctions.fd_filestat_get(fd, buf);
    }

    @Override
    public int fd_filestat_set_size(int fd, long size) {
        return fdFunctions.fd_filestat_set_size(fd, size);
    }

    @Override
    public int fd_filestat_set_times(int fd, long atim, long mtim, int fstflags) {
        return fdFunctions.fd_filestat_set_times(fd, atim, mtim, fstflags);
    }

    @Override
    public int fd_pread(int fd, int iovs, int iovsLen, long offset, int nread) {
        return fdFunctions.fd_pread(fd, iovs, iovsLen, offset, nread);
    }

    @Override
    public int fd_prestat_dir_name(int fd, int path, int pathLen) {
        return fdFunctions.fd_prestat_dir_name(fd, path, pathLen);
    }

    @Override
    public int fd_prestat_get(int fd, int buf) {
        return fdFunctions.fd_prestat_get(fd, buf);
    }

    @Override
    public int fd_pwrite(int fd, int iovs, int iovsLen, long offset, int nwritten) {
        return fdFunctions.fd_pwrite(fd, iovs, iovsLen, offset, nwritten);
    }

    @Override
    public int fd_read(int fd, int iovs, int iovsLen, int nread) {
        return fdFunctions.fd_read(fd, iovs, iovsLen, nread);
    }

    @Override
    public int fd_readdir(int fd, int buf, int bufLen, long cookie, int bufused) {
        return fdFunctions.fd_readdir(fd, buf, bufLen, cookie, bufused);
    }

    @Override
    public int fd_renumber(int fd, int to) {
        return fdFunctions.fd_renumber(fd, to);
    }

    @Override
    public int fd_seek(int fd, long offset, int whence, int newoffset) {
        return fdFunctions.fd_seek(fd, offset, whence, newoffset);
    }

    @Override
    public int fd_sync(int fd) {
        return fdFunctions.fd_sync(fd);
    }

    @Override
    public int fd_tell(int fd, int offset) {
        return fdFunctions.fd_tell(fd, offset);
    }

    @Override
    public int fd_write(int fd, int iovs, int iovsLen, int nwritten) {
        return fdFunctions.fd_write(fd, iovs, iovsLen, nwritten);
    }

    @Override
    public int path_create_directory(int fd, int path, int pathLen) {
        return pathFunctions.path_create_directory(fd, path, pathLen);
    }

    @Override
    public int path_filestat_get(int fd, int flags, int path, int pathLen, int buf) {
        return pathFunctions.path_filestat_get(fd, flags, path, pathLen, buf);
    }

    @Override
    public int path_filestat_set_times(int fd, int flags, int path, int pathLen, long atim, long mtim, int fstflags) {
        return pathFunctions.path_filestat_set_times(fd, flags, path, pathLen, atim, mtim, fstflags);
    }

    @Override
    public int path_link(int oldFd, int oldFlags, int oldPath, int oldPathLen, int newFd, int newPath, int newPathLen) {
        return pathFunctions.path_link(oldFd, oldFlags, oldPath, oldPathLen, newFd, newPath, newPathLen);
    }

    @Override
    public int path_open(int fd, int dirflags, int path, int pathLen, int oflags, long rightsBase, long rightsInheriting, int fdflags, int opened) {
        return pathFunctions.path_open(fd, dirflags, path, pathLen, oflags, rightsBase, rightsInheriting, fdflags, opened);
    }

    @Override
    public int path_readlink(int fd, int path, int pathLen, int buf, int bufLen, int bufused) {
        return pathFunctions.path_readlink(fd, path, pathLen, buf, bufLen, bufused);
    }

    @Override
    public int path_remove_directory(int fd, int path, int pathLen) {
        return pathFunctions.path_remove_directory(fd, path, pathLen);
    }

    @Override
    public int path_rename(int fd, int oldPath, int oldPathLen, int newFd, int newPath, int newPathLen) {
        return pathFunctions.path_rename(fd, oldPath, oldPathLen, newFd, newPath, newPathLen);
    }

    @Override
    public int path_symlink(int oldPath, int oldPathLen, int fd, int newPath, int newPathLen) {
        return pathFunctions.path_symlink(oldPath, oldPathLen, fd, newPath, newPathLen);
    }

    @Override
    public int path_unlink_file(int fd, int path, int pathLen) {
        return pathFunctions.path_unlink_file(fd, path, pathLen);
    }

    @Override
    public int poll_oneoff(int in, int out, int nsubscriptions, int nevents) {
        return poll.poll_oneoff(in, out, nsubscriptions, nevents);
    }

    @Override
    public void proc_exit(int code) {
        processFunctions.proc_exit(code);
    }

    @Override
    public int proc_raise(int sig) {
        return processFunctions.proc_raise(sig);
    }

    @Override
    public int random_get(int buf, int bufLen) {
        return processFunctions.random_get(buf, bufLen);
    }

    @Override
    public int sched_yield() {
        return processFunctions.sched_yield();
    }

    @Override
    public int sock_accept(int fd, int flags, int accepted) {
        return socketFunctions.sock_accept(fd, flags, accepted);
    }

    @Override
    public int sock_recv(int fd, int riData, int riDataLen, int riFlags, int roDataLen, int roFlags) {
        return socketFunctions.sock_recv(fd, riData, riDataLen, riFlags, roDataLen, roFlags);
    }

    @Override
    public int sock_send(int fd, int siData, int siDataLen, int siFlags, int soDataLen) {
        return socketFunctions.sock_send(fd, siData, siDataLen, siFlags, soDataLen);
    }

    @Override
    public int sock_shutdown(int fd, int how) {
        return socketFunctions.sock_shutdown(fd, how);
    }
}
