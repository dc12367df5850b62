package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.text.Wat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which loads and stores {@link ProvenAccesses} finds proven: each case is a function body and the
 * string of its scalar accesses in order, {@code C} for one that keeps its bounds check and
 * {@code P} for one proven by an earlier access.
 */
class ProvenAccessesTest {
    private static final String MEMORY = "(memory 1)";

    /** The accesses of the first function of {@code fields}, a module's fields, as C and P. */
    private static String accesses(String fields) {
        FunctionBody body = ModuleDecoder.decode(Wat.toBinary("(module " + fields + ")")).codes().getFirst();
        ProvenAccesses proven = ProvenAccesses.of(body);
        StringBuilder kinds = new StringBuilder();
        CodeReader.read(body.code(), body.offset(), new InstructionScanner() {
            private int offset;

            @Override
            public void visitOffset(int offset) {
                this.offset = offset;
            }

            @Override
            public void visitMemoryAccess(int opcode, int memidx, int align, long memoryOffset) {
                if (MemoryEmitter.helper(opcode) != null) kinds.append(proven.proven(offset) ? 'P' : 'C');
            }
        });
        return kinds.toString();
    }

    private static String function(String body) {
        return accesses(MEMORY + " (func (param i32 i32) (local i32)\n" + body + ")");
    }

    @Test
    void anAccessIsProvenByAnEarlierOneThroughTheSameLocalOfAnExtentAsLarge() {
        assertEquals("CP", function("(drop (i32.load (local.get 0))) (drop (i32.load (local.get 0)))"));
        assertEquals("CPP", function("""
                (drop (i32.load offset=4 (local.get 0)))
                (drop (i32.load8_u offset=7 (local.get 0)))
                (i32.store16 offset=2 (local.get 0) (i32.const 1))"""));
        assertEquals("CCP", function("""
                (drop (i32.load (local.get 0)))
                (drop (i64.load (local.get 0)))
                (drop (f32.load offset=4 (local.get 0)))"""));
        assertEquals("CC", function("(drop (i32.load (local.get 0))) (drop (i32.load offset=1 (local.get 0)))"));
    }

