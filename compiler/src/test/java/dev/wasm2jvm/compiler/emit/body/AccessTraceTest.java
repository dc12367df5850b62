package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.text.Wat;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link AccessTrace} records of a body in its one reading. */
class AccessTraceTest {
    private static AccessTrace trace(String body) {
        FunctionBody code = ModuleDecoder.decode(Wat.toBinary(
                "(module (memory 1) (func (param i32 i32) (local i32 i32)\n" + body + "))")).codes().getFirst();
        return AccessTrace.of(code);
    }

    private static BitSet locals(int... indices) {
        BitSet set = new BitSet();
        for (int index : indices) set.set(index);
        return set;
    }

    private static List<Integer> kinds(AccessTrace trace) {
        return IntStream.range(0, trace.count).map(i -> trace.kinds[i]).boxed().toList();
    }

    @Test
    void eachLoopHasTheLocalsItsBodyWritesNestedLoopsIncludedInTheOrderTheLoopsOpen() {
        AccessTrace trace = trace("""
                (loop
                  (local.set 1 (i32.const 0))
                  (block (loop (drop (local.tee 2 (i32.const 0))))))
                (local.set 0 (i32.const 0))
                (loop (local.set 3 (i32.const 0)))""");
        assertEquals(List.of(locals(1, 2), locals(2), locals(3)), trace.loopWrites);
        assertFalse(trace.handlesExceptions);
    }

    @Test
    void anAccessIsRecordedOnlyThroughALocalsCurrentValue() {
        AccessTrace trace = trace("""
                (drop (i32.load offset=4 (local.get 0)))
                (drop (i32.load (i32.add (local.get 0) (i32.const 1))))
                (local.get 1)
                (local.set 1 (i32.const 0))
                (drop (i64.load))""");
        assertEquals(List.of(AccessTrace.ACCESS, AccessTrace.WRITE, AccessTrace.END), kinds(trace));
        assertEquals(1, trace.accesses);
        assertEquals(AccessTrace.key(0, 0), trace.keys[0]);
        assertEquals(8, trace.extents[0]);
        assertEquals(1, trace.args[1]);
    }

    @Test
    void theAccessesKeysAndExtentsAreKeptInOrderBeyondTheirFirstArrays() {
        AccessTrace trace = trace("""
                (drop (i32.load offset=1 (local.get 0)))
                (drop (i32.load offset=2 (local.get 1)))
                (drop (i32.load offset=3 (local.get 0)))
                (drop (i32.load offset=4 (local.get 1)))
                (drop (i32.load offset=5 (local.get 0)))
                (drop (i32.load offset=6 (local.get 1)))""");
        assertEquals(6, trace.accesses);
        for (int i = 0; i < 6; i++) {
            assertEquals(AccessTrace.key(0, i % 2), trace.keys[i]);
            assertEquals(i + 5, trace.extents[i]);
        }
    }

    @Test
    void aBodyWithAHandlerIsMarked() {
        assertTrue(trace("(block (try_table (drop (i32.load (local.get 0)))))").handlesExceptions);
    }
}
