package dev.wasm2jvm.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.wasm2jvm.runtime.internal.Syscall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A range of address space reserved once for a linear memory, so that it can grow in place. The
 * mapping is released when the segment and every slice of it have become unreachable.
 *
 * <p>Two ways to reserve, chosen by whether this module may call native code without the JVM
 * warning about it ({@link Module#isNativeAccessEnabled}):
 * <ul>
 *   <li>with native access, an anonymous {@code mmap} with no access and no swap reservation;
 *       {@link #commit} makes pages readable and writable with {@code mprotect} as the memory
 *       grows. The downcall is linked when the first reservation is made, not when this class
 *       loads: a program whose memory is small and never grows never links it. On Linux on x86_64
 *       it is the one the WASI host uses as well ({@link Syscall}).
 *   <li>without, a private mapping ({@link FileChannel.MapMode#PRIVATE}) of a sparse, already
 *       deleted temporary file, which {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)}
 *       makes without any restricted method. Every page is accessible at once (commit does
 *       nothing); a page costs memory when first written, copied from the file's hole, and is never
 *       written back. A first write to a page costs more than with {@code mmap} (the kernel reads
 *       the hole before copying it), and the mapping needs the temporary directory to be writable.
 * </ul>
 */
final class Reservation {
    /** Collections to trigger before giving up on a reservation; waiting up to 0.13 s in all. */
    private static final int RETRIES = 7;

    /** The whole reserved range; only the committed prefix may be accessed. */
    final MemorySegment range;
    /** Whether the range is readable and writable throughout, so that commit has nothing to do. */
    private final boolean accessible;

    private Reservation(MemorySegment range, boolean accessible) {
        this.range = range;
        this.accessible = accessible;
    }

    /**
     * Reserves {@code bytes} (positive) of address space, or returns {@code null} when the platform
     * refuses the reservation (for instance under a virtual-memory limit) or has no way to make one.
     */
    static Reservation reserve(long bytes) {
        return reserve(bytes, Reservation.class.getModule().isNativeAccessEnabled());
    }

    /** As {@link #reserve(long)}, with {@code mmap} or, without {@code nativeAccess}, a file mapping. */
    static Reservation reserve(long bytes, boolean nativeAccess) {
        if (nativeAccess && !Mmap.AVAILABLE) return null;
        Reservation reservation = nativeAccess ? Mmap.map(bytes) : mapFile(bytes);
        // Unreachable memories give their address space back only after a garbage collection, and
        // the collector cannot see address space or the kernel's mapping count running out.
        for (int attempt = 0; reservation == null && attempt < RETRIES; attempt++) {
            System.gc();
            try {
                Thread.sleep(1L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            reservation = nativeAccess ? Mmap.map(bytes) : mapFile(bytes);
        }
        return reservation;
    }

    /** A private mapping of a new sparse file of {@code bytes}, deleted at once; null if it cannot be made. */
    private static Reservation mapFile(long bytes) {
        try {
            Path file = Files.createTempFile("wasm2jvm-memory", null);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                Files.delete(file);
                // map() extends the file to the size asked, as a hole: nothing is allocated on disk.
                return new Reservation(channel.map(FileChannel.MapMode.PRIVATE, 0, bytes, Arena.ofAuto()), true);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return null;
        }
    }

    /**
     * Makes {@code [from, to)} readable and writable; both ends are multiples of the OS page size.
     * Returns false when the host cannot commit that much memory.
     */
    boolean commit(long from, long to) {
        if (from == to || accessible) return true;
        return Mmap.protect(range.asSlice(from, to - from), to - from);
    }

    /** The mmap flags for a reservation, or 0 where the flag values are not known. */
    static int mapFlags(String os, String arch) {
        int mapPrivate = 0x02;
        if (os.contains("linux")) {
            return switch (arch) {
                case "amd64", "x86_64", "aarch64", "riscv64", "s390x", "loongarch64" -> mapPrivate | 0x20 | 0x4000;
                case "ppc64", "ppc64le" -> mapPrivate | 0x20 | 0x40;
                default -> 0;
            };
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return mapPrivate | 0x1000 | 0x40;
        }
        return 0;
    }

    /**
     * The native calls, linked when the first reservation with native access is made: on Linux on
     * x86_64 the system calls themselves through {@link Syscall}, the one downcall the WASI host
     * links too, elsewhere libc's functions.
     */
    private static final class Mmap {
        private static final int PROT_NONE = 0;
        private static final int PROT_READ_WRITE = 0x1 | 0x2;
        private static final long MAP_FAILED = -1L;
        private static final long SYS_MMAP = 9;
        private static final long SYS_MPROTECT = 10;
        private static final long SYS_MUNMAP = 11;

        /** {@code MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE} on this platform, or 0 without mmap. */
        private static final int MAP_FLAGS = mapFlags(
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT),
                System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));

        static final boolean AVAILABLE = MAP_FLAGS != 0 && ADDRESS.byteSize() == 8
                && (Syscall.AVAILABLE || Libc.MMAP != null);

        /** A new inaccessible mapping of {@code bytes}, or null if mmap fails. */
        static Reservation map(long bytes) {
            long base;
            if (Syscall.AVAILABLE) {
                try (Arena arena = Arena.ofConfined()) {
                    base = Syscall.call(arena, SYS_MMAP, 0, bytes, PROT_NONE, MAP_FLAGS, -1, 0);
                }
                if (base < 0) return null;
            } else {
                try {
                    base = ((MemorySegment) Libc.MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_NONE, MAP_FLAGS, -1, 0L))
                            .address();
                } catch (Throwable t) {
                    throw new AssertionError("mmap downcall failed", t);
                }
                if (base == MAP_FAILED) return null;
            }
            return new Reservation(MemorySegment.ofAddress(base).reinterpret(bytes, Arena.ofAuto(), new Unmap(bytes)),
                    false);
        }

        static boolean protect(MemorySegment pages, long bytes) {
            if (Syscall.AVAILABLE) {
                try (Arena arena = Arena.ofConfined()) {
                    return Syscall.call(arena, SYS_MPROTECT, pages.address(), bytes, PROT_READ_WRITE, 0, 0, 0) == 0;
                }
            }
            try {
                return (int) Libc.MPROTECT.invokeExact(pages, bytes, PROT_READ_WRITE) == 0;
            } catch (Throwable t) {
                throw new AssertionError("mprotect downcall failed", t);
            }
        }

        /**
         * Unmaps a reservation once unreachable. A class, not a lambda, which would spin a class at
         * a program's start; it must not capture the segment (that would keep it reachable), only
         * its size.
         */
        private static final class Unmap implements Consumer<MemorySegment> {
            private final long bytes;

            Unmap(long bytes) {
                this.bytes = bytes;
            }

            @Override
            public void accept(MemorySegment base) {
                if (Syscall.AVAILABLE) {
                    try (Arena arena = Arena.ofConfined()) {
                        Syscall.call(arena, SYS_MUNMAP, base.address(), bytes, 0, 0, 0, 0);
                    }
                    return;
                }
                try {
                    int ignored = (int) Libc.MUNMAP.invokeExact(base, bytes);
                } catch (Throwable t) {
                    throw new AssertionError("munmap downcall failed", t);
                }
            }
        }
    }

    /** libc's {@code mmap}, {@code mprotect} and {@code munmap}, where {@link Syscall} is not available. */
    private static final class Libc {
        static final MethodHandle MMAP;
        static final MethodHandle MPROTECT;
        static final MethodHandle MUNMAP;

        static {
            MethodHandle mmap = null, mprotect = null, munmap = null;
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            var mmapSymbol = libc.find("mmap");
            var mprotectSymbol = libc.find("mprotect");
            var munmapSymbol = libc.find("munmap");
            if (mmapSymbol.isPresent() && mprotectSymbol.isPresent() && munmapSymbol.isPresent()) {
                mmap = linker.downcallHandle(mmapSymbol.get(),
                        FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
                mprotect = linker.downcallHandle(mprotectSymbol.get(),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
                munmap = linker.downcallHandle(munmapSymbol.get(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
            }
            MMAP = mmap;
            MPROTECT = mprotect;
            MUNMAP = munmap;
        }
    }
}
