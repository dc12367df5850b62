package dev.wasm2jvm.runtime;

import java.lang.foreign.MemorySegment;

/**
 * A linear memory. CONTRACT ONLY: the runtime helper implements it (see the task text).
 */
public final class Memory {
    public static final int PAGE_SIZE = 65536;

    /**
     * The memory's current contents: exactly {@code pages() * PAGE_SIZE} bytes. Generated code reads
     * this field on each access and lets the segment's bounds check fail for out-of-bounds addresses.
     * {@link #grow} replaces it with a longer view of the same reservation: the base address never moves.
     */
    public MemorySegment segment;

    public Memory(long minPages, long maxPages, boolean shared) {
        throw new UnsupportedOperationException();
    }
}
