package dev.wasm2jvm.compiler.emit;

/**
 * Limits of HotSpot's JIT compilers that generated methods are kept within, so that every method
 * can be compiled by both tiers. Each number says why it is what it is.
 */
final class JvmLimits {
    private JvmLimits() {}

    /**
     * The calls a method may make, weighed by {@link #callWeight}. C1's linear scan allocator splits
     * every value live across a call into a new interval; a method of a few hundred calls among
     * dozens of live locals runs out of virtual registers, and C1 gives up on it ("out of virtual
     * registers in linear scan"), leaving it interpreted until C2 compiles it. SQLite's largest
     * split parts failed with 286 to 411 calls and compiled with this bound.
     */
    static final int MAX_CALLS = 192;

    /**
     * What one instruction weighs against {@link #MAX_CALLS}: a load or store (a call of its
     * {@code MemoryAccess} helper) and a call one, an atomic access two. An atomic access is an
     * inline var handle access, which C1 inlines whatever the method's size (the handle's code is
     * {@code @ForceInline}), with branches and an array read; hundreds in one method made C1's range
     * check elimination, which recurses along the dominator tree, overflow the compiler thread's
     * stack and kill the JVM, so a method holds at most 96 of them.
     */
    static int callWeight(boolean atomic) {
        return atomic ? 2 : 1;
    }
}
