package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.module.CodeEffects;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which locals a function's entry code sets before reading them, and that methods skipping their zeroing run. */
class EntryWritesTest {

    private static BitSet entryWrites(String func) {
        byte[] wasm = Wat.toBinary(("(module (memory 1) " + func + ")").getBytes(StandardCharsets.UTF_8));
        return EntryWrites.of(ModuleDecoder.decode(wasm).codes().get(0));
    }

    private static BitSet of(int... locals) {
        BitSet set = new BitSet();
        for (int l : locals) set.set(l);
        return set;
    }

    @Test
    void localsSetBeforeTheFirstBranchOrLoop() {
        assertEquals(of(1, 2), entryWrites("""
                (func (param i32) (local i32 i32 i32)
                  (local.set 1 (i32.load (local.get 0)))
                  (block (local.set 2 (local.tee 0 (i32.const 4))))
                  (loop (local.set 3 (i32.const 1))))
                """));
    }

    @Test
    void aLocalReadBeforeItIsSetIsNot() {
        assertEquals(of(2), entryWrites("""
                (func (local i32 i32)
                  (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                  (local.set 2 (i32.const 3))
                  (br_if 0 (local.get 2))
                  (local.set 0 (i32.const 5)))
                """));
    }

    @Test
    void nothingAfterAnIfOrABranch() {
        assertEquals(of(), entryWrites("""
                (func (param i32) (local i32)
                  (if (local.get 0) (then (local.set 1 (i32.const 1)))))
                """));
        assertEquals(of(), entryWrites("(func (local i32) (block (br 0) (local.set 0 (i32.const 1))))"));
    }

    @Test
    void theBodyPastTheEntryCodeIsNotRead() {
        // local.set 0 (i32.const 1), br 0, then bytes that are no instruction: only the entry code is read.
        FunctionBody body = new FunctionBody(List.of(ValType.I32), new byte[] {0x41, 0x01, 0x21, 0x00, 0x0C, 0x00,
                (byte) 0xFF, (byte) 0xFF, 0x0B}, 0, CodeEffects.NONE);
        assertEquals(of(0), EntryWrites.of(body));
    }

    @Test
    void aLocalSetFirstKeepsItsValueAcrossLoopsAndReadsStartAtZeroOnEveryEntry() throws Exception {
        String wat = """
                (module
                  (func (export "sum") (param i32) (result i32) (local i32 i32)
                    (local.set 1 (i32.const 0))
                    (local.set 2 (i32.const 5))
                    (loop
                      (local.set 1 (i32.add (local.get 1) (local.get 2)))
                      (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                    (local.get 1))
                  (func $again (export "again") (param i32) (result i32) (local i32)
                    (if (i32.ne (local.get 1) (i32.const 0)) (then (return (i32.const -1))))
                    (local.set 1 (i32.const 42))
                    (if (local.get 0) (then (return_call $again (i32.sub (local.get 0) (i32.const 1)))))
                    (local.get 1)))
                """;
        Instance instance = WasmCompiler.compile(Wat.toBinary(wat.getBytes(StandardCharsets.UTF_8))).instantiate(new Imports());
        assertEquals(15, instance.function("sum").call(3)[0]);
        assertEquals(42, instance.function("again").call(3)[0], "a self tail call starts with its locals zeroed");
    }
}
