package dev.wasm2jvm.runtime;

import dev.wasm2jvm.runtime.internal.BulkMemory;
import dev.wasm2jvm.runtime.internal.LazyPages;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A linear memory: a byte array of whole 64 KiB pages that can grow up to a maximum.
 *
 * <p>The maximum is reserved as address space once ({@link Reservation}) and pages are committed as
 * the memory grows, so the base address never moves and untouched pages cost no physical memory.
 * An unshared memory stays plain native memory while it is small, and is reserved when it grows
 * past that, its contents copied once: the JVM links its first native call in about a tenth of a
 * second of CPU, which a short program then never pays for its memory. From {@value #LAZY_BYTES}
 * bytes on, that memory is the C heap's, proven zero page by page without touching it
 * ({@link LazyPages}), so a page costs nothing until the program first touches it; it is allocated
 * at once as large as it may stay unreserved, {@value #UNRESERVED_LAZY_BYTES} bytes or its maximum
 * if less, so growing up to that never copies, and its room is proven zero as the memory grows
 * into it. A smaller memory, or one whose pages could not be
 * proven zero, is zeroed at once, with room to grow (twice what it needs), copied when it outgrows
 * it, and reserved past {@value #UNRESERVED_BYTES} bytes. Where no reservation can be made, an
 * unshared memory is reallocated and copied on each growth; shared memories require the
 * reservation.
 *
 * <p>The memory's contents are an address and a length ({@link #base}, {@link #byteLength}), which
 * generated code's access helpers read, and for a memory allocated rather than reserved the direct
 * buffer they are the start of. A {@code MemorySegment} over them is made only when something asks
 * for one ({@link #segment()}: the atomic instructions, and code that names it): where
 * {@code Unsafe} is available, as a compiled jar's manifest makes it, the bulk instructions, growth,
 * the host's accessors and the WASI host all work on the address. The first segment a JVM makes
 * initialises the FFM API's session class, whose static initialiser spins two lambdas and a method
 * handle form and loads some 14 classes from the runtime image rather than the CDS archive; a
 * program that asks for none loads no class of {@code java.lang.foreign} at all (Sightglass
 * {@code noop}, and every Sightglass program measured, 13 classes fewer), and its whole process took
 * 0.93 to 0.98 of the CPU it took with the segment made (eight short Sightglass programs, two runs
 * of 24 and 30 interleaved triples, an A/A run beside at 0.98 to 1.02; regex and rust-json 1.00;
 * {@code benchmarks/README.md}, "A memory without a segment until one is needed"). Where
 * {@code Unsafe} is not available, the segment is made with the contents, as the FFM fallbacks of
 * the access helpers read it at every access.
 *
 * <p>The host reads and writes it with the accessors: integers ({@link #readI32}, ...), byte arrays
 * ({@link #readBytes(long, int)}, {@link #writeBytes(long, byte[])}), UTF-8 strings given by
 * pointer and length ({@link #readString}, {@link #writeString}), NUL-terminated
 * ({@link #readCString}, {@link #writeCString}) or preceded by their length
 * ({@link #readPrefixedString}, {@link #writePrefixedString}), and {@code ByteBuffer} views
 * ({@link #asByteBuffer}). Addresses are unsigned byte offsets; an access outside the memory
 * throws an {@link IndexOutOfBoundsException} naming the range {@code [addr, addr + len)} and the
 * memory's size, and writes nothing. The accessors may be called from any thread, on shared and
 * unshared memories; they are plain (not atomic) accesses, ordered with wasm code running on
 * another thread only by that code's own atomics, as two wasm threads' accesses are.
 *
 * <p>A 64-bit memory (memory64) has {@code i64} addresses and sizes in pages, and may grow to
 * 2^48 pages as far as its limits go; it reserves at most {@value #MAX_RESERVATION64} bytes of
 * address space, its declared maximum or less, and fails to grow beyond them as a host out of
 * memory does.
 *
 * <p>Instruction helpers take the memory as their last argument, after the wasm operands in wasm
 * order; their i32 and i64 operands are unsigned. Out-of-bounds accesses trap with
 * {@code "out of bounds memory access"} before anything is written.
 */
public final class Memory {
    public static final int PAGE_SIZE = 65536;

    /** The most pages a 32-bit memory can have (4 GiB). */
    private static final long MAX_PAGES = 65536;

    /** The most pages a 64-bit memory can have: 2^64 bytes. */
    private static final long MAX_PAGES64 = 1L << 48;

    /**
     * The most address space a 64-bit memory reserves, 1 TiB: the rest of its 2^48 pages could not
     * be mapped (x86-64 and AArch64 user space is 128 or 256 TiB), and every reserved memory takes
     * from that space until it is collected.
     */
    private static final long MAX_RESERVATION64 = 1L << 40;

    /** The largest unshared memory zeroed at once that stays unreserved: 64 MiB made rust-compression slower ({@code benchmarks/HISTORY.md}). */
    private static final long UNRESERVED_BYTES = 32L << 20;

    /** The largest unshared memory provided as touched that stays unreserved: its room costs nothing ({@code benchmarks/HISTORY.md}). */
    private static final long UNRESERVED_LAZY_BYTES = 64L << 20;

    /**
     * The smallest allocation whose pages are provided as they are first touched ({@link LazyPages})
     * rather than zeroed at once. Proving pages untouched costs a fixed 1.6 to 2.4 ms of CPU (the
     * process's own {@code /proc} files, read and checked by code still interpreted) where zeroing
     * costs about 0.02 ms a 4 KiB page on this project's virtual machines: measured on the loaded
     * 2-core machine, a new memory of 2 pages took 1.2 ms zeroed and 1.6 ms lazily, of 8 pages
     * 3.7 ms and 1.8 ms (4.1 ms touching every page), of 16 pages 5.9 ms and 1.8 ms, of 256 pages
     * 71 ms and 2.0 ms (57 ms touching every page, as zeroed). Below this, as for the 2 pages of a
     * C program's default memory, no class is loaded for it either.
     */
    static final long LAZY_BYTES = 8L * PAGE_SIZE;
    /** The alignment of memory this class allocates, a host page's, as a reservation's. */
    private static final int PAGE_ALIGNMENT = 4096;

    private static final String OUT_OF_BOUNDS = "out of bounds memory access";

    /**
     * The layouts of the host's accessors where {@code Unsafe} is not available, made on their first
     * use: the first layout a program makes spins classes, and most programs never read their
     * memory from the host.
     */
    private static final class Layouts {
        static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    }

    /** The var handles of {@code memory.atomic.wait}, made on its first use: each spins classes. */
    private static final class Atomic {
        static final VarHandle I32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
        static final VarHandle I64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    }

    /**
     * The memory's contents at one time: the first {@code byteLength} bytes of {@code allocation},
     * and their segment once asked for. Growth replaces them rather than changing them, so a host
     * thread that reads them once has an address and a length that belong together, and holds the
     * allocation while it copies (an unshared memory's old allocation is freed once unreachable).
     * Their operations take offsets already checked ({@link #range}).
     */
    private static final class Contents {
        final LazyPages.Block allocation;
        final long byteLength;
        /** Made on first use where {@code Unsafe} is available ({@link Memory#segment()}), else at once. */
        private MemorySegment segment;

        Contents(LazyPages.Block allocation, long byteLength) {
            this.allocation = allocation;
            this.byteLength = byteLength;
            if (!BulkMemory.BY_ADDRESS) segment = allocation.segment().asSlice(0, byteLength);
        }

        /**
         * The segment, made once: published by its own final fields, so a thread that reads it
         * without the lock sees it whole, or null and then takes the lock.
         */
        MemorySegment segment() {
            MemorySegment s = segment;
            return s != null ? s : madeSegment();
        }

        private synchronized MemorySegment madeSegment() {
            if (segment == null) segment = allocation.segment().asSlice(0, byteLength);
            return segment;
        }

        /** Returns {@code addr} if the {@code len} bytes from it lie within the contents, for the host's accessors. */
        long range(long addr, long len) {
            if (addr < 0 || len < 0 || addr > byteLength - len) throw outside(addr, len, byteLength);
            return addr;
        }

        void read(long at, byte[] dst, int off, int len) {
            if (BulkMemory.BY_ADDRESS) BulkMemory.copy(allocation.address + at, dst, off, len);
            else BulkMemory.copy(segment(), at, dst, off, len);
            Reference.reachabilityFence(this);
        }

        void write(byte[] src, int off, long at, int len) {
            if (BulkMemory.BY_ADDRESS) BulkMemory.copy(src, off, allocation.address + at, len);
            else BulkMemory.copy(src, off, segment(), at, len);
            Reference.reachabilityFence(this);
        }

        /** How many bytes from {@code at} precede the first zero, or up to the end if none does. */
        long zeroAfter(long at) {
            long found;
            if (BulkMemory.BY_ADDRESS) {
                found = BulkMemory.indexOfZero(allocation.address + at, byteLength - at);
            } else {
                MemorySegment s = segment();
                found = 0;
                while (at + found < byteLength && s.get(ValueLayout.JAVA_BYTE, at + found) != 0) found++;
            }
            Reference.reachabilityFence(this);
            return found;
        }

        /**
         * A view of {@code len} bytes at {@code at}: a slice of the allocation's direct buffer where it
         * has one, since a segment's own views initialise the FFM API's helper class.
         */
        ByteBuffer view(long at, int len) {
            ByteBuffer buffer = allocation.buffer;
            return buffer != null ? buffer.slice((int) at, len) : segment().asSlice(at, len).asByteBuffer();
        }

        int i32(long at) {
            int value = BulkMemory.BY_ADDRESS ? BulkMemory.i32(allocation.address + at) : segment().get(Layouts.I32, at);
            Reference.reachabilityFence(this);
            return value;
        }

        void putI32(long at, int value) {
            if (BulkMemory.BY_ADDRESS) BulkMemory.putI32(allocation.address + at, value);
            else segment().set(Layouts.I32, at, value);
            Reference.reachabilityFence(this);
        }

        long i64(long at) {
            long value = BulkMemory.BY_ADDRESS ? BulkMemory.i64(allocation.address + at) : segment().get(Layouts.I64, at);
            Reference.reachabilityFence(this);
            return value;
        }

        void putI64(long at, long value) {
            if (BulkMemory.BY_ADDRESS) BulkMemory.putI64(allocation.address + at, value);
            else segment().set(Layouts.I64, at, value);
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The native address of the memory's current contents, exactly {@code pages() * PAGE_SIZE}
     * bytes, set with them. Generated code keeps memory 0's {@code Memory} in a local for a whole
     * method and its access helpers read this and {@link #byteLength}: two loads from a final class
     * after a call, where reading a segment took the instance's field, the memory's, then the
     * segment's class check (an interface's implementation, which C2 guards) and its fields
     * ({@code MemoryAccess} has the figures). Once reserved, it never changes (an unshared memory
     * moves when it outgrows its allocation, once into the reservation, and at each growth when no
     * reservation could be made).
     */
    public long base;
    /** The length in bytes of the memory's current contents, set with {@link #base}. */
    public long byteLength;

    /**
     * The memory's current contents, replaced (never changed) by {@link #grow}; {@link #base} and
     * {@link #byteLength} are theirs.
     */
    private Contents contents;

    private final long maxPages;
    private final boolean shared;
    private final boolean address64;
    /** Whether the memory may still reserve its maximum; without, an unshared memory is copied on growth. */
    private boolean mayReserve;
    /**
     * The reserved maximum, or null while the memory is allocated: before its first growth, or for
     * good when it is reallocated on growth or cannot grow at all.
     */
    private Reservation reservation;
    /**
     * While the memory is allocated rather than reserved, the allocation its contents are the start
     * of, with room to grow; once reserved, the reservation's range.
     */
    private LazyPages.Block allocation;
    /**
     * Whether {@link #allocation}'s pages are provided as touched ({@link LazyPages}), so that the
     * memory stays unreserved up to {@link #UNRESERVED_LAZY_BYTES} rather than {@link #UNRESERVED_BYTES}
     * and a fill of zeros skips its untouched pages.
     */
    private boolean lazy;
    /**
     * The bytes from {@link #allocation}'s start that read as zeros where the memory does not reach:
     * all of it, but for an allocation provided as touched, whose room is proven zero only as the
     * memory grows into it ({@link #proveRoom}).
     */
    private long proven;
    /** Waiters of {@code memory.atomic.wait}; null for unshared memories, on which nobody can wait. */
    private final Futex futex;
    private final Object growLock = new Object();
    /** Written after {@link #contents}, so a thread that reads it also sees contents at least as long. */
    private volatile int pages;

    /**
     * Creates a memory of {@code minPages} zeroed pages.
     *
     * @param maxPages the declared maximum, or -1 for none (then the 4 GiB limit applies)
     * @param shared whether threads share the memory (threads proposal)
     * @throws IllegalArgumentException if the limits are not valid for a 32-bit memory
     * @throws OutOfMemoryError if the host cannot provide the memory
     */
    public Memory(long minPages, long maxPages, boolean shared) {
        this(minPages, maxPages, shared, false, true);
    }

    /**
     * Creates a memory of {@code minPages} zeroed pages, with 64-bit addresses if {@code address64}
     * (memory64).
     *
     * @param maxPages the declared maximum, or -1 for none (then the 4 GiB limit applies to a
     *     32-bit memory, 2^48 pages to a 64-bit one)
     * @param shared whether threads share the memory (threads proposal)
     * @throws IllegalArgumentException if the limits are not valid for the address type
     * @throws OutOfMemoryError if the host cannot provide the memory
     */
    public Memory(long minPages, long maxPages, boolean shared, boolean address64) {
        this(minPages, maxPages, shared, address64, true);
    }

    /** As the public constructors; without {@code reserve} an unshared memory is copied on growth. */
    Memory(long minPages, long maxPages, boolean shared, boolean address64, boolean reserve) {
        long most = address64 ? MAX_PAGES64 : MAX_PAGES;
        if (minPages < 0 || minPages > most || maxPages < -1 || maxPages > most
                || (maxPages >= 0 && minPages > maxPages)) {
            throw new IllegalArgumentException("invalid memory limits " + minPages + ".." + maxPages);
        }
        if (minPages > MAX_RESERVATION64 / PAGE_SIZE) {
            throw new OutOfMemoryError("cannot provide " + minPages + " pages of linear memory");
        }
        this.maxPages = maxPages;
        this.shared = shared;
        this.address64 = address64;
        this.futex = shared ? new Futex() : null;
        this.mayReserve = reserve;
        long minBytes = minPages * PAGE_SIZE;
        allocation = firstAllocation(minBytes, reserve);
        setContents(minBytes);
        pages = (int) minPages;
    }

    /** The memory {@code minBytes} start in, reserved or allocated as the class comment says. */
    private LazyPages.Block firstAllocation(long minBytes, boolean reserve) {
        long limitBytes = reservable();
        if (limitBytes == 0) return LazyPages.Block.of(ByteBuffer.allocateDirect(0));
        if (!shared && minBytes <= UNRESERVED_BYTES) return allocate(minBytes, minBytes);
        if (!shared && minBytes <= UNRESERVED_LAZY_BYTES) {
            LazyPages.Block provided = adopt(lazily(minBytes, minBytes), minBytes);
            if (provided != null) return provided;
        }
        reservation = reserve ? Reservation.reserve(limitBytes) : null;
        if (reservation != null) {
            if (!reservation.commit(0, minBytes)) {
                throw new OutOfMemoryError("cannot commit " + minBytes / PAGE_SIZE + " pages of linear memory");
            }
            return LazyPages.Block.of(reservation.range);
        }
        if (shared) throw new OutOfMemoryError("cannot reserve " + limit() + " pages for a shared memory");
        return allocate(minBytes, minBytes);
    }

    /** The most pages the memory may have: its maximum, else what its address type allows. */
    private long limit() {
        return maxPages >= 0 ? maxPages : address64 ? MAX_PAGES64 : MAX_PAGES;
    }

    /** The bytes to reserve: the limit, of a 64-bit memory at most {@link #MAX_RESERVATION64}. */
    private long reservable() {
        return Math.min(limit(), MAX_RESERVATION64 / PAGE_SIZE) * PAGE_SIZE;
    }

    /** Makes the first {@code bytes} of {@link #allocation} the memory's contents, its segment made anew when asked. */
    private void setContents(long bytes) {
        contents = new Contents(allocation, bytes);
        base = allocation.address;
        byteLength = bytes;
    }

    /**
     * The memory's current contents as a segment, which the memory's atomic instructions use (their
     * var handles take one), and generated code's helpers where {@code Unsafe} is not available.
     *
     * <p>Where {@code Unsafe} is available, the memory is made without a segment and this makes one on
     * the first call after each growth: the first segment a program makes initialises the FFM API's
     * session class and some 14 classes loaded from the runtime image (2 to 7% of the CPU of a short
     * compiled program, 3 to 11 ms: the class comment), which a memory that is never asked for one
     * does not pay. The segment is a view of the contents as they are now: after the memory grows,
     * take a new one.
     */
    public MemorySegment segment() {
        return contents.segment();
    }

    /**
     * Zeroed native memory for {@code needed} bytes with room to grow, page-aligned as a reservation
     * is: programs lay out their data for cache lines and pages, and pulldown-cmark ran 6% slower in
     * memory aligned to 8 bytes only. From {@value #LAZY_BYTES} bytes on, pages the program has not
     * touched cost nothing ({@link #lazily}); otherwise, or where that cannot be had, the room is
     * {@code room} bytes, each zeroed (touched) now. Once made, sets {@link #lazy} to say which.
     *
     * @throws OutOfMemoryError if the host cannot provide the memory
     */
    private LazyPages.Block allocate(long needed, long room) {
        LazyPages.Block provided = adopt(lazily(needed, room), needed);
        if (provided != null) return provided;
        LazyPages.Block made = room < LAZY_BYTES
                ? direct(room)
                : LazyPages.Block.of(Arena.ofAuto().allocate(room, PAGE_ALIGNMENT));
        lazy = false;
        proven = room;
        return made;
    }

    /**
     * The memory provided as touched, null if none, of which {@code needed} bytes are proven zero;
     * notes it as {@link #lazy}.
     */
    private LazyPages.Block adopt(LazyPages.Block block, long needed) {
        if (block == null) return null;
        lazy = true;
        proven = needed;
        return block;
    }

    /**
     * {@code bytes} (below {@value #LAZY_BYTES}) of zeroed, page-aligned native memory, freed once
     * unreachable as an automatic arena's is: a direct buffer's, which needs no segment where
     * {@code Unsafe} reads its address ({@link LazyPages.Block#of(ByteBuffer)}), and which the FFM
     * API wraps without initialising its helper class ({@code jdk.internal.foreign.Utils}) as an
     * arena's allocation does, which spins five method handle forms at the start of a program (some
     * 20 classes outside the JDK's CDS archive in all). Both count against
     * {@code -XX:MaxDirectMemorySize} alike.
     */
    private static LazyPages.Block direct(long bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) bytes + PAGE_ALIGNMENT).alignedSlice(PAGE_ALIGNMENT)
                .limit((int) bytes);
        return LazyPages.Block.of(buffer);
    }

    /**
     * Native memory for {@code needed} bytes whose untouched pages cost nothing ({@link LazyPages}),
     * with room for at least {@code room}; while it may stay unreserved, as large as it may stay
     * so, since the room costs only address space. Only the {@code needed} bytes are proven zero
     * now, the room as the memory grows into it ({@link #proveRoom}). Null when {@code needed} is
     * below {@value #LAZY_BYTES} bytes or the pages cannot be proven zero.
     */
    private LazyPages.Block lazily(long needed, long room) {
        if (needed < LAZY_BYTES) return null;
        long lazyRoom = needed <= UNRESERVED_LAZY_BYTES
                ? Math.max(room, Math.min(UNRESERVED_LAZY_BYTES, reservable()))
                : room;
        return LazyPages.allocate(lazyRoom, needed);
    }

    /**
     * Proves {@link #allocation}'s room zero up to {@code bytes} at least: up to twice what was
     * proven, so that a memory growing a page at a time asks the kernel a few times, not at each
     * growth. Under {@link #growLock}, on pages no thread can reach before the memory grows.
     *
     * <p>Proving the 64 MiB room with the memory cost a Sightglass program's thread some 1.3 ms of
     * its start, interpreted, most of it the loops over 16,384 pages, which a program that never
     * grows past its first pages never needed ({@code benchmarks/README.md}, "A program's status
     * calls and memory proven as it grows").
     */
    private void proveRoom(long bytes) {
        long upTo = Math.min(allocation.bytes, Math.max(bytes, 2 * proven));
        LazyPages.zero(allocation.address + proven, upTo - proven);
        proven = upTo;
    }

    /** The current size in pages. */
    public int pages() {
        return pages;
    }

    /** The declared maximum in pages, or -1 if none was declared. */
    public long maxPages() {
        return maxPages;
    }

    /** Whether the memory is shared between threads. */
    public boolean shared() {
        return shared;
    }

    /** Whether the memory has 64-bit addresses (memory64). */
    public boolean address64() {
        return address64;
    }

    /**
     * Grows the memory by {@code deltaPages} (unsigned) zeroed pages. Safe to call from several
     * threads at once.
     *
     * @return the previous size in pages, or -1 if the memory would exceed its maximum or the host
     *     cannot provide the memory
     */
    public int grow(int deltaPages) {
        return (int) grow(Integer.toUnsignedLong(deltaPages));
    }

    /**
     * Grows the memory by {@code deltaPages} (unsigned) zeroed pages, as {@link #grow(int)}; for
     * 64-bit memories, whose growth is an i64.
     *
     * @return the previous size in pages, or -1
     */
    public long grow(long deltaPages) {
        synchronized (growLock) {
            int old = pages;
            long newPages = old + deltaPages;
            if (deltaPages < 0 || newPages > limit()) return -1;
            if (newPages > reservable() / PAGE_SIZE) return -1;
            if (newPages == old) return old;
            long oldBytes = (long) old * PAGE_SIZE;
            long newBytes = newPages * PAGE_SIZE;
            if (reservation == null && mayReserve && newBytes > (lazy ? UNRESERVED_LAZY_BYTES : UNRESERVED_BYTES)) {
                // One attempt: a memory that cannot reserve is copied on each growth from then on.
                mayReserve = false;
                Reservation r = Reservation.reserve(reservable());
                if (r != null && r.commit(0, oldBytes)) {
                    LazyPages.Block reserved = LazyPages.Block.of(r.range);
                    if (!LazyPages.copyTouched(base, reserved.address, oldBytes)) copy(allocation, 0, reserved, 0, oldBytes);
                    reservation = r;
                    allocation = reserved;
                    lazy = false;
                }
            }
            if (reservation != null) {
                if (!reservation.commit(oldBytes, newBytes)) return -1;
            } else if (newBytes <= allocation.bytes) {
                // Zeroed when allocated or proven since, and never written beyond the memory's size.
                if (newBytes > proven) proveRoom(newBytes);
            } else {
                // Room to grow only while the memory may still be reserved; after that each growth
                // is copied, as before any room was kept, so that a large memory is not kept twice.
                long room = mayReserve
                        ? Math.min(Math.max(newBytes, 2 * oldBytes), Math.min(UNRESERVED_BYTES, reservable()))
                        : newBytes;
                LazyPages.Block larger;
                try {
                    larger = allocate(newBytes, room);
                } catch (OutOfMemoryError e) {
                    return -1;
                }
                copy(allocation, 0, larger, 0, oldBytes);
                allocation = larger;
            }
            setContents(newBytes);
            pages = (int) newPages;
            return old;
        }
    }

    /** {@code memory.size}. */
    public static int size(Memory m) {
        return m.pages;
    }

    /** {@code memory.grow}: the previous size, or -1. */
    public static int grow(int deltaPages, Memory m) {
        return m.grow(deltaPages);
    }

    /** {@code memory.size} of a 64-bit memory. */
    public static long size64(Memory m) {
        return m.pages;
    }

    /** {@code memory.grow} of a 64-bit memory: the previous size, or -1. */
    public static long grow64(long deltaPages, Memory m) {
        return m.grow(deltaPages);
    }

    /** {@code memory.fill} of a 64-bit memory. */
    public static void fill(long d, int value, long n, Memory m) {
        m.fill(checkRange(d, n, m.byteLength), n, (byte) value);
    }

    /**
     * Fills {@code [dst, dst + length)} of the memory's current contents, checked. Zeros skip the
     * pages of memory provided as touched that were never touched ({@link LazyPages#zero}): a
     * program's {@code memset} of memory it has just grown would otherwise make the kernel provide
     * every page of it. A shared memory is never provided so (it is reserved).
     */
    private void fill(long dst, long length, byte value) {
        if (value == 0 && lazy) LazyPages.zero(base + dst, length);
        else if (BulkMemory.BY_ADDRESS) BulkMemory.fill(base + dst, length, value);
        else BulkMemory.fill(allocation.segment(), dst, length, value);
    }

    /** Copies {@code length} bytes, checked, from {@code src} of {@code from} to {@code dst} of {@code to}; they may overlap. */
    private static void copy(LazyPages.Block from, long src, LazyPages.Block to, long dst, long length) {
        if (BulkMemory.BY_ADDRESS) BulkMemory.copy(from.address + src, to.address + dst, length);
        else BulkMemory.copy(from.segment(), src, to.segment(), dst, length);
    }

    /** Copies {@code length} bytes from {@code src} of {@code data} to {@code dst} of the memory, checked. */
    private void init(byte[] data, long src, long dst, long length) {
        if (BulkMemory.BY_ADDRESS) BulkMemory.copy(data, src, base + dst, length);
        else BulkMemory.copy(data, src, allocation.segment(), dst, length);
    }

    /**
     * {@code memory.copy} between two memories (or within one): copies {@code n} bytes from
     * {@code s} of {@code src} to {@code d} of {@code dst}.
     */
    public static void copy(int d, int s, int n, Memory dst, Memory src) {
        copy(Integer.toUnsignedLong(d), Integer.toUnsignedLong(s), Integer.toUnsignedLong(n), dst, src);
    }

    /** {@code memory.copy} between two 64-bit memories, whose length is an i64. */
    public static void copy(long d, long s, long n, Memory dst, Memory src) {
        long source = checkRange(s, n, src.byteLength);
        long destination = checkRange(d, n, dst.byteLength);
        copy(src.allocation, source, dst.allocation, destination, n);
    }

    /** {@code memory.copy} from a 32-bit memory to a 64-bit one: the length is an i32. */
    public static void copy(long d, int s, int n, Memory dst, Memory src) {
        copy(d, Integer.toUnsignedLong(s), Integer.toUnsignedLong(n), dst, src);
    }

    /** {@code memory.copy} from a 64-bit memory to a 32-bit one: the length is an i32. */
    public static void copy(int d, long s, int n, Memory dst, Memory src) {
        copy(Integer.toUnsignedLong(d), s, Integer.toUnsignedLong(n), dst, src);
    }

    /** {@code memory.init} of a 64-bit memory. */
    public static void init(long d, int s, int n, Memory m, byte[] data) {
        long length = Integer.toUnsignedLong(n);
        long src = checkRange(Integer.toUnsignedLong(s), length, data.length);
        m.init(data, src, checkRange(d, length, m.byteLength), length);
    }

    /** {@code memory.fill}: sets {@code n} bytes from {@code d} to the low byte of {@code value}. */
    public static void fill(int d, int value, int n, Memory m) {
        long length = Integer.toUnsignedLong(n);
        m.fill(checkRange(Integer.toUnsignedLong(d), length, m.byteLength), length, (byte) value);
    }

    /** {@code memory.copy}: copies {@code n} bytes from {@code s} to {@code d}; the ranges may overlap. */
    public static void copy(int d, int s, int n, Memory m) {
        long length = Integer.toUnsignedLong(n);
        long size = m.byteLength;
        long src = checkRange(Integer.toUnsignedLong(s), length, size);
        long dst = checkRange(Integer.toUnsignedLong(d), length, size);
        copy(m.allocation, src, m.allocation, dst, length);
    }

    /**
     * {@code memory.init}: copies {@code n} bytes from offset {@code s} of the data segment
     * {@code data} (empty once dropped) to {@code d}.
     */
    public static void init(int d, int s, int n, Memory m, byte[] data) {
        long length = Integer.toUnsignedLong(n);
        long src = checkRange(Integer.toUnsignedLong(s), length, data.length);
        m.init(data, src, checkRange(Integer.toUnsignedLong(d), length, m.byteLength), length);
    }

    /*
     * The host's accessors below take unsigned addresses as longs and throw an
     * IndexOutOfBoundsException naming the range and the memory's size: thrown in a host function
     * during a wasm call, it becomes the trap "out of bounds memory access", with it as the cause.
     */

    /**
     * Copies {@code len} bytes at {@code addr} into {@code dst} from {@code off}.
     *
     * @throws IndexOutOfBoundsException if the range is not within the memory or {@code dst}
     */
    public void readBytes(long addr, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        Contents c = contents;
        c.read(c.range(addr, len), dst, off, len);
    }

    /**
     * The {@code len} bytes at {@code addr}, copied.
     *
     * @throws IndexOutOfBoundsException if the range is not within the memory
     */
    public byte[] readBytes(long addr, int len) {
        Contents c = contents;
        long at = c.range(addr, len);
        byte[] bytes = new byte[len];
        c.read(at, bytes, 0, len);
        return bytes;
    }

    /**
     * Copies {@code len} bytes of {@code src} from {@code off} to {@code addr}.
     *
     * @throws IndexOutOfBoundsException if the range is not within the memory or {@code src}
     */
    public void writeBytes(long addr, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        Contents c = contents;
        c.write(src, off, c.range(addr, len), len);
    }

    /**
     * Copies all of {@code src} to {@code addr}.
     *
     * @throws IndexOutOfBoundsException if the range is not within the memory
     */
    public void writeBytes(long addr, byte[] src) {
        writeBytes(addr, src, 0, src.length);
    }

    /**
     * The {@code len} bytes at {@code addr} decoded as UTF-8 (a string passed as pointer and
     * length); malformed sequences become U+FFFD.
     *
     * @throws IndexOutOfBoundsException if the range is not within the memory
     */
    public String readString(long addr, int len) {
        return new String(readBytes(addr, len), StandardCharsets.UTF_8);
    }

    /**
     * The NUL-terminated UTF-8 string at {@code addr} (a C string), without its NUL.
     *
     * @throws IndexOutOfBoundsException if {@code addr} is not within the memory, or no NUL follows
     *     it before the memory's end
     */
    public String readCString(long addr) {
        Contents c = contents;
        long size = c.byteLength;
        long at = c.range(addr, 1);
        long end = at + c.zeroAfter(at);
        if (end == size) {
            throw new IndexOutOfBoundsException("no NUL ends the string at " + at + " before the end of memory ("
                    + size + " bytes)");
        }
        return readString(at, (int) Math.min(end - at, Integer.MAX_VALUE));
    }

    /**
     * The UTF-8 string at {@code addr} whose length in bytes precedes it, as an unsigned
     * little-endian i32 at {@code addr}: the string's bytes start at {@code addr + 4}.
     *
     * @throws IndexOutOfBoundsException if the length or the string is not within the memory
     */
    public String readPrefixedString(long addr) {
        long len = Integer.toUnsignedLong(readI32(addr));
        if (len > Integer.MAX_VALUE) throw outside(addr + 4, len, contents.byteLength);
        return readString(addr + Integer.BYTES, (int) len);
    }

    /**
     * Writes {@code value} encoded as UTF-8 at {@code addr}, without a terminator.
     *
     * @return the number of bytes written
     * @throws IndexOutOfBoundsException if the bytes do not fit within the memory; nothing is written then
     */
    public int writeString(long addr, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeBytes(addr, bytes);
        return bytes.length;
    }

    /**
     * Writes {@code value} encoded as UTF-8 at {@code addr}, then a NUL (a C string).
     *
     * @return the number of bytes written, the NUL included
     * @throws IllegalArgumentException if {@code value} contains a NUL, which would end it early
     * @throws IndexOutOfBoundsException if the bytes do not fit within the memory; nothing is written then
     */
    public int writeCString(long addr, String value) {
        if (value.indexOf('\0') >= 0) throw new IllegalArgumentException("a C string cannot contain NUL: " + value);
        byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(encoded, encoded.length + 1);
        writeBytes(addr, bytes);
        return bytes.length;
    }

    /**
     * Writes {@code value} encoded as UTF-8 at {@code addr + 4}, preceded by its length in bytes as a
     * little-endian i32 at {@code addr}; {@link #readPrefixedString} reads it back.
     *
     * @return the number of bytes written, the 4 of the length included
     * @throws IndexOutOfBoundsException if the bytes do not fit within the memory; nothing is written then
     */
    public int writePrefixedString(long addr, String value) {
        byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[Integer.BYTES + encoded.length];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(encoded.length).put(encoded);
        writeBytes(addr, bytes);
        return bytes.length;
    }

    /**
     * A little-endian {@code ByteBuffer} over the {@code len} bytes at {@code addr}: reads and
     * writes go straight to the memory, with no copy.
     *
     * <p>The view is of the memory as it is now. A shared memory never moves, so the view stays
     * valid as it grows; growing an unshared memory may move it (always on its first growth when it
     * starts as plain memory), after which the view reads and writes the old copy. Take a new view
     * after any call into the instance that may grow an unshared memory.
     *
     * <p>Like the memory itself, the buffer's bytes have no synchronisation of their own: a thread
     * writing through it while wasm code on another thread reads the same bytes of a shared memory
     * is a data race, as it would be between two wasm threads; order such accesses with the
     * program's own atomics (or by calling in only while no other thread runs). A {@code ByteBuffer}'s
     * position and limit are not thread-safe: give each thread its own view (or
     * {@link ByteBuffer#duplicate()}).
     *
     * @throws IndexOutOfBoundsException if the range is not within the memory
     */
    public ByteBuffer asByteBuffer(long addr, int len) {
        Contents c = contents;
        ByteBuffer view = c.view(c.range(addr, len), len);
        return view.order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The little-endian i32 at {@code addr}.
     *
     * @throws IndexOutOfBoundsException if the 4 bytes are not within the memory
     */
    public int readI32(long addr) {
        Contents c = contents;
        return c.i32(c.range(addr, Integer.BYTES));
    }

    /**
     * Stores {@code value} little-endian at {@code addr}.
     *
     * @throws IndexOutOfBoundsException if the 4 bytes are not within the memory
     */
    public void writeI32(long addr, int value) {
        Contents c = contents;
        c.putI32(c.range(addr, Integer.BYTES), value);
    }

    /**
     * The little-endian i64 at {@code addr}.
     *
     * @throws IndexOutOfBoundsException if the 8 bytes are not within the memory
     */
    public long readI64(long addr) {
        Contents c = contents;
        return c.i64(c.range(addr, Long.BYTES));
    }

    /**
     * Stores {@code value} little-endian at {@code addr}.
     *
     * @throws IndexOutOfBoundsException if the 8 bytes are not within the memory
     */
    public void writeI64(long addr, long value) {
        Contents c = contents;
        c.putI64(c.range(addr, Long.BYTES), value);
    }

    private static IndexOutOfBoundsException outside(long addr, long len, long size) {
        return new IndexOutOfBoundsException("out of bounds memory access: [" + addr + ", " + (addr + len)
                + ") is not within the memory of " + size + " bytes");
    }

    /**
     * {@code memory.atomic.wait32}: if the i32 at {@code addr} equals {@code expected}, waits for a
     * notify on {@code addr} or for {@code timeoutNanos} (negative: forever).
     *
     * @return 0 when woken by a notify, 1 when the value differs, 2 on timeout
     * @throws WasmTrap on an unaligned or out-of-bounds address, on an unshared memory, or when the
     *     thread is interrupted while waiting ("interrupted", with its interrupt flag set again)
     */
    public static int wait32(int addr, int expected, long timeoutNanos, Memory m) {
        return wait32(Integer.toUnsignedLong(addr), expected, timeoutNanos, m);
    }

    /** {@code memory.atomic.wait32} on a 64-bit memory, whose addresses are i64. */
    public static int wait32(long addr, int expected, long timeoutNanos, Memory m) {
        long address = m.checkAtomic(addr, Integer.BYTES);
        Futex futex = m.waitQueues();
        return futex.await(address, () -> (int) Atomic.I32.getVolatile(m.segment(), address) == expected, timeoutNanos);
    }

    /** {@code memory.atomic.wait64}: as {@link #wait32} for the i64 at {@code addr}. */
    public static int wait64(int addr, long expected, long timeoutNanos, Memory m) {
        return wait64(Integer.toUnsignedLong(addr), expected, timeoutNanos, m);
    }

    /** {@code memory.atomic.wait64} on a 64-bit memory. */
    public static int wait64(long addr, long expected, long timeoutNanos, Memory m) {
        long address = m.checkAtomic(addr, Long.BYTES);
        Futex futex = m.waitQueues();
        return futex.await(address, () -> (long) Atomic.I64.getVolatile(m.segment(), address) == expected, timeoutNanos);
    }

    /**
     * {@code memory.atomic.notify}: wakes up to {@code count} (unsigned) threads waiting on
     * {@code addr}, longest waiting first.
     *
     * @return how many threads were woken; always 0 for an unshared memory
     */
    public static int notify(int addr, int count, Memory m) {
        return notify(Integer.toUnsignedLong(addr), count, m);
    }

    /** {@code memory.atomic.notify} on a 64-bit memory. */
    public static int notify(long addr, int count, Memory m) {
        long address = m.checkAtomic(addr, Integer.BYTES);
        return m.futex == null ? 0 : m.futex.wake(address, Integer.toUnsignedLong(count));
    }

    private Futex waitQueues() {
        if (futex == null) throw new WasmTrap("expected shared memory");
        return futex;
    }

    /** Checks an atomic access of {@code size} bytes: alignment first, then bounds, as the threads spec orders them. */
    private long checkAtomic(long address, int size) {
        if ((address & (size - 1)) != 0) throw new WasmTrap("unaligned atomic");
        return checkRange(address, size, byteLength);
    }

    /** Returns {@code start} if {@code [start, start + length)} lies within {@code [0, limit)}. */
    private static long checkRange(long start, long length, long limit) {
        if (start < 0 || length < 0 || start > limit - length) throw new WasmTrap(OUT_OF_BOUNDS);
        return start;
    }

    @Override
    public String toString() {
        return "memory " + (address64 ? "i64 " : "") + pages + ".." + (maxPages < 0 ? "" : maxPages) + (shared ? " shared" : "");
    }
}
