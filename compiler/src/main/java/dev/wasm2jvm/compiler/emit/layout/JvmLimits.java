package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.code.SimdOpcodes;
import dev.wasm2jvm.compiler.module.ValType;

import static dev.wasm2jvm.compiler.code.SimdOpcodes.*;

/**
 * Limits of HotSpot's JIT compilers that generated methods are kept within, so that every method
 * can be compiled by both tiers. Each number says why it is what it is.
 */
public final class JvmLimits {
    private JvmLimits() {}

    /** HotSpot compiles no method of more bytecode than this ({@code DontCompileHugeMethods}): it stays interpreted. */
    public static final int HUGE_METHOD = 8000;

    /**
     * The bytecode an outlined part of a split function may have: under {@link #HUGE_METHOD}, with
     * room for the estimate's error (sizes are planned from wasm bytes, not measured).
     *
     * <p>Measured and not kept (session 23): 2,000, so that each C2 compilation of a part, and each
     * recompilation after an uncommon trap, is smaller; register allocation, rebuilt for each round
     * of spilling, is most of the cost of a part of many loops and live locals. At 7,000 Sightglass
     * {@code sqlite3}'s {@code func967} and {@code func110} took 39% of C2's time for 4.5% of the
     * program thread's samples. At 2,000 (whole processes, medians of 16 interleaved pairs, new over
     * old, load average 8 to 13): {@code sqlite3} 0.92 of the CPU time (10 pairs of 16 below 1), its
     * program thread 0.91; the SQLite shell 1.02 (7 of 16 below 1), its C2 threads 1.04; short
     * programs within their noise. The VDBE's nest changed shape with it (39 larger groups instead
     * of 76, behind one more call), and the shell, the program furthest behind, did not move; on the
     * idle machine (10 pairs each) {@code sqlite3} 0.913 of the CPU and the shell 1.094: one SQLite
     * program gains what the other loses. The benchmarks README ("Smaller parts for C2") has the
     * figures. Kept instead (session 24): the smaller budget for code of loops alone,
     * {@link #SPLIT_LOOP_METHOD}.
     */
    public static final int SPLIT_METHOD = 7000;

    /**
     * The bytecode an outlined part of a split function that holds a loop, or is one, may have (and
     * the method of such a function itself), below {@link #SPLIT_METHOD}; a part of SIMD work, or one
     * that holds a nest run as a state machine or lies in one, keeps {@link #SPLIT_METHOD}
     * ({@code SplitPlan.loopBudgets}).
     * A compilation of a part of loops by C2 costs more than its size (register allocation rebuilt
     * for every round of spilling over the loops' live values), and an uncommon trap in it, which
     * SQLite's later phases take at branches its profile had never seen, throws all of it away:
     * Sightglass {@code sqlite3}'s {@code func967$block_43f70} (2,322 bytes, 11 KB with its inlined
     * access helpers) was compiled 6 times. At 2,000 its function is 25 parts of at most 1,261 bytes
     * instead of 6 of up to 2,542, and the VDBE's nest is byte for byte what it was. Whole processes
     * against 7,000 (medians of 10 interleaved pairs, new over old, load average 9 to 20):
     * {@code sqlite3} 0.896 of the CPU time (9 pairs of 10 below 1), 0.880 of the wall time; the SQLite
     * shell, whose {@code func972} lies in a nest and keeps 7,000, 0.965 and 0.980 of the CPU in two
     * runs, 1.017 and 0.960 of the wall time (an A/A run of {@code sqlite3}: 1.04); on the idle
     * machine (8 and 10 pairs) {@code sqlite3} 0.827 and the shell 0.987, blind-sig 0.948, richards
     * 0.966, the other short programs whose loops it plans anew within their noise. Session 23's
     * 2,000 for every part ({@link #SPLIT_METHOD}) gained {@code sqlite3} as much and lost the shell
     * 9%. A region of SIMD work ({@link #SIMD_LOOP} instructions or more) keeps {@link #SPLIT_METHOD}:
     * cut at 2,000, blake3-simd's vectorised loops became parts passing their {@code v128} values
     * as pairs of {@code long}s, 1.078 of the CPU (30 pairs); kept whole, 1.003 of the session
     * start's. The benchmarks README ("Smaller parts of loops") has the figures. It applies to split
     * functions only: a function that fits one method keeps its loops in it, however large the
     * method. Planning those at this budget too (31 to 44 functions each of regex,
     * rust-html-rewriter and rust-compression split) gained no Rust program beyond the spread and
     * cost rust-json 1.17 of the wall time (benchmarks README, "The Rust programs' interpreted time").
     */
    public static final int SPLIT_LOOP_METHOD = 2000;

