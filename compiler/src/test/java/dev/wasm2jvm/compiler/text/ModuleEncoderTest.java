package dev.wasm2jvm.compiler.text;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The binary encoding of Wasm 3.0 constructs, against bytes from another encoder or the binary spec. */
class ModuleEncoderTest {
    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The module's sections from {@code id} on: its header and earlier sections dropped. */
    private static String from(String wat, int sectionId) {
        byte[] wasm = Wat.toBinary(wat);
        int pos = 8;
        while (wasm[pos] != sectionId) {
            int size = 0;
            int shift = 0;
            int b;
            pos++;
            do {
                b = wasm[pos++] & 0xff;
                size |= (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            pos += size;
        }
        return hex(Arrays.copyOfRange(wasm, pos, wasm.length));
    }

    @Test
    void legacyExceptionsMemory64MultiMemoryAndTailCallsEncodeAsWabtEncodesThem() {
        byte[] wasm = Wat.toBinary("""
                (module
                  (memory i64 1)
                  (memory $m2 2)
                  (tag $e (param i32))
                  (func $f (param i32) (result i32)
                    (try (result i32)
                      (do (throw $e (local.get 0)))
                      (catch $e)
                      (catch_all (i32.const 2))))
                  (func $g (param i64) (result i32)
                    (i32.load offset=8 (local.get 0))
                    (drop)
                    (i32.load8_u $m2 offset=4 align=1 (i32.const 0)))
                  (func $h (param i32) (result i32)
                    (return_call $f (local.get 0))))
                """);
        // wat2wasm --enable-all (wabt 1.0.32) of the same text; this module adds the name section.
        String wabt = "0061736d01000000010f0360017f0060017f017f60017e017f030403010201050502040100020d030100000a26030e00"
                + "067f2000080007001941020b0b0e0020002802081a41002d4001040b0600200012000b";
        assertEquals(wabt, hex(wasm).substring(0, wabt.length()));
        assertEquals("0011046e616d65010a03000166010167020168", hex(wasm).substring(wabt.length()));
    }

    @Test
    void recursionGroupsAndSubtypesKeepTheirForm() {
        String types = from("""
                (rec (type $a (struct (field i32) (field (mut i64))))
                     (type $b (sub $a (struct (field $x i32) (field $y (mut i64))))))
                (type $v (array (mut i8)))
                (type $f (sub final (func (param (ref null $a)) (result (ref $b)))))
                """, 1);
        assertEquals("01" + "1e" + "03"
                + "4e02" + "5f027f007e01" + "5001005f027f007e01"
                + "5e7801"
                + "4f00" + "600163000164" + "01", types);
    }

    @Test
    void tryTableAndTypedReferencesEncodeTheirImmediates() {
        String code = from("""
                (type $t (func (result i32)))
                (tag $e (param i32))
                (func (result i32)
                  (block $out (result i32)
                    (try_table (result i32) (catch $e $out) (catch_all_ref 0)
                      (call_ref $t (ref.func 0)))))
                (elem declare func 0)
                """, 10);
        // The catch clauses' labels are outside the try_table: $out is label 0 there.
        assertEquals("0a" + "14" + "01" + "12" + "00"
                + "027f" + "1f7f" + "02" + "000000" + "0300"
                + "d200" + "1400" + "0b0b0b", code);
    }
}
