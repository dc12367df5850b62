package dev.wasm2jvm.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * A range of address space reserved with {@code mmap} but not committed: no page of it is accessible
 * until {@link #commit} makes it readable and writable. Reserving costs neither memory nor swap, so a
 * linear memory can reserve its maximum once and grow in place. The mapping is released when the
 * segment and every slice of it have become unreachable.
 */
final class Reservation {
    private static final int PROT_NONE = 0;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final long MAP_FAILED = -1L;
    /** Collections to trigger before giving up on a reservation; waiting up to 0.13 s in all. */
    private static final int RETRIES = 7;

    /** {@code MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE} on this platform, or 0 without mmap. */
    private static final int MAP_FLAGS = mapFlags(
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT),
            System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));

    private static final MethodHandle MMAP;
    private static final MethodHandle MPROTECT;
    private static final MethodHandle MUNMAP;

    static {
        MethodHandle mmap = null, mprotect = null, munmap = null;
        if (MAP_FLAGS != 0 && ADDRESS.byteSize() == 8) {
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
                munmap = linker.downcallHandle(munmapSymbol.get(),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
            }
        }
        MMAP = mmap;
        MPROTECT = mprotect;
        MUNMAP = munmap;
    }

    /** The whole reserved range; only the committed prefix may be accessed. */
    final MemorySegment range;

    private Reservation(MemorySegment range) {
        this.range = range;
    }

    /**
     * Reserves {@code bytes} (positive) of address space, or returns {@code null} when the platform has
     * no mmap or refuses the reservation (for instance under a virtual-memory limit).
     */
    static Reservation reserve(long bytes) {
        if (MMAP == null) return null;
        MemorySegment base = map(bytes);
        // Unreachable memories give their address space back only after a garbage collection, and
        // the collector cannot see address space or the kernel's mapping count running out.
        for (int attempt = 0; base == null && attempt < RETRIES; attempt++) {
            System.gc();
            try {
                Thread.sleep(1L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            base = map(bytes);
        }
        if (base == null) return null;
        // The cleanup must not capture the segment (that would keep it reachable): only its size.
        MemorySegment range = base.reinterpret(bytes, Arena.ofAuto(), unmapped -> unmap(unmapped, bytes));
        return new Reservation(range);
    }

    /** A new inaccessible mapping of {@code bytes}, or null if mmap fails. */
    private static MemorySegment map(long bytes) {
        MemorySegment base;
        try {
            base = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_NONE, MAP_FLAGS, -1, 0L);
        } catch (Throwable t) {
            throw new AssertionError("mmap downcall failed", t);
        }
        return base.address() == MAP_FAILED ? null : base;
    }

    /**
     * Makes {@code [from, to)} readable and writable; both ends are multiples of the OS page size.
     * Returns false when the host cannot commit that much memory.
     */
    boolean commit(long from, long to) {
        if (from == to) return true;
        int result;
        try {
            result = (int) MPROTECT.invokeExact(range.asSlice(from, to - from), to - from, PROT_READ_WRITE);
        } catch (Throwable t) {
            throw new AssertionError("mprotect downcall failed", t);
        }
        return result == 0;
    }

    private static void unmap(MemorySegment base, long bytes) {
        try {
            int ignored = (int) MUNMAP.invokeExact(base, bytes);
        } catch (Throwable t) {
            throw new AssertionError("munmap downcall failed", t);
        }
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
}