    /**
     * The bytecode of a group of states of a nest run as a state machine, below {@link #SPLIT_METHOD}:
     * the first state of a group to run after C2 compiled it makes C2 compile all of the group
     * again; the figures are in {@code GroupDispatch}. At 800,
     * SQLite's nests of many small groups made C1 and C2 compile more of everything else.
     */
    public static final int STATE_GROUP_METHOD = 2000;

    /**
     * The bytecode of a generated dispatcher (a {@code call_indirect} switch, a range dispatch): its
     * size is counted exactly, so it needs less room than {@link #SPLIT_METHOD}, and being far under
     * {@link #HUGE_METHOD} keeps it cheap for C1.
     */
    public static final int DISPATCH_METHOD = 6000;

    /**
     * The bytecode after which a method of instantiation steps (data, elements, exports) takes no
     * more: a step is far smaller than the rest of {@link #HUGE_METHOD}.
     */
    public static final int STEP_METHOD = 4000;

    /** A class file's most constant pool entries: {@code constant_pool_count} is a u2. */
    public static final int MAX_CONSTANT_POOL = 65_535;

    /** The most bytes of one string constant: a {@code CONSTANT_Utf8}'s length is a u2. */
    public static final int MAX_UTF8_BYTES = 65_535;

    /** A JVM method's most local variable slots: {@code max_locals} is a u2, which ASM would silently truncate. */
    public static final int MAX_LOCAL_SLOTS = 65_535;

    /**
     * The calls a method may make, weighed by {@link #callWeight}. C1's linear scan allocator splits
     * every value live across a call into a new interval; a method of a few hundred calls among
     * dozens of live locals runs out of virtual registers, and C1 gives up on it ("out of virtual
     * registers in linear scan"), leaving it interpreted until C2 compiles it. SQLite's largest
     * split parts failed with 286 to 411 calls and compiled with this bound.
     */
    public static final int MAX_CALLS = 192;

    /**
     * The iterations an outlined loop runs per call before it returns to be called again
     * ({@code OutlinedCalls.resumable}), so that HotSpot compiles it as a method rather than on
     * stack replacement (OSR). In C1's profiled code (tier 3) the policy decides on a C2 compilation
     * at counter notifications: it requests the method's once it has been called 600 times with
     * 15,000 calls and backward branches in all, and an OSR compilation once the backward branches
     * reach 40,000 (both thresholds scaled alike by C2's queue), whichever comes first, and no other
     * while one waits. A state machine's loop takes two backward branches an iteration (back to the
     * dispatcher, then to the loop's header), so at 64 iterations a call SQLite's bytecode
     * interpreter loop reached 40,000 backward branches after 312 calls and was compiled twice on
     * stack replacement, at each header, before its method: three C2 compilations of it, each made
     * not entrant by every uncommon trap in it. At 16 its method comes first (after 600 calls,
     * 19,200 backward branches) and a running call reaches that code within 16 iterations. A call
     * costs the loop's locals a round trip through the frame, which its body, large enough to be
     * outlined, dwarfs at one call per 16 iterations.
     *
     * <p>Measured and not kept: a budget that grows to 1,024 iterations after a loop method's first
     * 4,096 calls, when HotSpot has compiled it (a saturating count per loop in a static field of
     * the frame class): neutral on every program with resumable loops (the SQLite shell 0.94 to
     * 1.05 of the CPU in four runs of 8 to 10 pairs). With it, outlining every innermost loop of 300
     * bytes of wasm or more however small its function still lost on tinygo-regex (1.16 and 1.30 of
     * the CPU; 1.27 with 1,024 iterations from the first call): the cost is each entry into a loop of
     * a function entered over and over (the frame, the locals both ways, a call C2 does not inline),
     * not the returns. Measured and not kept either (session 18): such a loop, in a function that
     * fits one method, kept in place as well and its outlined copy called only on the function's
     * first 256 entries (a branch-free count in a static field of the frame class). The copies were
     * compiled as methods early (shootout-xchacha20's at tier 4 at 121 ms, against OSR at 201 ms)
     * and no trap fell on the count, but tinygo-regex still lost (1.05 to 1.09 of the CPU, an A/A
     * run 1.02), by the code of twins it never called often enough to compile: the loop twice and
     * the call. Kept (session 18): the rule restricted to functions that do not fit one method
     * ({@link #LARGE_LOOP}), whose method already has a frame; tinygo-regex's {@code func242} keeps
     * its loop (its bytecode unchanged) and the program is 0.975 and 0.992 of the CPU, regex 0.95 to
     * 1.00, the other changed programs 0.94 to 1.01 (an A/A run spreads 1.02 to 1.03). The
     * benchmarks' README ("Short programs") has the figures.
     */
    public static final int RESUME_ITERATIONS = 16;

