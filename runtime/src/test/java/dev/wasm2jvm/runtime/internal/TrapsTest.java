package dev.wasm2jvm.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import org.junit.jupiter.api.Test;

class TrapsTest {
    /** Each trap has the spec's message and is new, with the stack trace of where it was made. */
    @Test
    void trapsHaveTheSpecsMessagesAndAreMadeAnew() {
        assertEquals("unreachable", Traps.unreachable().getMessage());
        assertEquals("indirect call type mismatch", Traps.indirectCallTypeMismatch().getMessage());
        assertNotSame(Traps.unreachable(), Traps.unreachable());
        assertEquals("trapsHaveTheSpecsMessagesAndAreMadeAnew", Traps.unreachable().getStackTrace()[1].getMethodName());
    }
}
