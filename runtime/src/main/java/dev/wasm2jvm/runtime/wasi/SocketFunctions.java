package dev.wasm2jvm.runtime.wasi;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** The {@code sock_*} functions, on preopened listening sockets and the connections they accept. */
final class SocketFunctions {
    private final GuestMemory memory;
    private final FdTable fds;

    SocketFunctions(GuestMemory memory, FdTable fds) {
        this.memory = memory;
        this.fds = fds;
    }

    /** The socket at {@code fd}; a socket of another kind fails with {@code otherKind}, as POSIX has it. */
    private <T extends SocketDescriptor> T socket(int fd, Class<T> kind, int otherKind) {
        Descriptor d = fds.get(fd);
        if (!(d instanceof SocketDescriptor)) throw new WasiError(Errno.NOTSOCK);
        if (!kind.isInstance(d)) throw new WasiError(otherKind);
        return kind.cast(d);
    }

    int sock_accept(int fd, int flags, int accepted) {
        try {
            ListenerDescriptor listener = socket(fd, ListenerDescriptor.class, Errno.INVAL);
            listener.require(Rights.SOCK_ACCEPT);
            if ((flags & ~Abi.FDFLAGS_NONBLOCK) != 0) throw new WasiError(Errno.INVAL);
            // The result pointer and the room for a descriptor are checked first, so that neither
            // failure takes a connection from the queue.
            memory.check(accepted, 4);
            fds.requireRoom();
            SocketChannel channel = listener.accept((flags & Abi.FDFLAGS_NONBLOCK) != 0);
            ConnectionDescriptor connection;
            try {
                connection = new ConnectionDescriptor(channel, flags);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            try {
                memory.putI32(accepted, fds.add(connection));
            } catch (WasiError e) {
                // Another thread took the last descriptor meanwhile: the connection cannot be kept.
                connection.close();
                throw e;
            }
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int sock_recv(int fd, int riData, int riDataLen, int riFlags, int roDataLen, int roFlags) {
        try {
            ConnectionDescriptor connection = socket(fd, ConnectionDescriptor.class, Errno.NOTCONN);
            connection.require(Rights.FD_READ);
            if ((riFlags & ~(Abi.RIFLAGS_RECV_PEEK | Abi.RIFLAGS_RECV_WAITALL)) != 0) throw new WasiError(Errno.INVAL);
            memory.check(roDataLen, 4);
            memory.check(roFlags, 2);
            long n = connection.receive(memory.iovecs(riData, riDataLen), (riFlags & Abi.RIFLAGS_RECV_PEEK) != 0,
                    (riFlags & Abi.RIFLAGS_RECV_WAITALL) != 0);
            memory.putI32(roDataLen, (int) n);
            memory.putU16(roFlags, (short) 0);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int sock_send(int fd, int siData, int siDataLen, int siFlags, int soDataLen) {
        try {
            ConnectionDescriptor connection = socket(fd, ConnectionDescriptor.class, Errno.NOTCONN);
            connection.require(Rights.FD_WRITE);
            if (siFlags != 0) throw new WasiError(Errno.INVAL);
            memory.check(soDataLen, 4);
            memory.putI32(soDataLen, (int) connection.write(memory.iovecs(siData, siDataLen)));
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }

    int sock_shutdown(int fd, int how) {
        try {
            SocketDescriptor socket = socket(fd, SocketDescriptor.class, Errno.NOTSOCK);
            socket.require(Rights.SOCK_SHUTDOWN);
            socket.shutdown(how);
            return Errno.SUCCESS;
        } catch (Throwable thrown) {
            return Calls.errno(thrown);
        }
    }
}
