package dev.wasm2jvm.runtime.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import jdk.internal.access.SharedSecrets;
import jdk.internal.misc.Unsafe;
import jdk.internal.ref.CleanerFactory;

/**
 * Zeroed native memory whose pages cost nothing until the program first touches them, made
 * without any native call of the runtime's own: the C heap's memory, proven zero page by page
 * from what the kernel says of the process's own pages.
 *
 * <p>{@code Arena.allocate} zeroes what {@code malloc} returns, and writing a page is what makes
 * the kernel provide it: on this project's virtual machines about 12 µs a 4 KiB page, 50 ms for a
 * 16 MiB memory of which most programs touch a small part. A large {@code malloc} is a fresh
 * anonymous mapping, whose pages read as zeros and cost nothing until touched, but nothing
 * promises that: a block freed earlier may come back with its old contents. So the memory is taken
 * from {@code Unsafe.allocateMemory}, which is {@code malloc} without the zeroing, and each page is
 * then either proven untouched or zeroed here:
 * <ul>
 *   <li>{@code /proc/self/maps} must show the whole range inside private anonymous mappings
 *       ({@code rw-p}, no file, no inode): there, and only there, a page the kernel has never
 *       provided reads as zeros when first touched (a page of a file or of shared memory may have
 *       contents the process never wrote);
 *   <li>{@code /proc/self/pagemap} gives each page's state: a page neither present nor swapped
 *       out, with no other flag than soft-dirty, is untouched since it was mapped or since the
 *       allocator gave it back to the kernel ({@code MADV_DONTNEED}), so it reads as zeros; every
 *       other page (present, swapped, or anything the kernel may add) is zeroed here, which costs
 *       no fault for a page already present.
 * </ul>
 * The first page is written before the kernel is asked, and must then be reported present (or
 * swapped out), so a {@code pagemap} that cannot tell (one that says nothing is present) is not
 * believed. Only this
 * process writes the memory between the question and the answer: no other code has its address.
 * Where any of this is unavailable (not Linux, no {@code /proc}, no {@code Unsafe}, no native access
 * for {@link MemorySegment#reinterpret(long, Arena, Consumer)}), or the answer is not as expected,
 * {@link #allocate} returns null and the caller zeroes memory as before.
 *
 * <p>The proven memory is a direct buffer's, made by the JDK's own accessor
 * ({@code JavaNioAccess.newDirectByteBuffer}) and freed by the JDK's common cleaner: it needs no
 * segment until one is asked for ({@link Block}), and then {@code MemorySegment.ofBuffer} wraps it
 * without initialising the FFM API's helper class ({@code jdk.internal.foreign.Utils}, five spun
 * method handle forms at a program's start) as
 * {@link MemorySegment#reinterpret(long, Arena, Consumer)} and an automatic arena do. That needs
 * the exports a compiled jar's manifest gives ({@code jdk.internal.access}, {@code jdk.internal.ref})
 * and a size that fits a buffer's {@code int} capacity; otherwise the segment is reinterpreted.
 * Listing them beside {@code jdk.internal.misc} costs the launcher nothing more (a jar whose main
 * class prints one line: 81 ms of CPU with the three packages, 84 with one, 60 without the
 * attribute; 21 runs each, medians); what the attribute costs and why it stays is in
 * {@link MemoryAccess}.
 *
 * <p>The other ways considered, measured on the same machine (thread CPU time of a fresh JVM
 * making 16 MiB and then writing 1,024 of its 4 KiB pages, medians of 7): zeroed by
 * {@code Arena.allocate}, 61 ms and then 0.5 ms; here, 4.1 ms and 12.5 ms. A private mapping of a
 * sparse file created in {@code java.io.tmpdir} and deleted at once ({@code FileChannel.map}, no
 * native call either) took 8.0 ms and 14.2 ms: the kernel provides a page of the file's hole and
 * then a private copy of it, both memory; it needs a writable temporary directory; and until the
 * file is deleted another process of the same user can open it, and then write what the program's
 * untouched pages read (a private mapping shows the file until the page is written) or truncate it
 * (the next touch of a page past the end kills the JVM with {@code SIGBUS}). A shared mapping of a
 * file in {@code /dev/shm} dies of {@code SIGBUS} when that file system is full. Mapping
 * {@code /dev/zero} fails: the JDK first extends the file to the mapping's size, which a device
 * refuses. Reading every page to check it is zero costs a fault a page (reading one is as dear as
 * writing it here) and, interpreted, more than zeroing (146 ms of wall time for 16 MiB, loaded).
 *
 * <p>The same answer spares the pages a program zeroes itself: {@link #zero}, {@code memory.fill}
 * of 0, writes only the pages of its range the kernel does not report untouched. A program's
 * {@code memset} of memory it has just grown is otherwise what makes the kernel provide every page
 * of it: Sightglass {@code rust-compression} zeroes some 47 MB in fills of 64 KiB or more (one of
 * 32 MiB), and with {@link #zero} its minor page faults fell from 22,500 to 12,200 a run (medians
 * of 6), the samples of its program thread under {@code memory.fill} from 109 to 21 (async-profiler,
 * three runs pooled, 909 and 713 samples in all), and its whole process took 0.924 and 0.935 of the
 * wall time and 0.953 and 0.968 of the CPU time (20 and 30 interleaved pairs, medians of the
 * ratios, load 1.9 to 2 on 2 cores). The other programs measured were unchanged within the
 * machine's spread (CPU ratios: shootout-ratelimit, whose one fill of 400 KB takes this path, 1.01;
 * noop 1.02 and 1.00, shootout-memmove 0.98, libsodium-box 0.99, regex 0.97, the SQLite shell
 * workload 0.99; 12 to 30 pairs).
 */
