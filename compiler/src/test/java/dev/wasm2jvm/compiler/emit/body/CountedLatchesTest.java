package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.IFGT;
import static org.objectweb.asm.Opcodes.IFLT;

/**
 * Which loop latches {@link CountedLatches} emits as ordered tests, and that loops so emitted
 * compute and trap as wasm says. The analysis cases give each {@code i32.ne}, and each {@code br_if}
 * not right after one, of a body in order as {@code <} or {@code >} (an ordered test) or {@code =}
 * (left as it is).
 */
class CountedLatchesTest {
    /** The tests of the first function of {@code fields}, a module's fields. */
    private static String tests(String fields) {
        FunctionBody body = ModuleDecoder.decode(Wat.toBinary("(module " + fields + ")")).codes().getFirst();
        CountedLatches latches = CountedLatches.of(body);
        StringBuilder tests = new StringBuilder();
        CodeReader.read(body.code(), body.offset(), new InstructionScanner() {
            private int offset;
            /** The opcode of the last instruction without immediates, if it was the last read, and of the one before. */
            private int last;
            private int previous;

            @Override
            public void visitOffset(int offset) {
                this.offset = offset;
                previous = last;
                last = -1;
            }

            @Override
            public void visitInsn(int opcode) {
                last = opcode;
                if (opcode != Opcodes.I32_NE) return;
                int test = latches.comparison(offset);
                tests.append(test == Opcodes.I32_LT_S ? '<' : test == Opcodes.I32_GT_S ? '>' : '=');
            }

            @Override
            public void visitBranch(int opcode, int labelidx) {
                // A br_if after an i32.ne tests that comparison's result: the comparison is the latch's test.
                if (opcode != Opcodes.BR_IF || previous == Opcodes.I32_NE) return;
                int test = latches.branchTest(offset);
                tests.append(test == IFLT ? '<' : test == IFGT ? '>' : '=');
            }
        });
        return tests.toString();
    }

    /** A function of two i32 parameters and locals 2 and 3 whose body is {@code body}. */
    private static String function(String body) {
        return tests("(func (param i32 i32) (local i32 i32)\n" + body + ")");
    }

    /** clang's loop of a known trip count: {@code i} from {@code start} by {@code stride} until it is {@code limit}. */
    private static String loop(int start, int stride, int limit) {
        return function("i32.const " + start + " local.set 2 loop " + increment(stride) + " i32.const " + limit
                + " i32.ne br_if 0 end");
    }

    private static String increment(int stride) {
        return "local.get 2 i32.const " + stride + " i32.add local.tee 2";
    }

    @Test
    void aLatchWhoseLocalStepsOntoItsLimitIsOrdered() {
        assertEquals("<", loop(0, 16, 4096));
        assertEquals("<", loop(-8, 8, 8));
        assertEquals(">", loop(400, -4, 0));
        assertEquals("<", loop(0, 1, Integer.MAX_VALUE));
        // A loop ending at 0 tests the sum itself.
        assertEquals("<", function("i32.const -4096 local.set 2 loop " + increment(2) + " br_if 0 end"));
        assertEquals(">", function("i32.const 12 local.set 2 loop " + increment(-3) + " br_if 0 end"));
        // Code between the constant and the loop that leaves the local alone, and a block around the loop.
        assertEquals("<", function("i32.const 0 local.set 2 i32.const 5 local.set 3 block loop "
                + increment(4) + " i32.const 64 i32.ne br_if 0 end end"));
    }

    @Test
    void aLatchThatMayStepOverItsLimitOrStartPastItStays() {
        assertEquals("=", loop(0, 16, 4100));
        assertEquals("=", loop(4096, 16, 0));
        assertEquals("=", loop(0, -16, 4096));
        assertEquals("=", loop(7, 2, 7));
        assertEquals("=", function("i32.const 1 local.set 2 loop " + increment(2) + " br_if 0 end"));
    }

    @Test
    void aLocalNotKnownAtTheLoopsEntryOrWrittenInItStays() {
        // A parameter, a constant before a join, a constant set before an enclosing loop's header.
        assertEquals("=", function("loop local.get 0 i32.const 16 i32.add local.tee 0 i32.const 4096 i32.ne br_if 0 end"));
        assertEquals("=", function("i32.const 0 local.set 2 local.get 0 if end loop " + increment(16)
                + " i32.const 4096 i32.ne br_if 0 end"));
        assertEquals("==", function("i32.const 0 local.set 2 loop loop " + increment(16)
                + " i32.const 4096 i32.ne br_if 0 end local.get 0 br_if 0 end"));
        // The local set from a value, or written again in the loop, also in a nested block.
        assertEquals("=", function("local.get 1 local.set 2 loop " + increment(16) + " i32.const 4096 i32.ne br_if 0 end"));
        assertEquals("=", function("i32.const 0 local.set 2 loop i32.const 0 local.set 2 " + increment(16)
                + " i32.const 4096 i32.ne br_if 0 end"));
        assertEquals("=", function("i32.const 0 local.set 2 loop local.get 0 if i32.const 8 local.set 2 end "
                + increment(16) + " i32.const 4096 i32.ne br_if 0 end"));
    }

