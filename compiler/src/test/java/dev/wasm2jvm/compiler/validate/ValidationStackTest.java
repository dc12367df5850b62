package dev.wasm2jvm.compiler.validate;

import dev.wasm2jvm.compiler.code.Opcodes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.wasm2jvm.compiler.module.ValType.F32;
import static dev.wasm2jvm.compiler.module.ValType.I32;
import static dev.wasm2jvm.compiler.module.ValType.I64;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code popAll} checks the operands a frame holds without asking the frame per operand, and goes
 * operand by operand where the frame runs out (unreachable code, or too few operands); the innermost
 * frame is kept as frames are pushed and popped.
 */
class ValidationStackTest {
    private static ValidationStack body() {
        ValidationStack stack = new ValidationStack();
        stack.pushFrame(Opcodes.BLOCK, List.of(), List.of());
        return stack;
    }

    @Test
    void operandsTheFrameHoldsArePoppedAgainstTheirTypes() {
        ValidationStack stack = body();
        stack.push(I32);
        stack.push(I64);
        stack.popAll(List.of(I32, I64));
        stack.push(I32);
        stack.push(I64);
        ValidationFailure swapped = assertThrows(ValidationFailure.class, () -> stack.popAll(List.of(I64, I32)));
        assertEquals("type mismatch", swapped.getMessage());
    }

    @Test
    void unknownOperandsMatchAnyType() {
        ValidationStack stack = body();
        stack.push(null);
        stack.push(F32);
        assertDoesNotThrow(() -> stack.popAll(List.of(I64, F32)));
    }

    @Test
    void anUnreachableFrameMakesUpTheOperandsItLacks() {
        ValidationStack stack = body();
        stack.unreachable();
        stack.push(I32);
        stack.popAll(List.of(I64, F32, I32));
        assertNull(stack.pop());
        stack.push(I32);
        assertThrows(ValidationFailure.class, () -> stack.popAll(List.of(I64, F32)));
    }

    @Test
    void aReachableFrameWithTooFewOperandsIsAMismatch() {
        ValidationStack stack = body();
        stack.push(I32);
        stack.pushFrame(Opcodes.BLOCK, List.of(I32), List.of(I32));
        ValidationFailure e = assertThrows(ValidationFailure.class, () -> stack.popAll(List.of(I32, I32)));
        assertEquals("type mismatch", e.getMessage());
    }

    @Test
    void theInnermostFrameFollowsPushesAndPops() {
        ValidationStack stack = body();
        stack.pushFrame(Opcodes.BLOCK, List.of(), List.of(I32));
        stack.unreachable();
        assertEquals(Opcodes.BLOCK, stack.popFrame().opcode);
        // The outer frame is reachable again, and holds nothing.
        assertThrows(ValidationFailure.class, stack::pop);
        stack.push(I32);
        stack.pop(I32);
        stack.popFrame();
        assertThrows(IllegalStateException.class, stack::pop, "an instruction after the final end");
    }
}
