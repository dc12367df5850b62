package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.Instructions;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.LADD;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.DUP_X2;
import static org.objectweb.asm.Opcodes.POP;

/**
 * Loads and stores ({@code i32.load}, {@code i64.store8}, ...) as calls of the runtime's
 * {@code MemoryAccess} helpers on the {@code Memory} (that class says why a call and not an inline
 * var handle access), and the {@code memory.*} / {@code data.drop} instructions as calls to the
 * runtime's {@code Memory}.
 *
 * <p>A load of {@code memarg.offset} from address {@code a} reads the memory's contents at the
 * {@code long} offset {@code zext(a) + memarg.offset}, so the whole 4 GiB address space is reachable
 * and an address past the end fails the helper's bounds check.
 *
 * <p><b>Memory 0's {@code Memory} in a local.</b> A method that accesses memory loads memory 0's
 * {@code Memory} from the instance once, at its entry ({@link #cacheMemory}), and passes it to every
 * access, whose helper reads the current address and length from its fields. The object never
 * changes, only what it holds, so nothing reloads it: not a call, nor {@code memory.grow}. The local
 * held the memory's segment before, reloaded after every call that could grow a memory and every
 * group of states of a split function; C2's code then took, after each call, the instance's field,
 * the memory's, the class check of the segment (an interface, whose implementation C2 guards by the
 * profile) and its two fields (the runtime's {@code MemoryAccess} has the figures).
 *
 * <p>Several memories (multi-memory): memory 0's {@code Memory} is cached in a local as with one
 * memory; another memory's is read from its field at each access, one more field load. A 64-bit
 * memory (memory64) has i64 addresses and sizes: its accesses call the {@code MemoryAccess64} twins
 * of the helpers with a u64 offset and the memory's {@code Memory}, and its {@code memory.*}
 * instructions the runtime's i64 overloads.
 *
 * <p><b>Bounds checks in loops: what was measured, and why the shape has not changed.</b> Three
 * things keep C2 from hoisting the helpers' checks out of a loop and from unrolling it: (1) clang
 * ends a loop of known trip count with {@code br_if} on {@code i32.ne} ({@code i += 16; if (i !=
 * 4096) continue}), and C2 counts a loop whose exit test is {@code !=} only for a stride of 1 or -1
 * ({@code condition_stride_ok} in HotSpot's {@code loopnode.cpp}); (2) the helpers check the
 * {@code long} {@code zext(a) + offset}, which is not of the {@code iv * scale + invariant} form
 * range check elimination needs, where the {@code int} address (wasm's {@code i32.add}) checked
 * against the room the offset leaves would be; (3) the segment cached in a local, reloaded after
 * calls, is a value C2 cannot see through at the entry of a loop compiled on stack replacement (so
 * it was when this was measured; the helpers now read the cached {@code Memory}'s fields at each
 * access, the "field read" variant below, and these figures were not taken again).
 * {@code LoopAccessBenchmark} ({@code benchmarks/access.sh loops}) runs matmul's multiply written as
 * this class emits it, each variant in each tier (the README has the table). Thread CPU ms per
 * 512 x 512 round, C2 only, loops in {@code main} / in a called method: as emitted ({@code long}
 * check, local, {@code !=}) 105 / 149; {@code int} check, field read at each access, {@code <} then
 * {@code >} latch 45 / 45; the same with the local 132 / 46; with the {@code !=} latch 90 / 80. C1
 * takes 1,600 to 1,850 and the interpreter (a 64th of the work) 1,200 to 1,700 whatever the variant.
 * So the three changes together halve C2's time, and the cache costs only in loops compiled on
 * stack replacement. Whole processes tell otherwise, because most of a program's time is spent
 * before C2's code runs, where a field read is two loads per access against one and four bytes
 * more per access: the three changes against this class as it is (idle machine, 5 pairs, CPU):
 * matmul 0.78, bytescan 1.16, inthash 1.03, listchase 1.12; the latch alone made bytescan 1.22,
 * the {@code int} check alone 0.77; the {@code int} check and the field read without the latch
 * made matmul 1.12 and bytescan 0.84; under load, the SQLite shell 1.10 and shootout-matrix 1.14.
 * Splitting the latch only after a step other than ±1 lost matmul's gain (1.17). The {@code int}
 * check and that latch with the cache kept, against this class (5 pairs, CPU): matmul 1.03,
 * bytescan 1.09, inthash 1.02, listchase 1.05; the {@code int} check alone with the cache: matmul 1.31,
 * bytescan 0.95. No combination made the programs faster as whole processes, so the access keeps
 * this shape; what would pay is C2's code arriving sooner, or a cheaper access before it does.
 * Session 24 made the latch one ordered jump where an analysis proved it equivalent to {@code !=}
 * (the same single jump for the interpreter and C1) with the {@code int} check: C2 compiled matmul's
 * inner loop to 16 multiply-adds an iteration without checks or poll, and matmul took 0.61 to 0.70
 * of the CPU (12 to 20 pairs, load 3.4 to 19), but Sightglass shootout-matrix 1.27 and
 * shootout-sieve 1.13. With the {@code int} check only in the loops made counted and the
 * {@code long} check everywhere else, against this class (interleaved pairs, CPU): matrix 1.26 and
 * 1.24, sieve 1.11 and 1.12 (20 pairs at load 3.4 to 4.2, 12 at 1.5 to 2.1; A/A 1.02 and 0.97),
 * against 1.05 and 0.92 with the latch alone: the {@code int} check costs in the loops C2 counts
 * too, and matmul's gain did not hold (0.70, then 1.14 and 1.00 at load 1.2 to 2.1, each pair
 * anywhere from 0.56 to 1.40: the gain is in C2's loop, and its code arrives late or early). So
 * the latch and the check stay as they are ({@code benchmarks/README.md}, "Counted loops for C2").
 * A guard region in place of a check per access (a reserved mapping whose tail faults) would need
 * the JVM to turn a fault of an {@code Unsafe} access into an exception, which it does only for its
 * own implicit null checks: a fault would end the process.
 */
