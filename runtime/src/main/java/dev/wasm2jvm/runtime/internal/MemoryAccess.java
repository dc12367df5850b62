package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Objects;
import jdk.internal.misc.Unsafe;

/**
 * The loads and stores of linear memory, one static method per instruction ({@code i32.load} is
 * {@link #i32Load}, {@code i64.store8} is {@link #i64Store8}), which generated code calls with the
 * instruction's operands, its {@code memarg.offset} and the {@link Memory}, whose
 * {@link Memory#base} and {@link Memory#byteLength} it reads. The
 * effective address is {@code zext(address) + zext(offset)} as a {@code long}, so the whole 4 GiB
 * address space is reachable; an access past the end traps with the spec's text followed by where
 * the access fell. Wasm memory is little-endian whatever the host.
 *
 * <p>Why a call per access rather than an inline {@code VarHandle} access in generated code (the
 * figures, from {@code benchmarks/access.sh} and whole programs, are in {@code benchmarks/HISTORY.md}):
 * <ul>
 *   <li><b>Interpreter.</b> An inline var handle access is an {@code invokevirtual} of a signature
 *       polymorphic method, which goes through the handle's generic linkage at every execution. A
 *       helper is one static call into a method that is among the first the JIT compiles, which
 *       matters for a loop in a function entered once, until its OSR compilation.
 *   <li><b>C1.</b> A var handle's code is {@code @ForceInline} all the way down, so C1 inlined every
 *       access whatever the method's size, and gave up on access-dense methods ("out of virtual
 *       registers", 36 methods of SQLite), which then stayed interpreted until C2 took them. C1
 *       calls a helper (the comment above {@code i32Load} says why, with the figures of helpers
 *       that C1 inlines): its code for a method grows with the method, not with a var handle tree
 *       per access.
 *   <li><b>C2.</b> C2 inlines every helper and compiles a bounds check that loop predication hoists
 *       out of counted loops, and one load or store.
 *   <li><b>Code size.</b> A load is three instructions in generated code instead of nine, and a
 *       store needs no spilled operand, so fewer functions need splitting.
 * </ul>
 *
 * <p><b>Two paths, chosen once.</b> When {@code java.base} exports {@code jdk.internal.misc} to the
 * runtime, each helper is {@code Objects.checkIndex(effectiveAddress, byteSize - (width - 1))} (a
 * C2 intrinsic: an unsigned range check, hoisted out of loops) and one unaligned
 * {@code jdk.internal.misc.Unsafe} access at {@code m.base + effectiveAddress}: about 90 bytes
 * of bytecode for C2 to inline per access. Otherwise it runs the former body, in
 * {@code MemoryAccessFfm}: {@code MemorySegment.get}/{@code set} with a little-endian unaligned
 * layout, whose var handle tree (session, bounds, alignment checks) is about 720 bytes of bytecode
 * per access. C2 stops inlining into a method at {@code DesiredMethodLimit}, 8000 bytes of inlined
 * bytecode, and at its node count cutoff: on the FFM path a method got about ten accesses inlined
 * and the rest stayed calls in C2 code (nbody's hot loop: 25 of its 50 helper calls in C2 code
 * were {@code NodeCountInliningCutoff}; on the Unsafe path all 50 inline). The choice is a
 * {@code static final} that C2 folds, so the path not taken costs nothing but bytecode.
 *
 * <p><b>Smaller helpers, measured and not kept.</b> C2 counts every byte of each inlined method
 * against {@code DesiredMethodLimit}, so an access-dense method keeps the accesses past its budget
 * as calls (446 in Sightglass {@code libsodium-sign}'s C2 code). Helpers of at most 35 bytes, each
 * calling one flat address method per width built on {@code jdk.internal.util.Preconditions.checkIndex}
 * with a trap-making formatter (74 bytes an access, against 117 here), left 138 there and made it
 * 0.80 of the CPU with {@code __multi3} compiled as one multiply (7 idle pairs), but the SQLite
 * programs, whose large methods then inlined more, took 1.12 of the CPU (Sightglass {@code sqlite3},
 * both its program and C2 threads longer) and 1.05 (the shell). {@code benchmarks/HISTORY.md}
 * has the figures. Where every access runs once per call, in a body without branches, that
 * selectivity buys nothing: such a body whose accesses would overrun the budget calls the flat
 * helpers of {@link CompactAccess} instead (the compiler's {@code StraightLine}), and
 * {@code libsodium-sign} took 0.80 to 0.83 of the CPU.
 *
 * <p>The export is the {@code Add-Exports: java.base/jdk.internal.misc} attribute of every jar
 * {@code wasm2jvm compile} writes and of the CLI's own jar; an application that puts the runtime
 * on its class path adds {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} to its
 * {@code java} command ({@code =dev.wasm2jvm.runtime} on the module path). {@code sun.misc.Unsafe}
 * needs no export but prints a deprecation warning on stderr from JDK 24; the internal class prints
 * nothing, and the FFM path runs where it is not exported, with the same values and traps.
 *
 * <p><b>What the export costs a program's start, and why it stays</b> (issue 12, measured again).
 * The launcher applies {@code Add-Exports} with lambdas, the process's first, so a jar that
 * declares it bootstraps the JDK's lambda machinery before {@code main}: a jar whose main class
 * prints one line took 58 ms of wall and 60 ms of CPU time without the attribute, 86 / 84 with
 * {@code jdk.internal.misc} and 90 / 81 with the three packages a compiled jar lists
 * ({@code Enable-Native-Access} alone: 57 / 61; 21 interleaved runs each, medians, load average 3
 * to 4). Every compiled program pays that machinery anyway at its first memory segment, whose
 * session class spins two lambdas: the same main class touching {@code MemorySegment.NULL} took
 * 100 / 82 without the attribute and 107 / 101 with it, so the attribute's own share is some 7 ms
 * of wall and 19 ms of CPU time, 6 spun classes. The FFM path costs a start more than that: its
 * first accesses make the layouts' var handles and its data segment copies initialise
 * {@code jdk.internal.foreign.Utils}. Sightglass {@code noop} with its jar's attribute removed
 * spins 16 classes against 9, and took 1.18 times the CPU time of the same jar with it (20 pairs,
 * load average 5 to 7, where wall times spread too far to read; idle, 124 ms of wall time against
 * 113). A
 * memory of 512 KiB or more would also be zeroed at once ({@link LazyPages}), and hot code keep
 * most accesses as calls (above).
 * No other way to the internal class costs less: a {@code Launcher-Agent-Class} exporting the
 * package through {@code Instrumentation.redefineModule} took 1.20 times the CPU of the attribute,
 * {@code sun.misc.Unsafe} warns on stderr, and the VM's own export function is reachable only
 * through a native call, whose first linkage costs a tenth of a second ({@code HostFd}).
 *
 * <p><b>Measured a third time, part by part</b> ({@code benchmarks/startup/parts.sh}: one-line
 * programs in jars that each add one part, CPU time, medians of 21 interleaved runs, load average 3
 * to 4): in a jar 58 ms, with the attribute 72, with a first memory segment instead 66, with both 85;
 * Sightglass {@code noop} 127, and 148 with its jar's attribute removed, when it spins 29 classes
 * against 9 (the FFM path's layouts and var handles). The attribute costs more than the session's
 * lambdas would alone: the launcher's two lambdas capture, and {@code Module.implAddExportsOrOpens}
 * adds one of {@code Module} and one of {@code WeakPairMap}. But no segment avoids the session
 * class: in JDK 25 every segment has a {@code MemorySessionImpl} ({@code MemorySegment.NULL},
 * {@code ofAddress}, {@code ofArray} and {@code ofBuffer} use its global or heap sessions), whose
 * static initializer spins its two lambdas; {@code Add-Opens} takes the launcher's same path, and a
 * launcher agent its own lambdas and reflection besides. So the attribute stays, and the session
 * class is initialised by the program's launching thread while the program's thread sets up its
 * host ({@code command.ModuleClasses}), off the program's path where a core is free.
 *
 * <p>Whole processes ({@code java -jar}, paired runs against the compiler before this path on a
 * loaded 2-core machine, medians of the ratios new / old, wall and CPU): nbody 0.82 / 0.83, the
 * matmul kernel 0.92 / 0.88, bytescan 0.96 / 0.94 (5 pairs each), the SQLite shell workload 0.83 /
 * 0.87 (3 pairs); inthash 1.01 / 0.99 (5 pairs) and listchase 0.98 / 0.98 (10 pairs) unchanged. On
 * the FFM path (class path without the export) nbody and matmul ran 0.91 and 1.14 wall, 1.01 and
 * 1.08 CPU, against the former helpers, whose bodies they are one static call deeper: within the
 * machine's noise (each ratio's range spanned 0.76 to 1.6).
 *
 * <p><b>Vectors.</b> A 32-bit memory's {@code v128.load} and {@code v128.store} are two 64-bit
 * accesses each, {@link #v128LoadLow} and {@link #v128LoadHigh}, {@link #v128StoreHigh} then
 * {@link #v128StoreLow}, on the same path as scalars (as the {@code MemoryAccess64} twins already
 * were); they were FFM accesses in the runtime's {@code Simd}, about 720 bytes of bytecode per half
 * against C2's inlining budget of the method that holds them, so a SIMD loop of a few dozen vector
 * accesses had some left as calls. The half called first (a load's low half, a store's high half)
 * checks the whole vector, so neither half of an access that does not fit reads or writes, and the
 * trap names all 16 bytes; the other half is not checked again ({@link #uncheckedAddress}). Whole processes,
 * paired against the compiler before on a loaded 2-core machine (5 pairs, medians of the ratios
 * new / old, CPU and wall): Sightglass intgemm-simd 0.95 / 0.84 (every pair below 1 in CPU),
 * blake3-simd 0.95 / 0.97. Most of their time is elsewhere: starting the JVM, compiling, and the
 * code of their split functions.
 *
 * <p><b>The {@code Memory}, not its segment</b> (issue 12, session 26). The helpers took the
 * memory's {@code MemorySegment}, which generated code cached in a local and reloaded after every
 * call that could grow a memory and every group of a split function's states. In C2's code each
 * reload was the instance's {@code memory} field, the memory's {@code segment} field, the segment's
 * class check ({@code MemorySegment} is an interface, and C2 guards the implementation its profile
 * saw) and the segment's address and length: five loads, three of them in a chain, before the
 * first access after the call. The SQLite shell's VDBE loop paid it once per VDBE instruction,
 * after its call of the instruction's group, and {@code perf} put 7% of the samples in the hot C2
 * methods on those reloads (the benchmarks' README, "The SQLite programs' machine code"). The
 * helpers now take the {@link Memory}, a final class, and read {@link Memory#base} and
 * {@link Memory#byteLength}; generated code loads the {@code Memory} once per method and never
 * reloads it, since the object never changes. After a call C2 reloads the two fields from the
 * spilled {@code Memory}, and the code of the generated classes is smaller by the 17,215 reloads
 * of the SQLite shell (1,814,363 to 1,680,329 bytes, 7.4%; Sightglass {@code sqlite3} 9.3%, regex
 * 5.9%). Paired whole processes against the helpers on the
 * segment (medians of new / old, CPU / wall, load average 2.5 to 6): the SQLite shell 0.968 / 0.962
 * (24 pairs, 18 below 1 in CPU; an A/A run of the old jar 1.014 / 1.114), Sightglass
 * {@code sqlite3} 0.926 / 0.943 (24, 20 below 1); with each jar's AOT cache, 0.948 / 0.946 and 0.868 / 0.880 (10 each); rust-json 0.921 /
 * 0.986, regex 1.021 / 1.088 (20 pairs each; A/A 0.962 / 1.007 and 1.017 / 0.996), richards
 * 0.942 / 1.005, libsodium-sign 0.985 / 1.090 (12 each).
 *
 * <p>{@code MemoryAccessHelpersTest} in the compiler's tests holds each helper's Unsafe path, with its
 * bounds check, to 128 bytes of bytecode.
 */