public final class LazyPages {
    private LazyPages() {}

    /** The largest allocation proven page by page: its pagemap is read into one array. */
    private static final long MAX_BYTES = 1L << 30;

    /**
     * The fewest whole pages' bytes of a fill of zeros for which the kernel is asked which are
     * untouched ({@link #zero}): 16 pages of 4 KiB. Measured in a warm JVM (medians of 101 fills,
     * three runs, the 2-core machine at a load of 1.5 to 2), writing untouched pages took 8 to 9 µs
     * for 4, 16 to 22 µs for 8, 36 to 44 µs for 16 and 530 to 710 µs for 256; through the kernel's
     * answer 12 to 21 µs, 16 to 19, 17 to 18 and 22 to 29 (opening and reading {@code pagemap},
     * and the first page written). So asking pays from about 8 untouched pages; where the pages are
     * present it costs more than writing them, 11 to 22 µs against 1.7 to 1.9 for 16 pages, 57 to
     * 110 against 34 to 41 for 256. From 16 pages on, a fill of untouched pages takes half the time
     * or less, and one of present pages some 10 to 20 µs more (20 to 70 at 256 pages).
     */
    private static final long ZERO_BYTES = 64 << 10;

    /** A pagemap entry's bit for a page mapped in memory. */
    private static final long PRESENT = 1L << 63;
    /** A pagemap entry's bit for a page swapped out. */
    private static final long SWAPPED = 1L << 62;
    /** A pagemap entry's soft-dirty bit, which the kernel sets on untouched pages of a new mapping too. */
    private static final long SOFT_DIRTY = 1L << 55;

    /** Whether this runtime can make the proof at all; decided once. */
    private static final boolean AVAILABLE = MemoryAccess.UNSAFE != null
            && LazyPages.class.getModule().isNativeAccessEnabled()
            && System.getProperty("os.name", "").startsWith("Linux");

    /** Whether proven memory can be a direct buffer's (class comment); decided once. */
    private static final boolean BUFFERS = AVAILABLE
            && Object.class.getModule().isExported("jdk.internal.access", LazyPages.class.getModule())
            && Object.class.getModule().isExported("jdk.internal.ref", LazyPages.class.getModule());

