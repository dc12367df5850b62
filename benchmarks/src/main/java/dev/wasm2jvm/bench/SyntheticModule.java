package dev.wasm2jvm.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a large WASI command for the big-module benchmark: {@code functions} functions of ordinary
 * code (a loop of i32 and i64 arithmetic, loads and stores, a {@code br_table}, a direct call to an
 * earlier function and an indirect one through a table holding them all) and {@code segments}
 * active data segments of 16 to 527 bytes. {@code _start} calls a few functions, checks that the
 * first and last data segments are in memory, and returns, so a run's time is its start-up.
 *
 * <pre>java -cp benchmarks/target/classes dev.wasm2jvm.bench.SyntheticModule OUT.wasm [FUNCTIONS [SEGMENTS]]</pre>
 *
 * The output depends on the arguments alone (a fixed pseudo-random sequence), so it needs no
 * committed copy.
 */
public final class SyntheticModule {
    private static final int TYPE_WORK = 0;   // (i32, i32) -> i32
    private static final int TYPE_START = 1;  // () -> ()
    private static final int TYPE_EXIT = 2;   // (i32) -> ()
    /** Bytes of linear memory below the data segments, touched by the functions' loads and stores. */
    private static final int SCRATCH = 65_536;

    private final int functions;
    private final int segments;
    private long seed = 0x2545F4914F6CDD1DL;

