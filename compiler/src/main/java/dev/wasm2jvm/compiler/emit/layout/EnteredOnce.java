package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.LoopNesting;
import dev.wasm2jvm.compiler.module.ConstExpr;
import dev.wasm2jvm.compiler.module.ElemSegment;
import dev.wasm2jvm.compiler.module.Export;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.Global;
import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.BitSet;

/**
 * The defined functions entered at most once per instance, from the module's graph of direct calls:
 * the start function, a command's {@code _start: [] -> []} (which {@code wasiStart} calls once), and
 * a function whose every entry is a direct call ({@code call} or {@code return_call}) outside any
 * loop of a caller itself entered once, one such call in all. A C program's {@code main}, the
 * {@code __original_main} clang calls it from, and the functions LLVM leaves called once are such
 * functions; a loop in one runs in the interpreter until HotSpot compiles it on stack replacement,
 * after some 60,000 backward branches, where a loop method is compiled after a few hundred calls
 * ({@code split.FunctionPlanner} outlines their innermost loops of {@link JvmLimits#ONCE_LOOP} bytes
 * or more, where a split function's are {@link JvmLimits#LARGE_LOOP}).
 *
 * <p>Nothing else is: a function that is exported (the host may call it any number of times), in an
 * element segment or named by a {@code ref.func} of a global's initialiser (a {@code call_indirect},
 * a {@code call_ref} or the host through a table may reach it; a {@code ref.func} in code must name
 * a function so declared), on a cycle of direct calls or called from one (recursion), called in a
 * loop, from two call sites, or from a function entered more than once. A wrong answer would only
 * cost speed, but a loop method of a function entered over and over pays a frame and a call at each
 * entry (tinygo-regex 1.16 to 1.50 of the CPU time, its {@code func242}; the benchmarks' README,
 * "Short programs").
 *
 * <p>The callers are visited in topological order of the graph (Kahn's algorithm, which never
 * reaches a function on a cycle or after one), and only the bodies of functions entered once are
 * read again, for whether each call is inside a loop: a few functions of a module, not its code.
 *
 * <p>Measured (session 19, paired whole processes against the compiler before, {@code java -jar},
 * medians new / old of wall and CPU time, load average 7 to 11, where an A/A run gave 0.997 /
 * 1.018): of 44 programs, kernels and the SQLite shell, 5 change at {@link JvmLimits#LARGE_LOOP}.
 * Over three runs of 16 and 30 pairs, shootout-xchacha20 0.80 to 0.88 / 0.87 to 0.88, -xblabla20
 * 0.83 to 0.90 / 0.92 to 0.94, -gimli 0.77 to 0.82 / 0.86 to 0.93, -ratelimit 0.66 to 0.83 / 0.72
 * to 0.79, blake3-simd 0.96 to 1.40 / 1.02 to 1.03 (its {@code func15}'s loop never gets hot):
 * their rounds loops compiled as methods at tier 4 within 1 to 80 ms of tier 3 (xchacha20's
 * {@code func6$loop_387} at 345 ms), where before they waited for on-stack replacement. Tinygo-regex,
 * the kernels, richards, keccak and the libsodium programs keep their code. Measured and not kept:
 * 100 bytes for functions entered once, which reaches the kernels' loops in {@code main}: matmul
 * 1.155 / 1.108, listchase 1.280 / 1.225, inthash 1.128 / 1.025 (16 pairs) for quicksort 0.770 /
 * 0.912 and richards 1.051 / 0.952: a loop of 100 to 200 bytes does too little in 16 iterations
 * for the return and its locals' round trip through the frame.
 *
 * <p>{@link JvmLimits#ONCE_LOOP}, 200 bytes (session 19, against 300 for all, load average 1 to 3,
 * outputs identical): of 44 programs, kernels and the SQLite shell, 4 jars change, each by one loop
 * method: bytescan's {@code func6$loop_1b9} (its {@code main}), shootout-base64's
 * {@code func7$loop_459}, tinygo-json's {@code _start$loop_149c7} and tinygo-regex's
 * {@code _start$loop_d495}. In two runs of 16 and 30 pairs: shootout-base64 0.893 / 0.884 and
 * 0.967 / 0.894, bytescan 0.983 / 1.011 and 0.985 / 0.986, tinygo-json 1.025 / 1.012 and 1.004 /
 * 1.000, tinygo-regex 1.008 / 0.996 and 0.987 / 0.968. Richards' and blake3-simd's jars, which
 * changed in an earlier try, are identical: their loops are outlined already.
 */