    /**
     * Native memory: its address and size, and the direct buffer over it where it could be made so
     * (class comment; {@code Memory} makes its small memories so too), whose slices are views of the
     * memory that initialise nothing of the FFM API either; else its segment.
     */
    public static final class Block {
        /**
         * The offset of a buffer's native address in it, for {@link #of(ByteBuffer)}; -1 without
         * {@code Unsafe}. Here rather than in {@link LazyPages}, which a small memory never loads.
         */
        private static final long BUFFER_ADDRESS = MemoryAccess.UNSAFE != null
                ? MemoryAccess.UNSAFE.objectFieldOffset(Buffer.class, "address")
                : -1;

        /** The memory's address, aligned to a page. */
        public final long address;
        /** The memory's size in bytes. */
        public final long bytes;
        /** A direct buffer over the whole memory, freed once neither it nor a slice is reachable; or null. */
        public final ByteBuffer buffer;
        /** The memory's segment, freed once it is unreachable where there is no buffer; or null. */
        private final MemorySegment segment;

        private Block(long address, long bytes, ByteBuffer buffer, MemorySegment segment) {
            this.address = address;
            this.bytes = bytes;
            this.buffer = buffer;
            this.segment = segment;
        }

        /** The memory of {@code segment}, a native segment that keeps it allocated. */
        public static Block of(MemorySegment segment) {
            return new Block(segment.address(), segment.byteSize(), null, segment);
        }

        /**
         * The memory of the direct buffer {@code buffer}, up to its limit. Its address is read from
         * the buffer through {@code Unsafe} where that is available, so that no segment is made (any
         * segment initialises the FFM API's session class, some 14 classes loaded from the runtime
         * image, at a program's start: {@code Memory}); else from a segment made over it here, which
         * is then the block's.
         */
        public static Block of(ByteBuffer buffer) {
            Unsafe unsafe = MemoryAccess.UNSAFE;
            if (unsafe != null) {
                return new Block(unsafe.getLong(buffer, BUFFER_ADDRESS) + buffer.position(),
                        buffer.limit() - buffer.position(), buffer, null);
            }
            MemorySegment segment = MemorySegment.ofBuffer(buffer);
            return new Block(segment.address(), segment.byteSize(), buffer, segment);
        }

        /**
         * The memory as a segment: made over the buffer at each call where it has none yet, so a
         * caller that needs it more than once keeps it.
         */
        public MemorySegment segment() {
            return segment != null ? segment : MemorySegment.ofBuffer(buffer);
        }
    }

    /**
     * Native memory of {@code bytes} (a multiple of the OS page size) whose untouched pages cost no
     * memory, aligned to a page and freed once unreachable, of which the first {@code proven} bytes
     * (a multiple of the page size, at most {@code bytes}) read as zeros; or null if they cannot be
     * proven zero here. The rest reads as zeros only once {@link #zero} has been called for it: a
     * memory allocated with room to grow proves only its own pages, and its room as it grows into
     * it, so that a program that never grows does not ask the kernel about the 16,384 pages of the
     * 64 MiB room ({@code Memory}).
     */
    public static Block allocate(long bytes, long proven) {
        return AVAILABLE ? allocate(bytes, proven, "/proc/self/maps", "/proc/self/pagemap", BUFFERS) : null;
    }

    /**
     * As {@link #allocate(long, long)}, asking the kernel through the files named (other ones in
     * tests), as a direct buffer's memory if {@code buffer} (which needs the exports of the class
     * comment).
     */
    static Block allocate(long bytes, long proven, String maps, String pagemap, boolean buffer) {
        Unsafe unsafe = MemoryAccess.UNSAFE;
        long page = unsafe.pageSize();
        if (bytes <= 0 || bytes > MAX_BYTES || bytes % page != 0 || proven <= 0 || proven > bytes
                || proven % page != 0) {
            return null;
        }
        long raw;
        try {
            raw = unsafe.allocateMemory(bytes + page);
        } catch (OutOfMemoryError e) {
            return null;
        }
        long base = (raw + page - 1) & -page;
        boolean zero;
        try {
            zero = zeroTouched(unsafe, base, bytes, proven, page, maps, pagemap);
        } catch (IOException | RuntimeException e) {
            zero = false;
        }
        if (!zero) {
            unsafe.freeMemory(raw);
            return null;
        }
        if (buffer && bytes <= Integer.MAX_VALUE) {
            Block block = directBuffer(raw, base, (int) bytes);
            if (block != null) return block;
        }
        return Block.of(MemorySegment.ofAddress(base).reinterpret(bytes, Arena.ofAuto(), new Free(raw)));
    }