    /**
     * The SIMD instructions that compute (those without a memarg, counted with the loops inside) for
     * which a loop is outlined as a resumable method ({@link #RESUME_ITERATIONS}) however small its
     * function: a SIMD kernel's loop runs once per call of a function called once, interpreted until
     * on-stack replacement, about a hundred milliseconds per kernel, where a method is compiled after
     * its first few hundred calls. At 4, intgemm's quantisation and multiply loops all qualify.
     */
    public static final int SIMD_LOOP = 4;

    /**
     * The wasm bytes of a loop that holds no other loop for which it is outlined as a resumable
     * method ({@link #RESUME_ITERATIONS}) in a function that is split anyway, whose method is
     * already a set of parts with a frame (in a function entered once, from {@link #ONCE_LOOP}).
     * HotSpot compiles a loop of a method entered once on stack replacement, after some 60,000
     * backward branches at tier 0 however long an iteration: a loop of a few hundred bytes of wasm
     * runs a thousand bytecodes or more an iteration, and a short program spends its first tenths
     * of a second interpreting it (Sightglass regex: 80% of its program thread's samples in
     * interpreted frames, its hot loops compiled on stack replacement 250 to 320 ms after the
     * start). As a method it is compiled after a few hundred calls of 16 iterations. A loop around
     * other loops is left where it is: its inner loops are what iterate, and they are compiled on
     * stack replacement within it all the same, while its method would cost C2 a compilation more
     * (Sightglass rust-compression, which outlined such loops too: 1.15 and 1.18 of the CPU time in
     * two runs of paired whole processes, its C2 time 0.26 to 0.38 s against 0.22). Any other
     * function that fits one method keeps its loops: outlined, one entered over and over paid a
     * frame, its locals both ways and a call at each entry (tinygo-regex 1.16 to 1.50 of the CPU;
     * {@link #RESUME_ITERATIONS} has the figures). {@link EnteredOnce} has the figures of functions
     * entered once.
     */
    public static final int LARGE_LOOP = 300;

    /**
     * The wasm bytes of a loop that holds no other loop for which it is outlined as a resumable
     * method in a function entered once ({@link EnteredOnce}) that fits one method, for the reason
     * of {@link #LARGE_LOOP}: its loops would run in the interpreter until on-stack replacement. At
     * 200 bytes four programs' jars change, shootout-base64 0.88 to 0.89 of the CPU time, the others
     * 0.97 to 1.01; 100 bytes reached the kernels' loops, which do too little in an iteration for the
     * call (matmul 1.11, listchase 1.23). {@link EnteredOnce} has the figures.
     *
     * <p>Measured and not kept (session 28): the loops left in such a function made to take 4 (or 8)
     * backward branches an iteration, a chain of backward {@code goto}s before the body, so that the
     * interpreter reaches the on-stack replacement threshold that many times sooner. Richards 0.89 to
     * 1.03 of the wall time and 0.97 to 0.98 of the CPU, shootout-memmove 1.04 to 1.06 / 1.03 to
     * 1.07, matmul 1.33 / 1.18 to 1.30, bytescan 1.14 to 1.36 / 1.21 to 1.23 (12 to 20 pairs): the
     * OSR compilation lands at whichever relay the count crosses at, so one loop is compiled at two
     * neighbouring bcis, and C2 no longer sees the chained loops as counted loops (it peels them
     * partially). The benchmarks README ("Loops of functions entered once weighed by a chain of
     * backward jumps") has the figures.
     */
    public static final int ONCE_LOOP = 200;

    /**
     * What instruction {@code opcode}, a call or an instruction with a memarg, weighs against
     * {@link #MAX_CALLS}: a load or store (a call of its {@code MemoryAccess} helper) and a call one,
     * an atomic access two. An atomic access is an
     * inline var handle access, which C1 inlines whatever the method's size (the handle's code is
     * {@code @ForceInline}), with branches and an array read; hundreds in one method made C1's range
     * check elimination, which recurses along the dominator tree, overflow the compiler thread's
     * stack and kill the JVM, so a method holds at most 96 of them.
     */
    public static int callWeight(int opcode) {
        return Opcodes.prefix(opcode) == Opcodes.PREFIX_ATOMIC ? 2 : 1;
    }