    @Test
    void atMostMaxFactsLocalsAreRememberedAtOnce() {
        int n = ProvenAccesses.MAX_FACTS + 8;
        StringBuilder locals = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < n; i++) locals.append(" i32");
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) body.append("(drop (i32.load (local.get ").append(i).append(")))\n");
        }
        String kinds = accesses(MEMORY + " (func (local" + locals + ")\n" + body + ")");
        assertEquals("C".repeat(n) + "P".repeat(ProvenAccesses.MAX_FACTS) + "C".repeat(n - ProvenAccesses.MAX_FACTS), kinds);
    }

    @Test
    void onlyAnAddressThatIsTheLocalsValueCounts() {
        assertEquals("CC", function("(drop (i32.load (local.get 0))) (drop (i32.load (local.get 1)))"));
        assertEquals("CC", function("""
                (drop (i32.load (i32.add (local.get 0) (i32.const 0))))
                (drop (i32.load (local.get 0)))"""));
        assertEquals("CP", function("(i32.store (local.get 0) (i32.load (local.get 0)))"));
    }

    @Test
    void aWriteOfTheLocalKillsWhatWasProvenOfIt() {
        assertEquals("CC", function("""
                (drop (i32.load (local.get 0)))
                (local.set 0 (i32.const 65536))
                (drop (i32.load (local.get 0)))"""));
        assertEquals("CC", function("""
                (drop (i32.load (local.get 0)))
                (drop (local.tee 0 (i32.const 65536)))
                (drop (i32.load (local.get 0)))"""));
        assertEquals("CP", function("""
                (drop (i32.load (local.get 0)))
                (local.set 1 (i32.const 65536))
                (drop (i32.load (local.get 0)))"""));
        // The tee's value is the local's new value: its access proves the later one.
        assertEquals("CP", function("(drop (i32.load (local.tee 0 (local.get 1)))) (drop (i32.load (local.get 0)))"));
    }

    @Test
    void anAddressReadBeforeAWriteOfItsLocalIsNotTheLocalsValueAtTheAccess() {
        // The store's address is the local's old value, the load's proof is of the old value too:
        // neither proves anything of the new one.
        assertEquals("CCC", function("""
                (drop (i32.load (local.get 0)))
                (i32.store (local.get 0) (local.tee 0 (i32.const 65536)))
                (drop (i32.load (local.get 0)))"""));
        assertEquals("CC", function("""
                (drop (i32.load (local.get 0)))
                (i32.store (local.get 0) (block (result i32) (local.set 0 (i32.const 65536)) (i32.const 1)))"""));
    }

    @Test
    void callsAndMemoryGrowKeepWhatWasProvenForAMemoryNeverShrinks() {
        assertEquals("CP", accesses(MEMORY + """
                (func (param i32)
                  (drop (i32.load (local.get 0)))
                  (call 1)
                  (drop (memory.grow (i32.const 1)))
                  (drop (i32.load (local.get 0))))
                (func)"""));
    }

    @Test
    void eachMemoryIsProvenApart() {
        assertEquals("CCPP", accesses("""
                (memory $a 1) (memory $b 1)
                (func (param i32)
                  (drop (i32.load $a (local.get 0)))
                  (drop (i32.load $b (local.get 0)))
                  (drop (i32.load $b (local.get 0)))
                  (drop (i32.load $a (local.get 0))))"""));
    }

    @Test
    void aMemory64IsProvenAsA32BitOneButAnOffsetPast2To63IsNeverProven() {
        assertEquals("CPCC", accesses("""
                (memory i64 1)
                (func (param i64)
                  (drop (i64.load offset=8 (local.get 0)))
                  (drop (i32.load offset=12 (local.get 0)))
                  (drop (i32.load8_u offset=0x8000_0000_0000_0000 (local.get 0)))
                  (drop (i32.load8_u offset=0x8000_0000_0000_0000 (local.get 0))))"""));
    }

    @Test
    void aBlockEndKeepsOnlyWhatEveryEdgeToItProved() {
        assertEquals("CP", function("""
                (block (drop (i32.load (local.get 0))))
                (drop (i32.load (local.get 0)))"""));
        assertEquals("CC", function("""
                (block (br_if 0 (local.get 1)) (drop (i32.load (local.get 0))))
                (drop (i32.load (local.get 0)))"""));
        assertEquals("CPP", function("""
                (block (drop (i32.load (local.get 0))) (br_if 0 (local.get 1)) (drop (i32.load (local.get 0))))
                (drop (i32.load (local.get 0)))"""));
        // The branch's edge carries the smaller extent.
        assertEquals("CCPC", function("""
                (block
                  (drop (i32.load8_u (local.get 0)))
                  (br_if 0 (local.get 1))
                  (drop (i64.load (local.get 0)))
                  (drop (i32.load (local.get 0))))
                (drop (i32.load (local.get 0)))"""));
    }

    @Test
    void codeAfterAnUnconditionalBranchDoesNotWeakenTheJoin() {
        assertEquals("CP", function("""
                (block
                  (drop (i32.load (local.get 0)))
                  (br 0)
                  (local.set 0 (i32.const 65536)))
                (drop (i32.load (local.get 0)))"""));
        // Every edge into the outer block comes before any access but the branch from the middle one.
        assertEquals("CCC", function("""
                (block (block (block
                  (br_table 0 1 2 (local.get 1)))
                  (drop (i32.load (local.get 0)))
                  (br 1))
                  (drop (i32.load (local.get 0))))
                (drop (i32.load (local.get 0)))"""));
    }

    @Test
    void aBrTableTakesWhatHoldsToEachOfItsTargets() {
        assertEquals("CCCP", function("""
                (block
                  (block
                    (drop (i32.load (local.get 0)))
                    (br_table 0 1 (local.get 1)))
                  (drop (i32.load (local.get 1))))
                (drop (i32.load (local.get 1)))
                (drop (i32.load (local.get 0)))"""));
    }

    @Test
    void aBlockEndNarrowsToTheSmallestExtentOfEveryEdgeHoweverManyLabelsNameIt() {
        // The outer end takes 1 byte from the br_if and 8 from the table's two labels and the fallthrough.
        assertEquals("CCPCP", function("""
                (block
                  (block
                    (drop (i32.load8_u (local.get 0)))
                    (br_if 1 (local.get 1))
                    (drop (i64.load (local.get 0)))
                    (br_table 0 1 0 1 (local.get 1)))
                  (drop (i64.load (local.get 0))))
                (drop (i32.load16_u (local.get 0)))
                (drop (i32.load8_u (local.get 0)))"""));
    }

    @Test
    void anIfEndKeepsWhatBothArmsProved() {
        assertEquals("CCP", function("""
                (if (local.get 1)
                  (then (drop (i32.load (local.get 0))))
                  (else (drop (i32.load (local.get 0)))))
                (drop (i32.load (local.get 0)))"""));
        assertEquals("CC", function("""
                (if (local.get 1) (then (drop (i32.load (local.get 0)))))
                (drop (i32.load (local.get 0)))"""));
        assertEquals("CCC", function("""
                (if (local.get 1)
                  (then (drop (i32.load (local.get 0))))
                  (else (drop (i32.load (local.get 1)))))
                (drop (i32.load (local.get 0)))"""));
        // What the condition's edge proved holds in both arms.
        assertEquals("CPPP", function("""
                (drop (i32.load (local.get 0)))
                (if (local.get 1)
                  (then (drop (i32.load (local.get 0))))
                  (else (drop (i32.load (local.get 0)))))
                (drop (i32.load (local.get 0)))"""));
        // An arm that cannot end adds no edge.
        assertEquals("CP", function("""
                (if (local.get 1) (then (drop (i32.load (local.get 0)))) (else (unreachable)))
                (drop (i32.load (local.get 0)))"""));
    }

    @Test
    void aLoopKeepsWhatWasProvenBeforeItOfTheLocalsItsBodyNeverWrites() {
        assertEquals("CPP", function("""
                (drop (i32.load (local.get 0)))
                (loop
                  (drop (i32.load (local.get 0)))
                  (local.set 2 (i32.add (local.get 2) (i32.const 1)))
                  (br_if 0 (local.get 1)))
                (drop (i32.load (local.get 0)))"""));
        assertEquals("CCP", function("""
                (drop (i32.load (local.get 0)))
                (loop
                  (drop (i32.load (local.get 0)))
                  (drop (i32.load (local.get 0)))
                  (local.set 0 (i32.add (local.get 0) (i32.const 4)))
                  (br_if 0 (local.get 1)))"""));
        // A write in a nested construct of the loop counts too.
        assertEquals("CC", function("""
                (drop (i32.load (local.get 0)))
                (loop
                  (drop (i32.load (local.get 0)))
                  (block (loop (if (local.get 1) (then (local.set 0 (i32.const 65536))))))
                  (br_if 0 (local.get 1)))"""));
    }

    @Test
    void aLoopsEndFollowsItsFallthroughAlone() {
        assertEquals("CP", function("""
                (loop (drop (i32.load (local.get 0))) (br_if 0 (local.get 1)))
                (drop (i32.load (local.get 0)))"""));
    }

    @Test
    void aBodyThatHandlesExceptionsKeepsEveryCheck() {
        assertEquals("CC", accesses(MEMORY + """
                (tag $e)
                (func (param i32)
                  (drop (i32.load (local.get 0)))
                  (block $h (try_table (catch $e $h) (call 1)))
                  (drop (i32.load (local.get 0))))
                (func (throw $e))"""));
    }
}