    private SyntheticModule(int functions, int segments) {
        this.functions = functions;
        this.segments = segments;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: SyntheticModule OUT.wasm [FUNCTIONS [SEGMENTS]]");
            System.exit(2);
        }
        int functions = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int segments = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        Files.write(Path.of(args[0]), build(functions, segments));
    }

    /** The module's bytes. */
    static byte[] build(int functions, int segments) {
        return new SyntheticModule(functions, segments).module();
    }

    private int next(int bound) {
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        return (int) Long.remainderUnsigned(seed, bound);
    }

    private byte[] module() {
        Bytes m = new Bytes();
        m.raw(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
        m.section(1, new Bytes().u32(3)
                .raw(0x60).u32(2).raw(0x7F, 0x7F).u32(1).raw(0x7F)
                .raw(0x60).u32(0).u32(0)
                .raw(0x60).u32(1).raw(0x7F).u32(0));
        Bytes imports = new Bytes().u32(1).name("wasi_snapshot_preview1").name("proc_exit").raw(0x00).u32(TYPE_EXIT);
        m.section(2, imports);
        Bytes funcs = new Bytes().u32(functions + 1);
        for (int i = 0; i < functions; i++) funcs.u32(TYPE_WORK);
        funcs.u32(TYPE_START);
        m.section(3, funcs);
        m.section(4, new Bytes().u32(1).raw(0x70, 0x00).u32(functions));
        int dataEnd = SCRATCH;
        int[] lengths = new int[segments];
        for (int s = 0; s < segments; s++) {
            lengths[s] = 16 + next(512);
            dataEnd += lengths[s];
        }
        int pages = (dataEnd + 65_535) / 65_536 + 1;
        m.section(5, new Bytes().u32(1).raw(0x00).u32(pages));
        int start = functions + 1;
        m.section(7, new Bytes().u32(2).name("memory").raw(0x02).u32(0).name("_start").raw(0x00).u32(start));
        Bytes elements = new Bytes().u32(1).raw(0x00).raw(0x41).s32(0).raw(0x0B).u32(functions);
        for (int i = 0; i < functions; i++) elements.u32(1 + i);
        m.section(9, elements);
        m.section(12, new Bytes().u32(segments));
        Bytes code = new Bytes().u32(functions + 1);
        for (int i = 0; i < functions; i++) code.sized(function(i));
        code.sized(start(lengths));
        m.section(10, code);
        Bytes data = new Bytes().u32(segments);
        int at = SCRATCH;
        for (int s = 0; s < segments; s++) {
            byte[] bytes = new byte[lengths[s]];
            for (int b = 0; b < bytes.length; b++) bytes[b] = (byte) (s * 31 + b * 7);
            data.raw(0x00).raw(0x41).s32(at).raw(0x0B).u32(bytes.length).bytes(bytes);
            at += bytes.length;
        }
        m.section(11, data);
        return m.toByteArray();
    }

    /**
     * Function {@code i} (funcidx {@code i + 1}), {@code (n, x) -> i32}: loops {@code n & 15} times
     * over i32 and i64 arithmetic with a load and a store into the scratch area, switches on the
     * result, then passes it to an earlier function (when {@code i % 4 != 0}, so chains of calls end)
     * and to one through the table (for {@code n} above 1000, which no call here passes).
     */
    private Bytes function(int i) {
        Bytes b = new Bytes();
        b.u32(2).u32(1).raw(0x7F).u32(1).raw(0x7E); // locals 2: i32, 3: i64
        int multiplier = 0x9E37_79B1 + 2 * next(1 << 20);
        b.raw(0x20).u32(0).raw(0x41).s32(15).raw(0x71).raw(0x21).u32(0);     // n &= 15
        b.raw(0x20).u32(1).raw(0x21).u32(2);                                   // acc = x
        b.raw(0x02, 0x40, 0x03, 0x40);                                         // block loop
        b.raw(0x20).u32(0).raw(0x45).raw(0x0D).u32(1);                         // br_if n == 0 out
        b.raw(0x20).u32(2).raw(0x41).s32(multiplier).raw(0x6C).raw(0x20).u32(0).raw(0x73).raw(0x21).u32(2);
        b.raw(0x20).u32(3).raw(0x20).u32(2).raw(0xAD).raw(0x7C).raw(0x42).s64(next(1 << 30)).raw(0x85).raw(0x21).u32(3);
        b.raw(0x20).u32(2).raw(0x41).s32(SCRATCH - 4 & ~3).raw(0x71)                      // address
                .raw(0x20).u32(2).raw(0x20).u32(2).raw(0x41).s32(SCRATCH - 4 & ~3).raw(0x71)
                .raw(0x28).u32(2).u32(0).raw(0x6A).raw(0x36).u32(2).u32(0);           // mem[a] += acc
        b.raw(0x20).u32(0).raw(0x41).s32(1).raw(0x6B).raw(0x21).u32(0);       // n--
        b.raw(0x0C).u32(0).raw(0x0B, 0x0B);                                     // br loop; end end
        b.raw(0x02, 0x40, 0x02, 0x40, 0x02, 0x40);                              // three blocks
        b.raw(0x20).u32(2).raw(0x41).s32(3).raw(0x71).raw(0x0E).u32(3).u32(0).u32(1).u32(2).u32(1);
        b.raw(0x0B).raw(0x20).u32(2).raw(0x41).s32(next(1000)).raw(0x6A).raw(0x21).u32(2);
        b.raw(0x0B).raw(0x20).u32(2).raw(0x41).s32(next(31) + 1).raw(0x77).raw(0x21).u32(2);
        b.raw(0x0B);
        if (i % 4 != 0) {
            int callee = Math.max(0, i - 1 - next(13));
            b.raw(0x20).u32(0).raw(0x20).u32(2).raw(0x10).u32(1 + callee).raw(0x20).u32(2).raw(0x6A).raw(0x21).u32(2);
        }
        b.raw(0x20).u32(0).raw(0x41).s32(1000).raw(0x4A).raw(0x04, 0x40);       // if n > 1000
        b.raw(0x20).u32(0).raw(0x20).u32(2).raw(0x41).s32(next(functions)).raw(0x11).u32(TYPE_WORK).u32(0)
                .raw(0x21).u32(2).raw(0x0B);
        b.raw(0x20).u32(2).raw(0x20).u32(3).raw(0xA7).raw(0x6A).raw(0x0B);      // acc + (i32) wide
        return b;
    }

    /**
     * {@code _start}: calls every thousandth function, then exits with status 1 unless the first
     * byte of the first and of the last data segment are in place.
     */
    private Bytes start(int[] lengths) {
        Bytes b = new Bytes().u32(0);
        for (int i = 0; i < functions; i += 1000) {
            b.raw(0x41).s32(7).raw(0x41).s32(i).raw(0x10).u32(1 + i).raw(0x1A);
        }
        int last = SCRATCH;
        for (int s = 0; s < lengths.length - 1; s++) last += lengths[s];
        int lastSegment = lengths.length - 1;
        b.raw(0x41).s32(SCRATCH).raw(0x2D).u32(0).u32(0).raw(0x41).s32(0).raw(0x47);
        b.raw(0x41).s32(last).raw(0x2D).u32(0).u32(0).raw(0x41).s32(lastSegment * 31 & 0xFF).raw(0x47).raw(0x72);
        b.raw(0x04, 0x40).raw(0x41).s32(1).raw(0x10).u32(0).raw(0x0B);
        b.raw(0x0B);
        return b;
    }

    /** A growing byte sequence with the binary format's encodings. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes raw(int... values) {
            for (int v : values) out.write(v);
            return this;
        }

        Bytes bytes(byte[] values) {
            out.writeBytes(values);
            return this;
        }

        Bytes u32(long value) {
            do {
                int b = (int) (value & 0x7F);
                value >>>= 7;
                out.write(value != 0 ? b | 0x80 : b);
            } while (value != 0);
            return this;
        }

        Bytes s32(int value) {
            return s64(value);
        }

        Bytes s64(long value) {
            while (true) {
                int b = (int) (value & 0x7F);
                value >>= 7;
                if (value == 0 && (b & 0x40) == 0 || value == -1 && (b & 0x40) != 0) {
                    out.write(b);
                    return this;
                }
                out.write(b | 0x80);
            }
        }

        Bytes name(String name) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            return u32(utf8.length).bytes(utf8);
        }

        Bytes sized(Bytes content) {
            return u32(content.out.size()).bytes(content.toByteArray());
        }

        void section(int id, Bytes content) {
            raw(id);
            sized(content);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
