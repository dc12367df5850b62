package dev.wasm2jvm.runtime;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The var handles through which generated code accesses linear memory inline: each takes the
 * memory's {@link Memory#segment} and a {@code long} byte offset (the zero-extended address plus the
 * memarg offset). They are static finals so the JIT treats them as constants and compiles each access
 * to a bounds check and a single load or store. Wasm memory is little-endian whatever the host.
 */
public final class MemoryAccess {
    private MemoryAccess() {}

    public static final VarHandle I8 = ValueLayout.JAVA_BYTE.varHandle();
    public static final VarHandle I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    public static final VarHandle I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    public static final VarHandle I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    public static final VarHandle F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    public static final VarHandle F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
}