    /**
     * The proven memory at {@code base} as a direct buffer's, freed from {@code raw} by the JDK's
     * cleaner; null where this JDK's internal accessor is not the one this runtime was built
     * against (it is not a public API), so that the caller falls back to a reinterpreted segment.
     */
    private static Block directBuffer(long raw, long base, int bytes) {
        try {
            // The buffer's attachment is what its slices and the segment keep reachable; the
            // cleaner's action must not reach it, or it would never be cleaned.
            Object owner = new Object();
            ByteBuffer whole = SharedSecrets.getJavaNioAccess().newDirectByteBuffer(base, bytes, owner, null);
            CleanerFactory.cleaner().register(owner, new Free(raw));
            return new Block(base, bytes, whole, null);
        } catch (LinkageError e) {
            return null;
        }
    }

    /**
     * Zeroes every page of {@code [base, base + proven)} that the kernel does not report untouched;
     * false, with nothing proven, if {@code [base, base + bytes)} is not private anonymous memory or
     * the report cannot be trusted.
     */
    static boolean zeroTouched(Unsafe unsafe, long base, long bytes, long proven, long page, String maps,
            String pagemap) throws IOException {
        unsafe.putByte(base, (byte) 0);
        return zeroPages(unsafe, base, page, untouched(unsafe, base, bytes, proven, page, maps, pagemap));
    }

    /**
     * Sets the {@code length} bytes at {@code address} to zero ({@code memory.fill} of 0), where they
     * lie in memory {@link #allocate} made, and only the
     * calling thread writes it. The partial pages at the ends are written; of the whole pages
     * between, from {@value #ZERO_BYTES} bytes of them on, only those the kernel does not report
     * untouched, since an untouched page reads as zeros already and writing it is what makes the
     * kernel provide it (class comment). The same proves the part of a block beyond what
     * {@link #allocate} proved, before it is first read.
     *
     * <p>The proof is {@link #allocate}'s but for {@code /proc/self/maps}, which {@link #allocate}
     * read for the whole block: the C heap neither unmaps nor remaps a block it has handed out, so
     * the block stays private anonymous memory until it is freed, and reading and parsing every
     * mapping of the JVM again at each fill (a first proof costs 1.6 to 2.4 ms, most of it
     * interpreted; {@code Memory}'s {@code LAZY_BYTES}) would cost more than most fills save. The
     * first whole page is written before the kernel is asked and must then be reported present, as
     * in {@link #allocate}; a page is skipped only if reported neither present nor swapped out, with
     * no other flag than soft-dirty, and anything else (an answer that cannot be trusted, a
     * {@code pagemap} that cannot be read) writes every page. No other thread may write the memory
     * meanwhile: a page it wrote after the kernel's answer would keep its bytes, as a write racing
     * with the fill may in the threads proposal's memory model, but a skipped page is proven zero
     * only for a memory whose pages change under one thread. {@code Memory} sends only its unshared
     * memories here, and a shared memory is always reserved, never this class's.
     */
    public static void zero(long address, long length) {
        zero(address, length, "/proc/self/pagemap");
    }

    /**
     * As {@link #zero(long, long)}, asking the kernel through {@code pagemap} (another
     * file in tests).
     */
    static void zero(long address, long length, String pagemap) {
        Unsafe unsafe = MemoryAccess.UNSAFE;
        long page = unsafe.pageSize();
        long start = address;
        long end = start + length;
        long first = (start + page - 1) & -page;
        long last = end & -page;
        if (last - first < ZERO_BYTES) {
            unsafe.setMemory(start, length, (byte) 0);
            return;
        }
        unsafe.setMemory(start, first - start, (byte) 0);
        unsafe.setMemory(last, end - last, (byte) 0);
        boolean zeroed;
        try {
            unsafe.putByte(first, (byte) 0);
            zeroed = zeroPages(unsafe, first, page, reported(unsafe, first, last - first, page, pagemap));
        } catch (IOException | RuntimeException e) {
            zeroed = false;
        }
        if (!zeroed) unsafe.setMemory(first, last - first, (byte) 0);
    }