    /**
     * The calls that SIMD instruction {@code opcode}, one without a memarg, makes in generated code
     * ({@code SimdEmitter}'s lowering, which reports the same count as it emits them): one helper
     * call a half for most, none for those that are bytecode, one for a whole-vector test, and six
     * for an i16x8 or i32x4 extended multiply. They weigh against {@link #MAX_CALLS} like any call:
     * unweighed, a function of SIMD helpers under {@link #HUGE_METHOD} bytes went unsplit with 366
     * calls, and C1 gave up on it ("out of virtual registers in linear scan").
     */
    public static int simdCallWeight(int opcode) {
        // A relaxed instruction weighs what the 2.0 instruction it is lowered as weighs.
        return switch (SimdOpcodes.deterministic(opcode)) {
            case V128_NOT, V128_AND, V128_ANDNOT, V128_OR, V128_XOR, V128_BITSELECT,
                 I8X16_ADD, I8X16_SUB, I16X8_ADD, I16X8_SUB, I32X4_ADD, I32X4_SUB, I64X2_ADD, I64X2_SUB, I64X2_MUL,
                 I8X16_NEG, I16X8_NEG, I32X4_NEG, I64X2_NEG, I8X16_ABS, I16X8_ABS, I8X16_AVGR_U, I16X8_AVGR_U,
                 I16X8_EXTADD_PAIRWISE_I8X16_U, I32X4_EXTADD_PAIRWISE_I16X8_U, I32X4_MUL,
                 F32X4_ABS, F32X4_NEG, F64X2_ABS, F64X2_NEG,
                 I8X16_SHL, I8X16_SHR_U, I16X8_SHL, I16X8_SHR_U, I32X4_SHL, I32X4_SHR_U, I32X4_SHR_S,
                 I64X2_SHL, I64X2_SHR_S, I64X2_SHR_U,
                 I8X16_SPLAT, I16X8_SPLAT, I32X4_SPLAT, I64X2_SPLAT, F64X2_SPLAT,
                 I64X2_EXTEND_LOW_I32X4_S, I64X2_EXTEND_HIGH_I32X4_S, I64X2_EXTEND_LOW_I32X4_U, I64X2_EXTEND_HIGH_I32X4_U,
                 I64X2_EXTMUL_LOW_I32X4_S, I64X2_EXTMUL_HIGH_I32X4_S, I64X2_EXTMUL_LOW_I32X4_U, I64X2_EXTMUL_HIGH_I32X4_U -> 0;
            case F32X4_SPLAT, V128_ANY_TRUE, I8X16_ALL_TRUE, I16X8_ALL_TRUE, I32X4_ALL_TRUE, I64X2_ALL_TRUE,
                 I8X16_BITMASK, I16X8_BITMASK, I32X4_BITMASK, I64X2_BITMASK,
                 F32X4_DEMOTE_F64X2_ZERO, I32X4_TRUNC_SAT_F64X2_S_ZERO, I32X4_TRUNC_SAT_F64X2_U_ZERO -> 1;
            case I16X8_EXTMUL_LOW_I8X16_S, I16X8_EXTMUL_HIGH_I8X16_S, I16X8_EXTMUL_LOW_I8X16_U, I16X8_EXTMUL_HIGH_I8X16_U,
                 I32X4_EXTMUL_LOW_I16X8_S, I32X4_EXTMUL_HIGH_I16X8_S, I32X4_EXTMUL_LOW_I16X8_U, I32X4_EXTMUL_HIGH_I16X8_U -> 6;
            default -> 2;
        };
    }

    /**
     * The JVM local or operand stack slots a value of wasm type {@code t} takes, in which the JVM's
     * limits on parameters and locals count: a {@code long} or {@code double} takes two, and a
     * {@code v128} is two {@code long}s.
     */
    public static int slots(ValType t) {
        return switch (t) {
            case I64, F64 -> 2;
            case V128 -> 4;
            default -> 1;
        };
    }

    /**
     * Entries of the largest {@code br_table} emitted as one {@code tableswitch}, at 4 bytes of
     * bytecode each: a larger one would take most of a split method's budget, so it looks its label
     * up in a static {@code int[]} map instead.
     */
    public static final int MAX_INLINE_TABLE = 1024;

    /** About how much bytecode a {@code br_table} of {@code entries} entries takes, besides its branches. */
    public static int brTableCode(int entries) {
        return entries <= MAX_INLINE_TABLE ? 16 + 4 * entries : 32;
    }
}