    @Test
    void onlyTheLastBranchOfALoopBackToItIsALatch() {
        // Code after the br_if, a branch to an enclosing block, another local in the increment.
        assertEquals("=", function("i32.const 0 local.set 2 loop " + increment(16) + " i32.const 4096 i32.ne br_if 0 nop end"));
        assertEquals("=", function("i32.const 0 local.set 2 block loop " + increment(16)
                + " i32.const 4096 i32.ne br_if 1 end end"));
        assertEquals("=", function("i32.const 0 local.set 2 loop local.get 3 i32.const 16 i32.add local.tee 2"
                + " i32.const 4096 i32.ne br_if 0 end"));
    }

    /** For each load and store of the first function of {@code fields} in order: {@code C} if it lies in a counted loop, else {@code -}. */
    private static String accesses(String fields) {
        FunctionBody body = ModuleDecoder.decode(Wat.toBinary("(module (memory 1) " + fields + ")")).codes().getFirst();
        CountedLatches latches = CountedLatches.of(body);
        StringBuilder accesses = new StringBuilder();
        CodeReader.read(body.code(), body.offset(), new InstructionScanner() {
            private int offset;

            @Override
            public void visitOffset(int offset) {
                this.offset = offset;
            }

            @Override
            public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
                accesses.append(latches.inCountedLoop(this.offset) ? 'C' : '-');
            }
        });
        return accesses.toString();
    }

    @Test
    void theAccessesBetweenACountedLoopsHeaderAndItsLatchLieInIt() {
        String counted = "i32.const 0 local.set 2 loop local.get 2 i32.load drop local.get 2 i32.const 4 i32.add local.tee 2"
                + " i32.const 64 i32.ne br_if 0 end";
        assertEquals("-C-", accesses("(func (param i32 i32) (local i32 i32) local.get 0 i32.load drop " + counted
                + " local.get 1 i32.load drop)"));
        // A loop whose latch stays, and the accesses of an enclosing loop around a counted one.
        assertEquals("-", accesses("(func (param i32 i32) (local i32 i32) i32.const 0 local.set 2 loop local.get 2 i32.load drop"
                + " local.get 2 i32.const 4 i32.add local.tee 2 i32.const 66 i32.ne br_if 0 end)"));
        assertEquals("-C-", accesses("(func (param i32 i32) (local i32 i32) loop local.get 1 i32.load drop " + counted
                + " local.get 1 i32.load drop local.get 0 br_if 0 end)"));
    }

    /** The access helpers that the compiled functions of {@code module} call, by the simple name of their class, in order. */
    private static List<String> accessHelpers(CompiledModule module) {
        List<String> helpers = new ArrayList<>();
        for (byte[] classFile : module.classFiles().values()) {
            new ClassReader(classFile).accept(new ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                            String helper = owner.substring(owner.lastIndexOf('/') + 1);
                            if (owner.startsWith("dev/wasm2jvm/runtime/internal/") && helper.endsWith("Access")) helpers.add(helper);
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG);
        }
        return helpers;
    }

    @Test
    void onlyTheAccessesInACountedLoopCallTheIntCheckedHelpers() {
        CompiledModule module = WasmCompiler.compile(Wat.toBinary("""
                (module
                  (memory 1)
                  (func (export "f") (param $p i32) (param $q i32) (local $i i32)
                    local.get $p i32.load drop
                    i32.const 0 local.set $i
                    loop
                      local.get $i i32.load drop
                      local.get $i i64.const 1 i64.store
                      local.get $i i32.const 8 i32.add local.tee $i
                      i32.const 64 i32.ne br_if 0
                    end
                    local.get $q i32.load8_u drop
                    loop
                      local.get $i f64.load drop
                      local.get $i i32.const 8 i32.add local.tee $i
                      i32.const 130 i32.ne br_if 0
                    end))"""));
        // Before the counted loop, its load and its store (wider than the load, so not proven), after
        // it, and in a loop whose latch may step over its limit.
        assertEquals(List.of("MemoryAccess", "CountedAccess", "CountedAccess", "MemoryAccess", "MemoryAccess"),
                accessHelpers(module));
    }

    private static Instance instantiate(String fields) {
        return WasmCompiler.compile(Wat.toBinary("(module " + fields + ")")).instantiate(new Imports());
    }

    @Test
    void countedLoopsComputeWhatTheirLatchesSay() {
        Instance instance = instantiate("""
                (memory 1)
                (func (export "up") (param $n i32) (result i32) (local $i i32) (local $sum i32)
                  i32.const 0 local.set $i
                  loop
                    local.get $sum local.get $i i32.add local.set $sum
                    local.get $i i32.const 16 i32.add local.tee $i
                    i32.const 4096 i32.ne br_if 0
                  end
                  local.get $sum)
                (func (export "down") (result i32) (local $i i32) (local $count i32)
                  i32.const 300 local.set $i
                  loop
                    local.get $count i32.const 1 i32.add local.set $count
                    local.get $i i32.const -3 i32.add local.tee $i
                    br_if 0
                  end
                  local.get $count)
                (func (export "copy") (result i32) (local $i i32)
                  i32.const -4096 local.set $i
                  loop
                    local.get $i i32.const 8192 i32.add
                    local.get $i i32.const 4096 i32.add i32.load8_u i32.const 1 i32.add
                    i32.store8
                    local.get $i i32.const 1 i32.add local.tee $i
                    br_if 0
                  end
                  i32.const 8191 i32.load8_u)""");
        assertEquals(16 * (255 * 256 / 2), instance.function("up").call(0)[0]);
        assertEquals(100, instance.function("down").call()[0]);
        assertEquals(1, instance.function("copy").call()[0]);
    }

    @Test
    void aCountedLoopTrapsAtTheFirstAccessPastTheEnd() {
        Instance instance = instantiate("""
                (memory 1)
                (func (export "fill") (result i32) (local $i i32)
                  i32.const 65000 local.set $i
                  loop
                    local.get $i local.get $i f64.convert_i32_u f64.store
                    local.get $i i32.const 8 i32.add local.tee $i
                    i32.const 65600 i32.ne br_if 0
                  end
                  i32.const 0)
                (func (export "at") (param i32) (result f64) local.get 0 f64.load)""");
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("fill").call());
        assertTrue(trap.getMessage().startsWith("out of bounds memory access: 8 bytes at 65536"), trap.getMessage());
        assertEquals(65528.0, instance.function("at").call(65528)[0]);
    }

    @Test
    void aLoopNotCountedTrapsAtTheFirstAccessPastTheEndToo() {
        Instance instance = instantiate("""
                (memory 1)
                (func (export "fill") (result i32) (local $i i32)
                  i32.const 65000 local.set $i
                  loop
                    local.get $i local.get $i f64.convert_i32_u f64.store
                    local.get $i i32.const 8 i32.add local.tee $i
                    i32.const 65600 i32.lt_u br_if 0
                  end
                  i32.const 0)
                (func (export "at") (param i32) (result f64) local.get 0 f64.load)""");
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("fill").call());
        assertTrue(trap.getMessage().startsWith("out of bounds memory access: 8 bytes at 65536"), trap.getMessage());
        assertEquals(65528.0, instance.function("at").call(65528)[0]);
    }

    @Test
    void aCountedLoopReachesPast2GiBInALargerMemoryAndTrapsAtItsEnd() {
        // 2 GiB and one page, reserved, not committed: the loop's accesses take the long check.
        Instance instance = instantiate("""
                (memory 32769)
                (func (export "fill") (param $base i32) (local $i i32)
                  i32.const 0 local.set $i
                  loop
                    local.get $base local.get $i i32.add local.get $i i64.extend_i32_u i64.store
                    local.get $i i32.const 8 i32.add local.tee $i
                    i32.const 64 i32.ne br_if 0
                  end)
                (func (export "at") (param i32) (result i64) local.get 0 i64.load)""");
        int end = 0x8001_0000;
        instance.function("fill").call(end - 64);
        assertEquals(56L, instance.function("at").call(end - 8)[0]);
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("fill").call(end - 32));
        assertTrue(trap.getMessage().startsWith("out of bounds memory access: 8 bytes at " + Integer.toUnsignedString(end)),
                trap.getMessage());
        assertEquals(24L, instance.function("at").call(end - 8)[0]);
    }

    @Test
    void aCountedLoopsAccessAtOrPast2GiBTrapsInASmallMemory() {
        Instance instance = instantiate("""
                (memory 1)
                (func (export "sum") (param $base i32) (result i32) (local $i i32) (local $sum i32)
                  i32.const 0 local.set $i
                  loop
                    local.get $sum local.get $base local.get $i i32.add i32.load i32.add local.set $sum
                    local.get $i i32.const 4 i32.add local.tee $i
                    i32.const 16 i32.ne br_if 0
                  end
                  local.get $sum)""");
        for (int base : new int[] {0x8000_0000, -8, Integer.MAX_VALUE - 3, 65528}) {
            int first = Integer.compareUnsigned(base, 65536) < 0 ? 65536 : base;
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("sum").call(base));
            assertTrue(trap.getMessage().startsWith("out of bounds memory access: 4 bytes at " + Integer.toUnsignedString(first)),
                    trap.getMessage());
        }
        assertEquals(0, instance.function("sum").call(65520)[0]);
    }

    @Test
    void anAddressAtOrPast2GiBTrapsInASmallMemory() {
        Instance instance = instantiate("""
                (memory 1)
                (func (export "load") (param i32) (result i32) local.get 0 i32.load)
                (func (export "loadHigh") (param i32) (result i32) local.get 0 i32.load offset=4294967292)""");
        for (int address : new int[] {0x8000_0000, -4, -1, 65533, Integer.MAX_VALUE}) {
            WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("load").call(address));
            assertTrue(trap.getMessage().startsWith("out of bounds memory access: 4 bytes at " + Integer.toUnsignedString(address)),
                    trap.getMessage());
        }
        assertEquals(0, instance.function("load").call(65532)[0]);
        assertThrows(WasmTrap.class, () -> instance.function("loadHigh").call(0));
    }
}
