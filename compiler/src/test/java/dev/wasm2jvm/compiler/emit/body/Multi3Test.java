package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code __multi3} as clang and rustc emit it, recognised and compiled as {@link Math#unsignedMultiplyHigh}. */
class Multi3Test {
    /** The body of {@code __multi3} in the Sightglass libsodium and SQLite builds, instruction for instruction. */
    private static final String MULTI3 = """
            (func $__multi3 (export "multi3") (param i32 i64 i64 i64 i64) (local i64)
              local.get 0
              local.get 4
              local.get 1
              i64.mul
              local.get 2
              local.get 3
              i64.mul
              i64.add
              local.get 3
              i64.const 32
              i64.shr_u
              local.tee 2
              local.get 1
              i64.const 32
              i64.shr_u
              local.tee 4
              i64.mul
              i64.add
              local.get 3
              i64.const 4294967295
              i64.and
              local.tee 3
              local.get 1
              i64.const 4294967295
              i64.and
              local.tee 1
              i64.mul
              local.tee 5
              i64.const 32
              i64.shr_u
              local.get 3
              local.get 4
              i64.mul
              i64.add
              local.tee 3
              i64.const 32
              i64.shr_u
              i64.add
              local.get 3
              i64.const 4294967295
              i64.and
              local.get 2
              local.get 1
              i64.mul
              i64.add
              local.tee 1
              i64.const 32
              i64.shr_u
              i64.add
              i64.store offset=8
              local.get 0
              local.get 1
              i64.const 32
              i64.shl
              local.get 5
              i64.const 4294967295
              i64.and
              i64.or
              i64.store)
            """;

    /** The body of {@code __multi3} in Rust's {@code compiler_builtins} (Sightglass blind-sig, rust-json). */
    private static final String RUST_MULTI3 = """
            (func $__multi3 (export "multi3") (param i32 i64 i64 i64 i64) (local i64 i64 i64 i64 i64 i64)
              local.get 0
              local.get 3
              i64.const 4294967295
              i64.and
              local.tee 5
              local.get 1
              i64.const 4294967295
              i64.and
              local.tee 6
              i64.mul
              local.tee 7
              local.get 3
              i64.const 32
              i64.shr_u
              local.tee 8
              local.get 6
              i64.mul
              local.tee 6
              local.get 5
              local.get 1
              i64.const 32
              i64.shr_u
              local.tee 9
              i64.mul
              i64.add
              local.tee 5
              i64.const 32
              i64.shl
              i64.add
              local.tee 10
              i64.store
              local.get 0
              local.get 8
              local.get 9
              i64.mul
              local.get 5
              local.get 6
              i64.lt_u
              i64.extend_i32_u
              i64.const 32
              i64.shl
              local.get 5
              i64.const 32
              i64.shr_u
              i64.or
              i64.add
              local.get 10
              local.get 7
              i64.lt_u
              i64.extend_i32_u
              i64.add
              local.get 4
              local.get 1
              i64.mul
              local.get 3
              local.get 2
              i64.mul
              i64.add
              i64.add
              i64.store offset=8)
            """;

    private static final BigInteger TWO_TO_128 = BigInteger.ONE.shiftLeft(128);

    @Test
    void theProductOfEveryPairIsTheWasmCodesAndItIsOneWideMultiply() {
        assertEveryProduct(MULTI3);
    }

    @Test
    void rustsProductOfEveryPairIsTheWasmCodesAndItIsOneWideMultiply() {
        assertEveryProduct(RUST_MULTI3);
    }

    /** Rust's body stores the low half first: with the high half past the end, the low half is stored, then it traps. */
    @Test
    void rustsResultWhoseHighHalfIsPastTheEndStoresTheLowHalfThenTraps() {
        Instance instance = compile(RUST_MULTI3).instantiate(new Imports());
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("multi3").call(65536 - 15, 3L, 0L, 5L, 0L));
        assertEquals("out of bounds memory access: 8 bytes at 65521 + 8, memory size 65536", trap.getMessage());
        assertEquals(15L, load(instance, 65536 - 15));
    }

    /** Rust's code with one operand changed (the high half's last product of aHi by bHi) is compiled as written. */
    @Test
    void aRustBodyThatDiffersInOneInstructionIsCompiledAsWritten() {
        String changed = RUST_MULTI3.replace("local.get 3\n  local.get 2\n  i64.mul", "local.get 4\n  local.get 2\n  i64.mul");
        assertFalse(changed.equals(RUST_MULTI3));
        CompiledModule compiled = compile(changed);
        assertFalse(callsUnsignedMultiplyHigh(compiled));
        Instance instance = compiled.instantiate(new Imports());
        instance.function("multi3").call(16, 0L, 2L, 3L, 5L);
        assertEquals(10L, load(instance, 24), "high half of the changed code: aHi * bHi");
    }

    private static void assertEveryProduct(String function) {
        CompiledModule compiled = compile(function);
        assertTrue(callsUnsignedMultiplyHigh(compiled), "__multi3 was not recognised");
        Instance instance = compiled.instantiate(new Imports());
        List<long[]> operands = new ArrayList<>();
        long[] edges = {0, 1, -1, 0xFFFF_FFFFL, 0x1_0000_0000L, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000L};
        for (long a : edges) {
            for (long b : edges) operands.add(new long[] {a, b, b, a});
        }
        SplittableRandom random = new SplittableRandom(128);
        for (int i = 0; i < 2000; i++) {
            operands.add(new long[] {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()});
        }
        for (long[] o : operands) {
            instance.function("multi3").call(16, o[0], o[1], o[2], o[3]);
            BigInteger product = u128(o[0], o[1]).multiply(u128(o[2], o[3])).mod(TWO_TO_128);
            assertEquals(product, u128(load(instance, 16), load(instance, 24)),
                    () -> String.format("%x:%x * %x:%x", o[1], o[0], o[3], o[2]));
        }
    }

    /** The high half is stored first, so an access past the end traps before either store. */
    @Test
    void aResultPastTheEndTrapsAndStoresNothing() {
        Instance instance = compile(MULTI3).instantiate(new Imports());
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function("multi3").call(65536 - 15, 3L, 0L, 5L, 0L));
        assertEquals("out of bounds memory access: 8 bytes at 65521 + 8, memory size 65536", trap.getMessage());
        assertEquals(0L, load(instance, 65536 - 15));
    }

    /** Any other code, here the low half's mask taken from the wrong local, is compiled as written. */
    @Test
    void aBodyThatDiffersInOneInstructionIsCompiledAsWritten() {
        String changed = MULTI3.replace("local.get 5\n  i64.const 4294967295", "local.get 3\n  i64.const 4294967295");
        assertFalse(changed.equals(MULTI3));
        CompiledModule compiled = compile(changed);
        assertFalse(callsUnsignedMultiplyHigh(compiled));
        Instance instance = compiled.instantiate(new Imports());
        instance.function("multi3").call(16, 3L, 0L, 5L, 0L);
        assertEquals(0L, load(instance, 16), "low half of the changed code");
    }

    private static CompiledModule compile(String function) {
        String module = """
                (module (memory 1)
                  (func (export "load") (param i32) (result i64) (i64.load (local.get 0)))
                """ + function + ")";
        return WasmCompiler.compile(module.getBytes(StandardCharsets.UTF_8));
    }

    private static long load(Instance instance, int address) {
        return (long) instance.function("load").call(address)[0];
    }

    private static BigInteger u128(long lo, long hi) {
        return new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).or(new BigInteger(Long.toUnsignedString(lo)));
    }

    private static boolean callsUnsignedMultiplyHigh(CompiledModule compiled) {
        boolean[] found = {false};
        for (byte[] classFile : compiled.classFiles().values()) {
            new ClassReader(classFile).accept(new ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    return new MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                            found[0] |= owner.equals("java/lang/Math") && method.equals("unsignedMultiplyHigh");
                        }
                    };
                }
            }, 0);
        }
        return found[0];
    }
}