public final class MemoryEmitter {
    /**
     * The {@code UncheckedAccess} twin of each load's and store's helper, by opcode from
     * {@code i32.load} to {@code i64.store32}: found by name once, not at each proven access (the
     * look-up was 0.2% of the SQLite shell's compiling thread).
     */
    private static final RuntimeRefs.RuntimeMethod[] UNCHECKED = byOpcode(RuntimeRefs::unchecked);
    /** The {@code CompactAccess} helper of each load and store, by opcode as {@link #UNCHECKED}. */
    private static final RuntimeRefs.RuntimeMethod[] COMPACT = byOpcode(helper -> RuntimeRefs.compact(helper, false));
    /** The {@code CompactUncheckedAccess} helper of each load and store, by opcode as {@link #UNCHECKED}. */
    private static final RuntimeRefs.RuntimeMethod[] COMPACT_UNCHECKED = byOpcode(helper -> RuntimeRefs.compact(helper, true));

    private final MethodVisitor mv;
    private final ModuleLayout layout;
    private final Locals locals;

    public MemoryEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
    }

    /**
     * Emits a load or store as a call of its {@code MemoryAccess} helper, which takes the wasm
     * operands, the memarg offset and memory {@code memidx}; returns false if
     * {@code opcode} is neither. An access of a 32-bit memory that an earlier access proved in
     * bounds ({@code proven}, {@link ProvenAccesses}) calls its {@code UncheckedAccess} twin; in a
     * body that {@link StraightLine} chose ({@code compact}), its {@code CompactAccess} or
     * {@code CompactUncheckedAccess} twin.
     */
    boolean visitMemoryAccess(int opcode, int memidx, long offset, boolean proven, boolean compact, OperandStack stack) {
        RuntimeRefs.RuntimeMethod helper = helper(opcode);
        if (helper == null) return false;
        int index = opcode - Opcodes.I32_LOAD;
        if (compact && !address64(memidx)) callCompact((proven ? COMPACT_UNCHECKED : COMPACT)[index], memidx, offset);
        else callAccess(proven && !address64(memidx) ? UNCHECKED[index] : helper, memidx, offset);
        apply(stack, type(opcode, memidx));
        return true;
    }

    /**
     * Calls {@code CompactAccess} or {@code CompactUncheckedAccess} helper {@code helper} of a
     * 32-bit memory {@code memidx} with its wasm operands on the stack: the memarg {@code offset},
     * a u32, as a {@code long}, which the helper adds without zero-extending it, and the
     * {@code Memory}.
     */
    void callCompact(RuntimeRefs.RuntimeMethod helper, int memidx, long offset) {
        Push.longConst(mv, offset);
        callOnMemory(helper, memidx);
    }

    /**
     * Calls {@code MemoryAccess} helper {@code helper}, or its {@code MemoryAccess64} twin for a
     * 64-bit memory, with its wasm operands on the stack, the memarg {@code offset} and memory
     * {@code memidx}'s {@code Memory}. An offset 0 is pushed like any other: twins of the 32-bit
     * helpers without the offset parameter made code 1 to 2% smaller but whole processes slower
     * (regex 1.03 of the CPU, rust-html-rewriter 1.07 and 1.04, 16 and 20 pairs; issue 12,
     * session 28, {@code benchmarks/README.md}), likely from twice the helpers for C2 to compile
     * and each access's profile split between two.
     */
    void callAccess(RuntimeRefs.RuntimeMethod helper, int memidx, long offset) {
        if (address64(memidx)) {
            Push.longConst(mv, offset);
            callOnMemory(RuntimeRefs.address64(helper), memidx);
        } else {
            Push.intConst(mv, (int) offset);
            callOnMemory(helper, memidx);
        }
    }

    /** Calls {@code helper} with its operands on the stack and memory {@code memidx}'s {@code Memory}. */
    void callOnMemory(RuntimeRefs.RuntimeMethod helper, int memidx) {
        loadAccessMemory(memidx);
        helper.invoke(mv);
    }

    /** Whether memory {@code memidx} has 64-bit addresses. */
    boolean address64(int memidx) {
        return layout.memoryType(memidx).address64();
    }

    /** The stack type of a memory access or instruction on memory {@code memidx}. */
    FuncType type(int opcode, int memidx) {
        ValType address = layout.memoryType(memidx).addressType();
        return Instructions.of(opcode).type(ValType.I32, address, address);
    }

    /** Replaces the instruction's operands on {@code stack} by its results. */
    private static void apply(OperandStack stack, FuncType type) {
        stack.pop(type.params().size());
        stack.pushAll(type.results());
    }

    /** {@code twin} of each load's and store's helper, by opcode from {@code i32.load} to {@code i64.store32}. */
    private static RuntimeRefs.RuntimeMethod[] byOpcode(UnaryOperator<RuntimeRefs.RuntimeMethod> twin) {
        return IntStream.rangeClosed(Opcodes.I32_LOAD, Opcodes.I64_STORE32)
                .mapToObj(opcode -> twin.apply(helper(opcode)))
                .toArray(RuntimeRefs.RuntimeMethod[]::new);
    }

    /** The {@code MemoryAccess} helper of a load or store, named after it; null for any other instruction. */
    static RuntimeRefs.RuntimeMethod helper(int opcode) {
        return switch (opcode) {
            case Opcodes.I32_LOAD -> RuntimeRefs.I32_LOAD;
            case Opcodes.I64_LOAD -> RuntimeRefs.I64_LOAD;
            case Opcodes.F32_LOAD -> RuntimeRefs.F32_LOAD;
            case Opcodes.F64_LOAD -> RuntimeRefs.F64_LOAD;
            case Opcodes.I32_LOAD8_S -> RuntimeRefs.I32_LOAD8_S;
            case Opcodes.I32_LOAD8_U -> RuntimeRefs.I32_LOAD8_U;
            case Opcodes.I32_LOAD16_S -> RuntimeRefs.I32_LOAD16_S;
            case Opcodes.I32_LOAD16_U -> RuntimeRefs.I32_LOAD16_U;
            case Opcodes.I64_LOAD8_S -> RuntimeRefs.I64_LOAD8_S;
            case Opcodes.I64_LOAD8_U -> RuntimeRefs.I64_LOAD8_U;
            case Opcodes.I64_LOAD16_S -> RuntimeRefs.I64_LOAD16_S;
            case Opcodes.I64_LOAD16_U -> RuntimeRefs.I64_LOAD16_U;
            case Opcodes.I64_LOAD32_S -> RuntimeRefs.I64_LOAD32_S;
            case Opcodes.I64_LOAD32_U -> RuntimeRefs.I64_LOAD32_U;
            case Opcodes.I32_STORE -> RuntimeRefs.I32_STORE;
            case Opcodes.I64_STORE -> RuntimeRefs.I64_STORE;
            case Opcodes.F32_STORE -> RuntimeRefs.F32_STORE;
            case Opcodes.F64_STORE -> RuntimeRefs.F64_STORE;
            case Opcodes.I32_STORE8 -> RuntimeRefs.I32_STORE8;
            case Opcodes.I32_STORE16 -> RuntimeRefs.I32_STORE16;
            case Opcodes.I64_STORE8 -> RuntimeRefs.I64_STORE8;
            case Opcodes.I64_STORE16 -> RuntimeRefs.I64_STORE16;
            case Opcodes.I64_STORE32 -> RuntimeRefs.I64_STORE32;
            default -> null;
        };
    }

    /**
     * {@code memory.size}, {@code memory.grow}, {@code memory.fill} (memory {@code index}),
     * {@code memory.copy} (to memory {@code index} from memory {@code index2}), {@code memory.init}
     * (data segment {@code index} into memory {@code index2}), {@code data.drop} (data segment
     * {@code index}).
     */
    public void visitMemoryInsn(int opcode, int index, int index2, OperandStack stack) {
        switch (opcode) {
            case Opcodes.MEMORY_SIZE -> {
                loadMemory(index);
                (address64(index) ? RuntimeRefs.MEMORY_SIZE64 : RuntimeRefs.MEMORY_SIZE).invoke(mv);
                apply(stack, type(opcode, index));
            }
            case Opcodes.MEMORY_GROW -> {
                loadMemory(index);
                (address64(index) ? RuntimeRefs.MEMORY_GROW64 : RuntimeRefs.MEMORY_GROW).invoke(mv);
                // [at] -> [at]: the operand's entry stands for the result, and the stack's low
                // water mark, which the split planner reads, does not dip.
            }
            case Opcodes.MEMORY_FILL -> {
                loadMemory(index);
                (address64(index) ? RuntimeRefs.MEMORY_FILL64 : RuntimeRefs.MEMORY_FILL).invoke(mv);
                apply(stack, type(opcode, index));
            }
            case Opcodes.MEMORY_COPY -> {
                loadMemory(index);
                if (index == index2 && !address64(index)) {
                    RuntimeRefs.MEMORY_COPY.invoke(mv);
                } else {
                    loadMemory(index2);
                    copyHelper(address64(index), address64(index2)).invoke(mv);
                }
                apply(stack, Instructions.of(opcode).type(ValType.I32, layout.memoryType(index).addressType(),
                        layout.memoryType(index2).addressType()));
            }
            case Opcodes.MEMORY_INIT -> {
                loadMemory(index2);
                loadDataSegment(index);
                (address64(index2) ? RuntimeRefs.MEMORY_INIT64 : RuntimeRefs.MEMORY_INIT).invoke(mv);
                apply(stack, type(opcode, index2));
            }
            case Opcodes.DATA_DROP -> {
                locals.loadInstance(mv);
                mv.visitFieldInsn(GETFIELD, layout.owner, GeneratedNames.DATA_FIELD, "[[B");
                Push.intConst(mv, index);
                mv.visitInsn(org.objectweb.asm.Opcodes.ICONST_0);
                mv.visitIntInsn(org.objectweb.asm.Opcodes.NEWARRAY, org.objectweb.asm.Opcodes.T_BYTE);
                mv.visitInsn(org.objectweb.asm.Opcodes.AASTORE);
            }
            default -> throw new IllegalArgumentException(Opcodes.name(opcode));
        }
    }

    /** The {@code Memory.copy} between two memories, by whether destination and source are 64-bit. */
    private static RuntimeRefs.RuntimeMethod copyHelper(boolean destination64, boolean source64) {
        if (destination64) return source64 ? RuntimeRefs.MEMORY_COPY_64_64 : RuntimeRefs.MEMORY_COPY_64_32;
        return source64 ? RuntimeRefs.MEMORY_COPY_32_64 : RuntimeRefs.MEMORY_COPY_BETWEEN;
    }

    /** Pushes memory {@code memidx}'s {@code Memory} object. */
    void loadMemory(int memidx) {
        locals.loadInstance(mv);
        mv.visitFieldInsn(GETFIELD, layout.owner, layout.memoryField(memidx), RuntimeRefs.MEMORY_DESCRIPTOR);
    }

    private void loadDataSegment(int dataidx) {
        locals.loadInstance(mv);
        mv.visitFieldInsn(GETFIELD, layout.owner, GeneratedNames.DATA_FIELD, "[[B");
        Push.intConst(mv, dataidx);
        mv.visitInsn(org.objectweb.asm.Opcodes.AALOAD);
    }

    /**
     * Replaces the address on the stack by the {@code long} effective address: {@code zext(addr) +
     * offset} for a 32-bit memory; for a 64-bit one, {@code addr + offset}, or beyond 2^64 a
     * negative address outside every memory.
     */
    void effectiveAddress(int memidx, long offset) {
        if (address64(memidx)) {
            if (offset != 0) {
                Push.longConst(mv, offset);
                RuntimeRefs.EFFECTIVE_ADDRESS64.invoke(mv);
            }
            return;
        }
        NumericEmitter.extendUnsigned(mv);
        if (offset != 0) {
            Push.longConst(mv, offset);
            mv.visitInsn(LADD);
        }
    }

    /** Puts the var handle {@code handle} and memory {@code memidx}'s segment under the effective address on the stack. */
    void pushUnderAddress(RuntimeRefs.RuntimeField handle, int memidx) {
        handle.get(mv);
        moveUnderLong();
        loadSegment(memidx);
        moveUnderLong();
    }

    /**
     * Pushes memory {@code memidx}'s {@code Memory}, which a 32-bit memory's access helpers take:
     * memory 0's from the method's local when it has one.
     */
    private void loadAccessMemory(int memidx) {
        if (memidx == 0 && locals.memorySlot() >= 0) {
            mv.visitVarInsn(ALOAD, locals.memorySlot());
        } else {
            loadMemory(memidx);
        }
    }

    /** Pushes memory {@code memidx}'s current segment. */
    void loadSegment(int memidx) {
        loadAccessMemory(memidx);
        RuntimeRefs.MEMORY_SEGMENT.invoke(mv);
    }

    /** Caches memory 0's {@code Memory} in its local at the method's entry: the object never changes, only its contents. */
    public void cacheMemory() {
        if (locals.memorySlot() < 0) return;
        loadMemory(0);
        mv.visitVarInsn(ASTORE, locals.memorySlot());
    }

    /** Moves the reference on top of the stack under the long below it. */
    private void moveUnderLong() {
        mv.visitInsn(DUP_X2);
        mv.visitInsn(POP);
    }
}