    /**
     * Zeroes the pages from {@code base} that {@code untouched} does not say untouched; false, having
     * written nothing, if {@code untouched} is null (the kernel cannot tell).
     */
    private static boolean zeroPages(Unsafe unsafe, long base, long page, boolean[] untouched) {
        if (untouched == null) return false;
        for (int i = 0; i < untouched.length; i++) {
            if (untouched[i]) continue;
            int end = touchedRun(untouched, i);
            unsafe.setMemory(base + i * page, (end - i) * page, (byte) 0);
            i = end;
        }
        return true;
    }

    /**
     * The end of the run of pages not reported untouched that starts at {@code from}: each such run
     * is written or copied with one call rather than one a page.
     */
    private static int touchedRun(boolean[] untouched, int from) {
        int end = from;
        while (end < untouched.length && !untouched[end]) end++;
        return end;
    }

    /**
     * Copies the pages of the {@code bytes} at {@code from} (memory made here, or other native memory
     * of the C heap) that may hold anything to the same offsets from {@code to}, where every byte
     * must read as zero, as in a new reservation, and skips the pages the kernel reports untouched,
     * which read as zeros already: copying them would provide both the page read and the page
     * written. Returns false, having copied nothing, where the kernel cannot tell.
     */
    public static boolean copyTouched(long from, long to, long bytes) {
        if (!AVAILABLE) return false;
        Unsafe unsafe = MemoryAccess.UNSAFE;
        long page = unsafe.pageSize();
        if (bytes <= 0 || bytes > MAX_BYTES || bytes % page != 0 || from % page != 0) return false;
        boolean[] untouched;
        try {
            untouched = untouched(unsafe, from, bytes, bytes, page, "/proc/self/maps", "/proc/self/pagemap");
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (untouched == null) return false;
        for (int i = 0; i < untouched.length; i++) {
            if (untouched[i]) continue;
            int end = touchedRun(untouched, i);
            unsafe.copyMemory(from + i * page, to + i * page, (end - i) * page);
            i = end;
        }
        return true;
    }

    /**
     * Which pages of {@code [base, base + proven)} the kernel reports untouched, or null if it cannot
     * tell: {@code [base, base + bytes)} is not all private anonymous memory, or the first page, which
     * has been written, is reported neither present nor swapped out.
     */
    private static boolean[] untouched(Unsafe unsafe, long base, long bytes, long proven, long page, String maps,
            String pagemap) throws IOException {
        byte[] mappings;
        try (FileInputStream in = new FileInputStream(maps)) {
            mappings = in.readAllBytes();
        }
        return privateAnonymous(mappings, base, base + bytes) ? reported(unsafe, base, proven, page, pagemap) : null;
    }

    /**
     * Which pages of {@code [base, base + bytes)}, private anonymous memory, the kernel reports
     * untouched, or null if it cannot tell: the first page, which has been written, is reported
     * neither present nor swapped out.
     */
    private static boolean[] reported(Unsafe unsafe, long base, long bytes, long page, String pagemap)
            throws IOException {
        int pages = (int) (bytes / page);
        byte[] read = new byte[pages * Long.BYTES];
        try (RandomAccessFile in = new RandomAccessFile(pagemap, "r")) {
            in.seek(base / page * Long.BYTES);
            in.readFully(read);
        }
        // The entries, in the kernel's (native) order, copied into longs with one call: this runs
        // interpreted, where a read of a long from the bytes is a native call a page, 16,384 of them
        // for the 64 MiB a memory is allocated as: 2.1 ms of Sightglass blake3-scalar's 3.4 ms proof,
        // 1.1 ms this way (async-profiler, 6 runs, load 4).
        long[] entries = new long[pages];
        unsafe.copyMemory(read, Unsafe.ARRAY_BYTE_BASE_OFFSET, entries, Unsafe.ARRAY_LONG_BASE_OFFSET, read.length);
        if ((entries[0] & (PRESENT | SWAPPED)) == 0) return null;
        boolean[] untouched = new boolean[pages];
        for (int i = 0; i < pages; i++) {
            untouched[i] = (entries[i] & ~SOFT_DIRTY) == 0;
        }
        return untouched;
    }

    /**
     * Whether the lines of {@code /proc/self/maps} (sorted by address: {@code start-end perms offset
     * dev inode [path]}, hexadecimal addresses) cover {@code [from, to)} with private anonymous
     * mappings, without a gap.
     */
    static boolean privateAnonymous(byte[] maps, long from, long to) {
        long covered = from;
        int line = 0;
        while (line < maps.length && covered < to) {
            int end = line;
            while (end < maps.length && maps[end] != '\n') end++;
            int dash = indexOf(maps, line, end, (byte) '-');
            int space = indexOf(maps, dash + 1, end, (byte) ' ');
            long start = hex(maps, line, dash);
            long stop = hex(maps, dash + 1, space);
            if (start < 0 || stop < 0) return false;
            if (Long.compareUnsigned(stop, covered) > 0) {
                if (Long.compareUnsigned(start, covered) > 0 || !anonymousFields(maps, space + 1, end)) return false;
                covered = stop;
            }
            line = end + 1;
        }
        return Long.compareUnsigned(covered, to) >= 0;
    }

    /**
     * Whether the fields after a line's range, {@code perms offset dev inode [path]}, are those of
     * private anonymous memory: {@code rw-p}, inode 0, and no path but the heap's or a name given to
     * anonymous memory ({@code [anon:...]}).
     */
    private static boolean anonymousFields(byte[] maps, int at, int end) {
        int perms = at;
        int offset = indexOf(maps, perms, end, (byte) ' ') + 1;
        int device = indexOf(maps, offset, end, (byte) ' ') + 1;
        int inode = indexOf(maps, device, end, (byte) ' ') + 1;
        int afterInode = indexOf(maps, inode, end, (byte) ' ');
        if (afterInode < 0) afterInode = end;
        if (offset - perms != 5 || inode == 0) return false;
        if (!matches(maps, perms, "rw-p ") || afterInode - inode != 1 || maps[inode] != '0') return false;
        int path = afterInode;
        while (path < end && maps[path] == ' ') path++;
        return path == end || matches(maps, path, "[heap]") && path + 6 == end || matches(maps, path, "[anon:");
    }

    private static boolean matches(byte[] bytes, int at, String text) {
        if (at < 0 || at + text.length() > bytes.length) return false;
        for (int i = 0; i < text.length(); i++) {
            if (bytes[at + i] != text.charAt(i)) return false;
        }
        return true;
    }

    /** The index of {@code b} in {@code bytes[from, end)}, or -1. */
    private static int indexOf(byte[] bytes, int from, int end, byte b) {
        if (from < 0) return -1;
        for (int i = from; i < end; i++) {
            if (bytes[i] == b) return i;
        }
        return -1;
    }

    /**
     * The hexadecimal number {@code bytes[from, to)}, or -1 if it is not one of at most 15 digits,
     * which every user-space address is (the kernel's {@code [vsyscall]} page, last, is not).
     */
    private static long hex(byte[] bytes, int from, int to) {
        if (from < 0 || to <= from || to - from > 15) return -1;
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(bytes[i], 16);
            if (digit < 0) return -1;
            value = value << 4 | digit;
        }
        return value;
    }

    /**
     * Frees the C heap's block once the memory is unreachable, as the cleaner's action or the
     * arena's. A class, not a lambda, which would spin a class at a program's start; it holds the
     * block's address, not the segment or the buffer.
     */
    private static final class Free implements Consumer<MemorySegment>, Runnable {
        private final long block;

        Free(long block) {
            this.block = block;
        }

        @Override
        public void accept(MemorySegment ignored) {
            run();
        }

        @Override
        public void run() {
            MemoryAccess.UNSAFE.freeMemory(block);
        }
    }
}