public final class MemoryAccess {
    private MemoryAccess() {}

    /**
     * The JDK's internal {@code Unsafe} when {@code java.base} exports its package to this module
     * (the {@code Add-Exports} attribute of the jars the CLI writes, or {@code --add-exports}) on a
     * little-endian host, whose native order is wasm's; else null and every helper takes the FFM
     * path. Decided once: C2 folds the test of a static final.
     */
    static final Unsafe UNSAFE =
            Object.class.getModule().isExported("jdk.internal.misc", MemoryAccess.class.getModule())
                            && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                    ? Unsafe.getUnsafe()
                    : null;

    /*
     * Every helper calls Unsafe itself, which keeps it beyond what C1 inlines when C2 is present
     * (tiers 2 and 3): C1 inlines no callee whose max_stack plus its locals beyond its parameters
     * exceeds C1InlineStackLimit (5), HotSpot counting one stack entry more than the class file
     * declares, and UNSAFE.getIntUnaligned(null, nativeAddress(address, offset, 4, m)) holds 6.
     * (-XX:TieredStopAtLevel=3 or below runs C1 alone, which raises that limit to 10: such a run
     * inlines every helper and shows nothing of tiered runs.) So tier 3 code makes one call per
     * access, into the helper's C2 code. Helpers that C1 inlines were measured and not kept: the
     * loads reading through getInt(long) and its siblings (4 entries), paired against the same
     * compiler with the loads as they are, took more CPU (7 pairs, medians of new / old, CPU):
     * Sightglass sqlite3 1.12, and 1.15 with each pair's order swapped, the SQLite shell 1.06; and
     * on top of them, i32.store, f32.store and i32.store8/16 putting through Unsafe's address-only
     * plain puts (4 entries, on x86-64 and AArch64, where a plain store takes any address; a
     * 64-bit store needs 5 whatever the form), against those loads alone (CPU / wall): the SQLite
     * shell 1.04 / 1.02, Sightglass sqlite3 1.08 / 1.06 (every pair above 1; 1.08 again with the
     * order swapped), rust-json 1.08 / 1.05, richards 1.03 / 1.00, libsodium-sign 0.97 / 0.96. An
     * inlined helper still calls the bounds check, nativeAddress (it passes 5 arguments on, and its
     * body is 62 bytes), so it saves no call, and it adds its code and its profile to every tier 3
     * method that accesses memory. Forcing C1 to inline every helper, bounds check included, into
     * generated code (a compiler directive, {@code -XX:CompilerDirectivesFile} with
     * {@code c1: { inline: ["+dev/wasm2jvm/runtime/internal/MemoryAccess.*"] }}, which lifts C1's
     * size and stack limits) made the SQLite shell take 2.2 times the wall and CPU time (6 pairs).
     */