public final class EnteredOnce {
    /** Entries counted up to this: more than once. */
    private static final int MANY = 2;

    private final int imported;
    private final BitSet once;

    private EnteredOnce(int imported, BitSet once) {
        this.imported = imported;
        this.once = once;
    }

    /** Whether function {@code funcidx} is defined and entered at most once per instance. */
    public boolean test(int funcidx) {
        return funcidx >= imported && once.get(funcidx - imported);
    }

    /** The functions of {@code module} entered once, from each defined function's direct callees. */
    static EnteredOnce of(WasmModule module) {
        int imported = module.importCount(ExternKind.FUNC);
        int n = module.codes().size();
        int[] entries = new int[n];
        BitSet referenced = new BitSet(n);
        int command = module.commandStart();
        for (Export e : module.exports()) {
            if (e.kind() != ExternKind.FUNC || e.index() < imported) continue;
            if (e.index() == command && e.name().equals("_start")) entries[e.index() - imported] += 1;
            else referenced.set(e.index() - imported);
        }
        if (module.start() >= imported) entries[module.start() - imported] += 1;
        RefFuncs refs = new RefFuncs(imported, referenced);
        for (ElemSegment segment : module.elements()) {
            for (ConstExpr init : segment.init()) CodeReader.read(init.code(), init.offset(), refs);
        }
        for (Global global : module.globals()) CodeReader.read(global.init().code(), global.init().offset(), refs);
        for (int f = referenced.nextSetBit(0); f >= 0; f = referenced.nextSetBit(f + 1)) entries[f] = MANY;

        int[][] callees = new int[n][];
        int[] callers = new int[n];
        for (int f = 0; f < n; f++) {
            callees[f] = module.codes().get(f).effects().callees();
            for (int funcidx : callees[f]) {
                if (funcidx >= imported) callers[funcidx - imported]++;
            }
        }
        // Kahn's algorithm: a function is visited once all its call sites have been, so its count
        // of entries is final; one on a cycle, or called from one, is never visited.
        int[] ready = new int[n];
        int head = 0;
        int tail = 0;
        for (int f = 0; f < n; f++) {
            if (callers[f] == 0) ready[tail++] = f;
        }
        BitSet once = new BitSet(n);
        while (head < tail) {
            int f = ready[head++];
            if (entries[f] == 1) {
                once.set(f);
                CodeReader.read(module.codes().get(f).code(), module.codes().get(f).offset(), new CallSites(imported, entries));
            } else if (entries[f] == MANY) {
                for (int funcidx : callees[f]) {
                    if (funcidx >= imported) entries[funcidx - imported] = MANY;
                }
            }
            for (int funcidx : callees[f]) {
                if (funcidx >= imported && --callers[funcidx - imported] == 0) ready[tail++] = funcidx - imported;
            }
        }
        return new EnteredOnce(imported, once);
    }

    /** Marks the defined functions that a {@code ref.func} of the expressions read names. */
    private static final class RefFuncs extends InstructionScanner {
        private final int imported;
        private final BitSet referenced;

        RefFuncs(int imported, BitSet referenced) {
            this.imported = imported;
            this.referenced = referenced;
        }

        @Override
        public void visitRefFunc(int funcidx) {
            if (funcidx >= imported) referenced.set(funcidx - imported);
        }
    }

    /**
     * Reads the body of a function entered once: each defined function it calls directly is entered
     * once more, or {@link #MANY} times if the call is inside a loop.
     */
    private static final class CallSites extends LoopNesting {
        private final int imported;
        private final int[] entries;

        CallSites(int imported, int[] entries) {
            this.imported = imported;
            this.entries = entries;
        }

        @Override
        public void visitCall(int funcidx) {
            if (funcidx < imported) return;
            int callee = funcidx - imported;
            entries[callee] = inLoop() ? MANY : Math.min(MANY, entries[callee] + 1);
        }
    }
}
