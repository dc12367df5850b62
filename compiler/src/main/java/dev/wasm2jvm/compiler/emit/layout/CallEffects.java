package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.module.CodeEffects;
import dev.wasm2jvm.compiler.module.Export;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.Import;
import dev.wasm2jvm.compiler.module.WasmModule;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * What a call of each defined function can lead to, from the module's graph of direct calls: whether
 * the function can run again before it returns (so its entry needs a termination poll); and whether
 * the module's code polls for termination at all.
 *
 * <p><b>No polls in a single-threaded command.</b> A poll lets a thread stop when its program is
 * ended from elsewhere (the runtime's {@code Termination}). Two things request that: the runtime,
 * when a wasi-threads program that has spawned a thread ends ({@code threads.WasiThreads.terminate}),
 * and an embedder holding the instance's {@code Imports}, which may end a module's code at a time
 * limit (the spec runner and the fuzzer do). A WASI command ({@link WasmModule#commandStart}) is a
 * program: its jar's {@code main} or {@code wasm2jvm run} runs {@code _start} and nothing else holds
 * its imports. A wasi-threads program's threads run fresh instances of the module that exports
 * {@code wasi_thread_start}, spawned through the import {@code wasi} {@code thread-spawn}, and they
 * share nothing but shared memory; the spec's {@code thread} scripts likewise share modules whose
 * memories are shared. So every module polls but a command that no other thread can be running when
 * its program ends: one that neither imports {@code thread-spawn}, nor exports
 * {@code wasi_thread_start}, nor has a shared memory, imported or defined
 * ({@code inThreadedProgram}). Its trap or {@code proc_exit} unwinds its one thread, so it needs no
 * poll; an embedder that runs such a command's {@code _start} itself cannot stop it by a request.
 *
 * <p>What it saves is the interpreter's call of {@code getTarget} at every poll (C2 folded the poll
 * away), and a short program runs its loops interpreted for much of its time. Jars without polls
 * against the session start's (whole processes, medians of 12 pairs, CPU new / old, load average 12
 * to 15): Sightglass regex 0.941, rust-compression 0.980, pulldown-cmark 0.980, shootout-keccak
 * 0.959, richards 0.992, libsodium-chacha20 1.007, rust-html-rewriter 1.066, the C kernels matmul
 * 1.013 and inthash 1.040; the load made the spread wide. The program thread's CPU (async-profiler
 * samples, 8 to 10 pairs, load 7 to 11): regex 0.886, rust-compression 0.945, rust-html-rewriter
 * 0.929, pulldown-cmark 1.030 and 0.963 in two runs (the benchmarks' README, "Termination polls only
 * where a thread can be stopped"). An earlier session's upper bound, jars without loop polls,
 * was 0.85 for rust-compression, 0.95 for pulldown-cmark and 0.97 for regex.
 *
 * <p>In a module that polls, a call to an import or through a table ({@code call_indirect},
 * {@code return_call_indirect}) can reach any function and any host code, so it counts as doing both.
 * Every cycle of calls then passes a function that polls on entry: a cycle of direct calls lies
 * inside one strongly connected component, whose functions all poll, and any other cycle leaves some
 * function through an import or a table, and that function polls. Loops poll at their headers, so no
 * thread runs on unbounded without passing a poll, which is all {@code ControlEmitter.pollTermination}
 * promises. A function outside every cycle (most small ones: accessors, arithmetic, {@code memcpy})
 * skips the call, which cost the interpreter a call per entry and made the method 5 bytes longer,
 * against C1's and C2's 35-byte limit for inlining a method that is not hot.
 *
 * <p>A function that never loads or stores memory never caches memory 0's {@code Memory} at all
 * ({@link #accessesMemory}). One that does caches it once, at entry: the object never changes, only
 * its contents, so no call needs it reloaded (which calls can grow a memory was followed here
 * before the access helpers took the {@code Memory} instead of its segment).
 */
public final class CallEffects {
    private final int imported;
    private final boolean pollsAtLoopHeaders;
    private final BitSet polls;
    private final BitSet accessesMemory;
    private final BitSet tailCalls;
    private final BitSet simdWork;

    private CallEffects(int imported, boolean pollsAtLoopHeaders, BitSet polls, BitSet accessesMemory,
                        BitSet tailCalls, BitSet simdWork) {
        this.imported = imported;
        this.pollsAtLoopHeaders = pollsAtLoopHeaders;
        this.polls = polls;
        this.accessesMemory = accessesMemory;
        this.tailCalls = tailCalls;
        this.simdWork = simdWork;
    }

    /** Whether the module's loops poll for termination at their headers: all but a single-threaded command's do. */
    public boolean pollsAtLoopHeaders() {
        return pollsAtLoopHeaders;
    }

    /**
     * Whether function {@code funcidx}, a defined one, must poll for termination on entry: it is on a
     * cycle of calls in a module whose loops poll.
     */
    public boolean pollsOnEntry(int funcidx) {
        return polls.get(funcidx - imported);
    }

    /**
     * Whether function {@code funcidx}, a defined one, loads or stores linear memory, which reads
     * memory 0's cached {@code Memory}; one that does not (bulk memory instructions read the
     * memory's field) need not load it on entry.
     */
    public boolean accessesMemory(int funcidx) {
        return accessesMemory.get(funcidx - imported);
    }

    /**
     * Whether function {@code funcidx}, a defined one, makes tail calls ({@code return_call},
     * {@code return_call_indirect}), as its {@link CodeEffects} say.
     */
    boolean makesTailCalls(int funcidx) {
        return tailCalls.get(funcidx - imported);
    }

    /**
     * Whether function {@code funcidx}, a defined one, has at least {@link JvmLimits#SIMD_LOOP} SIMD
     * instructions that compute (those without a memory access: shuffles, lane and other prefixed
     * operations), as a loop of SIMD work must ({@code split.RegionScanner.holdsSimdLoop}, which
     * then need not decode the others), as its {@link CodeEffects} count them.
     */
    public boolean mayHoldSimdLoop(int funcidx) {
        return simdWork.get(funcidx - imported);
    }

    /** From each defined function's {@link CodeEffects}, which validation found. */
    static CallEffects of(WasmModule module) {
        int imported = module.importCount(ExternKind.FUNC);
        List<FunctionBody> codes = module.codes();
        int n = codes.size();
        int[][] callees = new int[n][];
        BitSet escapes = new BitSet(n);
        BitSet accessesMemory = new BitSet(n);
        BitSet tailCalls = new BitSet(n);
        BitSet simdWork = new BitSet(n);
        for (int f = 0; f < n; f++) {
            CodeEffects effects = codes.get(f).effects();
            int[] called = effects.callees();
            int defined = 0;
            for (int funcidx : called) {
                if (funcidx >= imported) called[defined++] = funcidx - imported;
            }
            callees[f] = defined == called.length ? called : Arrays.copyOf(called, defined);
            // A call to an import or through a table can reach anything.
            boolean escaped = effects.callsIndirect() || defined < called.length;
            if (escaped) escapes.set(f);
            if (effects.accessesMemory()) accessesMemory.set(f);
            if (effects.tailCalls()) tailCalls.set(f);
            if (effects.simdWork() >= JvmLimits.SIMD_LOOP) simdWork.set(f);
        }
        boolean polling = module.commandStart() < 0 || inThreadedProgram(module);
        BitSet polls = new BitSet(n);
        if (polling) {
            polls.or(inCycles(callees));
            polls.or(escapes);
        }
        return new CallEffects(imported, polling, polls, accessesMemory, tailCalls, simdWork);
    }

    /**
     * Whether another thread can be running the module's code when its program ends: the module
     * spawns wasi-threads threads (imports {@code wasi} {@code thread-spawn}), runs as one
     * ({@code wasi_thread_start} exported), or has a shared memory, imported or defined, through
     * which it can take part in a threaded program.
     */
    static boolean inThreadedProgram(WasmModule module) {
        for (Import imp : module.imports()) {
            boolean threadSpawn = imp.module().equals("wasi") && imp.name().equals("thread-spawn");
            if (imp.kind() == ExternKind.FUNC && threadSpawn) return true;
        }
        for (Export e : module.exports()) {
            if (e.kind() == ExternKind.FUNC && e.name().equals("wasi_thread_start")) return true;
        }
        for (int memidx = 0; memidx < module.memoryCount(); memidx++) {
            if (module.memoryType(memidx).limits().shared()) return true;
        }
        return false;
    }

    /**
     * The functions on a cycle of direct calls: those in a strongly connected component of more than
     * one function, or calling themselves. Tarjan's algorithm, iterative since call chains of
     * generated code can be deeper than the Java stack.
     */
    static BitSet inCycles(int[][] callees) {
        int n = callees.length;
        int[] index = new int[n];
        int[] low = new int[n];
        Arrays.fill(index, -1);
        BitSet onStack = new BitSet(n);
        int[] stack = new int[n];
        int top = 0;
        int[] work = new int[n];
        int[] next = new int[n];
        BitSet cyclic = new BitSet(n);
        int counter = 0;
        for (int root = 0; root < n; root++) {
            if (index[root] >= 0) continue;
            int depth = 0;
            work[depth++] = root;
            index[root] = low[root] = counter++;
            stack[top++] = root;
            onStack.set(root);
            while (depth > 0) {
                int v = work[depth - 1];
                if (next[v] < callees[v].length) {
                    int w = callees[v][next[v]++];
                    if (w == v) {
                        cyclic.set(v);
                    } else if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack[top++] = w;
                        onStack.set(w);
                        work[depth++] = w;
                    } else if (onStack.get(w)) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                depth--;
                if (depth > 0) {
                    int parent = work[depth - 1];
                    low[parent] = Math.min(low[parent], low[v]);
                }
                if (low[v] == index[v]) {
                    int size = 0;
                    int first = top;
                    int w;
                    do {
                        w = stack[--top];
                        onStack.clear(w);
                        size++;
                    } while (w != v);
                    if (size > 1) for (int i = top; i < first; i++) cyclic.set(stack[i]);
                }
            }
        }
        return cyclic;
    }
}