    public static int i32Load(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load(address, offset, m.segment());
        return UNSAFE.getIntUnaligned(null, nativeAddress(address, offset, 4, m));
    }

    public static long i64Load(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load(address, offset, m.segment());
        return UNSAFE.getLongUnaligned(null, nativeAddress(address, offset, 8, m));
    }

    public static float f32Load(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.f32Load(address, offset, m.segment());
        return Float.intBitsToFloat(UNSAFE.getIntUnaligned(null, nativeAddress(address, offset, 4, m)));
    }

    public static double f64Load(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.f64Load(address, offset, m.segment());
        return Double.longBitsToDouble(UNSAFE.getLongUnaligned(null, nativeAddress(address, offset, 8, m)));
    }

    public static int i32Load8S(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load8S(address, offset, m.segment());
        return UNSAFE.getByte(null, nativeAddress(address, offset, 1, m));
    }

    public static int i32Load8U(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load8U(address, offset, m.segment());
        return UNSAFE.getByte(null, nativeAddress(address, offset, 1, m)) & 0xFF;
    }

    public static int i32Load16S(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load16S(address, offset, m.segment());
        return UNSAFE.getShortUnaligned(null, nativeAddress(address, offset, 2, m));
    }

    public static int i32Load16U(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i32Load16U(address, offset, m.segment());
        return UNSAFE.getShortUnaligned(null, nativeAddress(address, offset, 2, m)) & 0xFFFF;
    }

