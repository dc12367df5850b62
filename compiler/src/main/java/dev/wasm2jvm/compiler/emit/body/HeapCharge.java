package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.ISUB;

/**
 * The charge of a function's entry that allocates heap, its frame object and value arrays, against
 * the thread's frame budget (the runtime's {@code FrameBudget}, which says why the budget and its
 * size): the function's method charges the bytes in its prologue, before the label a self tail
 * call jumps back to, so that a jump charges nothing again; releases them before each return; and
 * releases them in a handler over the rest of the method that rethrows what passes, so that a trap,
 * a wasm exception an outer {@code try_table} catches, an exit or a {@code StackOverflowError}
 * leaves the budget as the call found it. The handler is the method's last, so the handlers of its
 * own try constructs come first in its exception table, and it adds nothing to a call that returns.
 *
 * <p>Every function whose entry allocates is charged, however small its frame: the JVM stack does
 * not bound that heap, as C2's frame of the method is often smaller than the objects its entry
 * makes. {@code HeapChargeTest}'s split function, its entry 9 KB of heap, recursed 286,725 levels
 * (2.5 GB) on a 512 MiB stack before it had a charge, its function of 8,000 {@code i64} locals in a
 * value array 32,476 levels (2 GB); charged, 7,503 and 1,047 levels. A trial's spill placeholder
 * ({@code OperandStack.Spill.ANY}) charges nothing, so a function that neither spills nor is split
 * nor has locals past the slots is emitted as before. The charge is a {@code ThreadLocal} lookup,
 * an add and a compare, the release a field's subtraction: 0.3 to 0.7% of the CPU samples of
 * programs whose split functions run per operation (Rust's {@code malloc}, pulldown-cmark's parser,
 * SQLite's), and whole processes within the spread of an A/A run ({@code benchmarks/README.md},
 * "Heap held by frames, bounded per thread"). Charging only frames past some size would not bound
 * the heap: C2's frame of a method can be a few words, so a large stack holds levels enough to
 * make gigabytes of small frames.
 */
public final class HeapCharge {
    private final int slot;
    private final int bytes;
    private final Label rangeStart = new StackMapFrames.RangeStart();

    private HeapCharge(int slot, int bytes) {
        this.slot = slot;
        this.bytes = bytes;
    }

    /**
     * The charge of the method whose slots are {@code locals}, a function's, with a frame object of
     * {@code frameBytes} (0 for none), or {@code null} if its entry allocates nothing.
     */
    public static HeapCharge of(Locals locals, int frameBytes) {
        if (locals.budgetSlot() < 0) return null;
        return new HeapCharge(locals.budgetSlot(), (int) Math.min((long) locals.heapBytes() + frameBytes, Integer.MAX_VALUE));
    }

    /** {@code bytes} rounded up to HotSpot's object alignment, 8. */
    public static long aligned(long bytes) {
        return bytes + 7 & ~7L;
    }

    /** The prologue: charges the bytes, keeps the budget in its slot and starts the handler's range. */
    public void enter(MethodVisitor mv) {
        Push.intUnpooled(mv, bytes);
        RuntimeRefs.FRAME_BUDGET_CHARGE.invoke(mv);
        mv.visitVarInsn(ASTORE, slot);
        mv.visitLabel(rangeStart);
    }

    /** Gives the bytes back: before a return, with the results on the stack under nothing it touches. */
    void release(MethodVisitor mv) {
        mv.visitVarInsn(ALOAD, slot);
        mv.visitInsn(DUP);
        RuntimeRefs.FRAME_BUDGET_HELD.get(mv);
        Push.intUnpooled(mv, bytes);
        mv.visitInsn(ISUB);
        RuntimeRefs.FRAME_BUDGET_HELD.put(mv);
    }

    /** After the method's code: the handler that gives the bytes back and rethrows whatever left the code. */
    public void releaseOnThrow(MethodVisitor mv) {
        Label handler = new Label();
        mv.visitTryCatchBlock(rangeStart, handler, handler, null);
        mv.visitLabel(handler);
        release(mv);
        mv.visitInsn(ATHROW);
    }
}
