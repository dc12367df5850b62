package dev.wasm2jvm.runtime.wasi;

import dev.wasm2jvm.runtime.internal.WasiSnapshotPreview1;

import java.util.List;

/**
 * The preview 1 functions of one host, each handed to the object that implements its group:
 * generated code calls them through {@link WasiSnapshotPreview1}, and a function's method handle,
 * when something asks for one, is the interface method bound to this object. Every function maps
 * its own failures to errnos and an {@link Error} of the JVM to a trap naming it ({@link Calls}).
 *
 * <p>A group's object, and the classes it needs, is made at the first call of one of its functions,
 * or, where loading a class of the runtime takes a host descriptor, when the host first hands out
 * one of them ({@link #prepare}), which is when a module importing it is instantiated, before the
 * guest can have used up the descriptors: a program that only writes to its output loads none of
 * the classes of paths, polls, sockets or clocks, nor does one that imports them (as libc's
 * {@code sleep} and {@code clock} do) without calling them. Its field is volatile, and made under
 * this object's lock, for the threads of a program that call at once.
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
     * Makes the object of function {@code name}'s group unless it is made already: at the first
     * call of one of its functions, or when the host hands one out if it must be made before the
     * guest runs.
     */
    synchronized void prepare(String name) {
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
    synchronized Clocks clocks() {
        Clocks c = clocks;
        if (c == null) clocks = c = new Clocks(memory);
        return c;
    }

    /** The path resolver, made at the first need: path functions and snapshot 0's adapter share it. */
    synchronized PathResolver resolver() {
        if (resolver == null) resolver = new PathResolver(true);
        return resolver;
    }

    // Each group's object, as its functions reach it: a volatile read, and at the first call of the
    // group's first function, unless the host prepared it, the group made under the lock.

    private ProcessFunctions process() {
        ProcessFunctions group = processFunctions;
        if (group == null) {
            prepare("proc_exit");
            group = processFunctions;
        }
        return group;
    }

    private Clocks clockGroup() {
        Clocks group = clocks;
        return group != null ? group : clocks();
    }

    private FdFunctions fd() {
        FdFunctions group = fdFunctions;
        if (group == null) {
            prepare("fd_");
            group = fdFunctions;
        }
        return group;
    }

    private PathFunctions path() {
        PathFunctions group = pathFunctions;
        if (group == null) {
            prepare("path_");
            group = pathFunctions;
        }
        return group;
    }

    private Poll poll() {
        Poll group = poll;
        if (group == null) {
            prepare("poll_oneoff");
            group = poll;
        }
        return group;
    }

    private SocketFunctions sockets() {
        SocketFunctions group = socketFunctions;
        if (group == null) {
            prepare("sock_");
            group = socketFunctions;
        }
        return group;
    }

    @Override
    public int args_get(int argv, int argvBuf) {
        return process().args_get(argv, argvBuf);
    }

    @Override
    public int args_sizes_get(int argc, int argvBufSize) {
        return process().args_sizes_get(argc, argvBufSize);
    }

    @Override
    public int clock_res_get(int id, int resolution) {
        return clockGroup().clock_res_get(id, resolution);
    }

    @Override
    public int clock_time_get(int id, long precision, int time) {
        return clockGroup().clock_time_get(id, precision, time);
    }

    @Override
    public int environ_get(int environPtr, int environBuf) {
        return process().environ_get(environPtr, environBuf);
    }

    @Override
    public int environ_sizes_get(int count, int bufSize) {
        return process().environ_sizes_get(count, bufSize);
    }

    @Override
    public int fd_advise(int fd, long offset, long len, int advice) {
        return fd().fd_advise(fd, offset, len, advice);
    }

    @Override
    public int fd_allocate(int fd, long offset, long len) {
        return fd().fd_allocate(fd, offset, len);
    }

    @Override
    public int fd_close(int fd) {
        return fd().fd_close(fd);
    }

    @Override
    public int fd_datasync(int fd) {
        return fd().fd_datasync(fd);
    }

    @Override
    public int fd_fdstat_get(int fd, int buf) {
        return fd().fd_fdstat_get(fd, buf);
    }

    @Override
    public int fd_fdstat_set_flags(int fd, int flags) {
        return fd().fd_fdstat_set_flags(fd, flags);
    }

    @Override
    public int fd_fdstat_set_rights(int fd, long base, long inheriting) {
        return fd().fd_fdstat_set_rights(fd, base, inheriting);
    }

    @Override
    public int fd_filestat_get(int fd, int buf) {
        return fd().fd_filestat_get(fd, buf);
    }

    @Override
    public int fd_filestat_set_size(int fd, long size) {
        return fd().fd_filestat_set_size(fd, size);
    }

    @Override
    public int fd_filestat_set_times(int fd, long atim, long mtim, int fstflags) {
        return fd().fd_filestat_set_times(fd, atim, mtim, fstflags);
    }

    @Override
    public int fd_pread(int fd, int iovs, int iovsLen, long offset, int nread) {
        return fd().fd_pread(fd, iovs, iovsLen, offset, nread);
    }

    @Override
    public int fd_prestat_dir_name(int fd, int path, int pathLen) {
        return fd().fd_prestat_dir_name(fd, path, pathLen);
    }

    @Override
    public int fd_prestat_get(int fd, int buf) {
        return fd().fd_prestat_get(fd, buf);
    }

    @Override
    public int fd_pwrite(int fd, int iovs, int iovsLen, long offset, int nwritten) {
        return fd().fd_pwrite(fd, iovs, iovsLen, offset, nwritten);
    }

    @Override
    public int fd_read(int fd, int iovs, int iovsLen, int nread) {
        return fd().fd_read(fd, iovs, iovsLen, nread);
    }

    @Override
    public int fd_readdir(int fd, int buf, int bufLen, long cookie, int bufused) {
        return fd().fd_readdir(fd, buf, bufLen, cookie, bufused);
    }

    @Override
    public int fd_renumber(int fd, int to) {
        return fd().fd_renumber(fd, to);
    }

    @Override
    public int fd_seek(int fd, long offset, int whence, int newoffset) {
        return fd().fd_seek(fd, offset, whence, newoffset);
    }

    @Override
    public int fd_sync(int fd) {
        return fd().fd_sync(fd);
    }

    @Override
    public int fd_tell(int fd, int offset) {
        return fd().fd_tell(fd, offset);
    }

    @Override
    public int fd_write(int fd, int iovs, int iovsLen, int nwritten) {
        return fd().fd_write(fd, iovs, iovsLen, nwritten);
    }

    @Override
    public int path_create_directory(int fd, int path, int pathLen) {
        return path().path_create_directory(fd, path, pathLen);
    }

    @Override
    public int path_filestat_get(int fd, int flags, int path, int pathLen, int buf) {
        return path().path_filestat_get(fd, flags, path, pathLen, buf);
    }

    @Override
    public int path_filestat_set_times(int fd, int flags, int path, int pathLen, long atim, long mtim, int fstflags) {
        return path().path_filestat_set_times(fd, flags, path, pathLen, atim, mtim, fstflags);
    }

    @Override
    public int path_link(int oldFd, int oldFlags, int oldPath, int oldPathLen, int newFd, int newPath, int newPathLen) {
        return path().path_link(oldFd, oldFlags, oldPath, oldPathLen, newFd, newPath, newPathLen);
    }

    @Override
    public int path_open(int fd, int dirflags, int path, int pathLen, int oflags, long rightsBase, long rightsInheriting, int fdflags, int opened) {
        return path().path_open(fd, dirflags, path, pathLen, oflags, rightsBase, rightsInheriting, fdflags, opened);
    }

    @Override
    public int path_readlink(int fd, int path, int pathLen, int buf, int bufLen, int bufused) {
        return path().path_readlink(fd, path, pathLen, buf, bufLen, bufused);
    }

    @Override
    public int path_remove_directory(int fd, int path, int pathLen) {
        return path().path_remove_directory(fd, path, pathLen);
    }

    @Override
    public int path_rename(int fd, int oldPath, int oldPathLen, int newFd, int newPath, int newPathLen) {
        return path().path_rename(fd, oldPath, oldPathLen, newFd, newPath, newPathLen);
    }

    @Override
    public int path_symlink(int oldPath, int oldPathLen, int fd, int newPath, int newPathLen) {
        return path().path_symlink(oldPath, oldPathLen, fd, newPath, newPathLen);
    }

    @Override
    public int path_unlink_file(int fd, int path, int pathLen) {
        return path().path_unlink_file(fd, path, pathLen);
    }

    @Override
    public int poll_oneoff(int in, int out, int nsubscriptions, int nevents) {
        return poll().poll_oneoff(in, out, nsubscriptions, nevents);
    }

    @Override
    public void proc_exit(int code) {
        process().proc_exit(code);
    }

    @Override
    public int proc_raise(int sig) {
        return process().proc_raise(sig);
    }

    @Override
    public int random_get(int buf, int bufLen) {
        return process().random_get(buf, bufLen);
    }

    @Override
    public int sched_yield() {
        return process().sched_yield();
    }

    @Override
    public int sock_accept(int fd, int flags, int accepted) {
        return sockets().sock_accept(fd, flags, accepted);
    }

    @Override
    public int sock_recv(int fd, int riData, int riDataLen, int riFlags, int roDataLen, int roFlags) {
        return sockets().sock_recv(fd, riData, riDataLen, riFlags, roDataLen, roFlags);
    }

    @Override
    public int sock_send(int fd, int siData, int siDataLen, int siFlags, int soDataLen) {
        return sockets().sock_send(fd, siData, siDataLen, siFlags, soDataLen);
    }

    @Override
    public int sock_shutdown(int fd, int how) {
        return sockets().sock_shutdown(fd, how);
    }
}