    public static long i64Load8S(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load8S(address, offset, m.segment());
        return UNSAFE.getByte(null, nativeAddress(address, offset, 1, m));
    }

    public static long i64Load8U(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load8U(address, offset, m.segment());
        return UNSAFE.getByte(null, nativeAddress(address, offset, 1, m)) & 0xFFL;
    }

    public static long i64Load16S(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load16S(address, offset, m.segment());
        return UNSAFE.getShortUnaligned(null, nativeAddress(address, offset, 2, m));
    }

    public static long i64Load16U(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load16U(address, offset, m.segment());
        return UNSAFE.getShortUnaligned(null, nativeAddress(address, offset, 2, m)) & 0xFFFFL;
    }

    public static long i64Load32S(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load32S(address, offset, m.segment());
        return UNSAFE.getIntUnaligned(null, nativeAddress(address, offset, 4, m));
    }

    public static long i64Load32U(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.i64Load32U(address, offset, m.segment());
        return UNSAFE.getIntUnaligned(null, nativeAddress(address, offset, 4, m)) & 0xFFFF_FFFFL;
    }

    public static void i32Store(int address, int value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i32Store(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putIntUnaligned(null, nativeAddress(address, offset, 4, m), value);
    }

    public static void i64Store(int address, long value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putLongUnaligned(null, nativeAddress(address, offset, 8, m), value);
    }

    public static void f32Store(int address, float value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.f32Store(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putIntUnaligned(null, nativeAddress(address, offset, 4, m), Float.floatToRawIntBits(value));
    }

    public static void f64Store(int address, double value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.f64Store(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putLongUnaligned(null, nativeAddress(address, offset, 8, m), Double.doubleToRawLongBits(value));
    }

    public static void i32Store8(int address, int value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i32Store8(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putByte(null, nativeAddress(address, offset, 1, m), (byte) value);
    }

    public static void i32Store16(int address, int value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i32Store16(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putShortUnaligned(null, nativeAddress(address, offset, 2, m), (short) value);
    }

    public static void i64Store8(int address, long value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store8(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putByte(null, nativeAddress(address, offset, 1, m), (byte) value);
    }

    public static void i64Store16(int address, long value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store16(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putShortUnaligned(null, nativeAddress(address, offset, 2, m), (short) value);
    }

    public static void i64Store32(int address, long value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.i64Store32(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putIntUnaligned(null, nativeAddress(address, offset, 4, m), (int) value);
    }

    /** The low half of {@code v128.load}; its bounds check covers the whole vector. */
    public static long v128LoadLow(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.v128LoadLow(address, offset, m.segment());
        return UNSAFE.getLongUnaligned(null, vectorAddress(address, offset, m));
    }

    /**
     * The high half of {@code v128.load}, which generated code calls right after
     * {@link #v128LoadLow} with the same operands: unchecked, that call having checked the whole
     * vector (see {@link #uncheckedAddress}).
     */
    public static long v128LoadHigh(int address, int offset, Memory m) {
        if (UNSAFE == null) return MemoryAccessFfm.v128LoadHigh(address, offset, m.segment());
        return UNSAFE.getLongUnaligned(null, uncheckedAddress(address, offset, m) + 8);
    }

    /**
     * {@code v128.store} of the low half, which generated code calls right after
     * {@link #v128StoreHigh} with the same operands: unchecked, that call having checked the whole
     * vector (see {@link #uncheckedAddress}).
     */
    public static void v128StoreLow(int address, long value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.v128StoreLow(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putLongUnaligned(null, uncheckedAddress(address, offset, m), value);
    }

    /** {@code v128.store} of the high half, first: its bounds check covers the whole vector. */
    public static void v128StoreHigh(int address, long value, int offset, Memory m) {
        if (UNSAFE == null) {
            MemoryAccessFfm.v128StoreHigh(address, value, offset, m.segment());
            return;
        }
        UNSAFE.putLongUnaligned(null, vectorAddress(address, offset, m) + 8, value);
    }

    /**
     * The native address of a vector at {@code address + offset} (both unsigned), checked to lie in
     * {@code m} whole, as {@link #nativeAddress} checks a scalar access, but for the length it
     * checks against, which is never negative: {@code Objects.checkIndex} is a C2 intrinsic that
     * adds an uncommon trap for a negative length unless the length's type rules one out, and
     * {@code Math.max} does.
     */
    private static long vectorAddress(int address, int offset, Memory m) {
        long effectiveAddress = (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL);
        try {
            return m.base + Objects.checkIndex(effectiveAddress, Math.max(0, m.byteLength - 15));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, 16, m.byteLength);
        }
    }

    /**
     * The native address of a vector at {@code address + offset} (both unsigned), without a bounds
     * check: {@link #v128LoadHigh} and {@link #v128StoreLow} are the second half of a vector access
     * whose first half checked all 16 bytes, with the same operands and no instruction in between
     * (the high half's bytes lie in the segment exactly when the whole vector's do), and a memory
     * never shrinks.
     *
     * <p>One check a vector rather than one a half (issue 12), for C2's sake: each check is a range
     * check with an uncommon trap, and {@code Objects.checkIndex} a second one for a negative
     * length ({@link #vectorAddress} rules that out), each trap holding every live value of the
     * method for deoptimisation, and a SIMD kernel keeps dozens of {@code long}s live. Measured on
     * Sightglass intgemm-simd ({@code -XX:+LogCompilation}, single runs, loaded 2-core machine):
     * C2 took 50, 38, 23 and 39 ms for the four largest sequences of its 8-bit multiply with both
     * halves checked, 19, 24, 9 and 20 with the vector helpers left as calls (the {@code Simd}
     * helpers left as calls changed nothing), 39, 28, 18 and 22 with one check a vector; its traps
     * went from 43 to 15. Its single C2 thread is busy for the whole run (0.19 to 0.45 s of C2 time
     * a run against 0.7 s of CPU) and most of the kernels run in C1's code before C2's arrives, so
     * the whole process hardly moved: CPU 1.01 and 0.98 of the compiler before, wall 0.99 (16
     * pairs each, load average 3 to 6).
     */
    private static long uncheckedAddress(int address, int offset, Memory m) {
        return m.base + (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL);
    }

    /**
     * The native address of an access of {@code bytes} bytes at {@code address + offset} (both
     * unsigned), checked to lie in {@code m}: {@code Objects.checkIndex} is what C2 turns into a
     * range check that loop predication hoists. The effective address is never negative, so that
     * check is the only one. {@code m} stays reachable through the access: no safepoint lies between
     * this and the load or store, so its memory cannot be freed in between.
     */
    private static long nativeAddress(int address, int offset, int bytes, Memory m) {
        long effectiveAddress = (address & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL);
        try {
            return m.base + Objects.checkIndex(effectiveAddress, m.byteLength - (bytes - 1));
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(address, offset, bytes, m.byteLength);
        }
    }

    /**
     * The trap of a load or store of {@code bytes} bytes at {@code address + offset} (both unsigned)
     * in a memory of {@code memoryBytes} bytes: the spec's text, then where the access fell.
     */
    static WasmTrap outOfBounds(int address, int offset, int bytes, long memoryBytes) {
        return new WasmTrap("out of bounds memory access: " + bytes + " bytes at " + Integer.toUnsignedString(address)
                + (offset == 0 ? "" : " + " + Integer.toUnsignedString(offset)) + ", memory size " + memoryBytes);
    }
}
