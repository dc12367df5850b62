package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What the helpers that emitters request leave in a module's layout, and what a trial's scratch copy leaves. */
class ModuleLayoutTest {

    private static ModuleLayout layout() {
        ModuleBuilder m = new ModuleBuilder();
        int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
        m.table(m.function(type, List.of(), new ModuleBuilder.Code().localGet(0)));
        WasmModule module = ModuleDecoder.decode(m.build());
        return new ModuleLayout(module, "t/M");
    }

    @Test
    void requestsAreCollectedOnceEach() {
        ModuleLayout layout = layout();
        String map = layout.brTableMap(100, new int[] {0, 1});
        String dispatcher = layout.callIndirectMethod(0, 0);

        String ofTable1 = layout.callIndirectMethod(0, 1);
        String ofType1 = layout.callIndirectMethod(1, 0);

        assertSame(dispatcher, layout.callIndirectMethod(0, 0));
        assertEquals(List.of(map), List.copyOf(layout.brTableMaps().keySet()));
        assertArrayEquals(new int[] {0, 1}, layout.brTableMaps().get(map));
        assertEquals(List.of(dispatcher, ofTable1, ofType1), List.copyOf(layout.callIndirects().keySet()));
        assertArrayEquals(new int[] {0, 1}, layout.callIndirects().get(ofTable1));
        assertArrayEquals(new int[] {1, 0}, layout.callIndirects().get(ofType1));
    }

    @Test
    void descriptorsOfFunctionsAndGlobals() {
        ModuleBuilder m = new ModuleBuilder();
        int unary = m.type(List.of(ValType.I32), List.of(ValType.I32));
        int wide = m.type(List.of(ValType.I64, ValType.F64, ValType.V128), List.of());
        m.importFunction("env", "f", wide);
        m.function(unary, List.of(), new ModuleBuilder.Code().localGet(0));
        m.globalI32(true, 1, null);
        m.globalI32(false, 2, "exported");
        ModuleLayout layout = new ModuleLayout(ModuleDecoder.decode(m.build()), "t/M");

        assertEquals("(JDJJLt/M;)V", layout.functionDescriptor(0));
        assertEquals("(ILt/M;)I", layout.functionDescriptor(1));
        assertEquals(layout.functionDescriptor(1), layout.scratch().functionDescriptor(1));
        assertEquals("global0", layout.globalField(0));
        assertEquals("I", layout.globalDescriptor(0));
        assertEquals("global1", layout.globalField(1));
        assertEquals("L" + RuntimeRefs.GLOBAL + ";", layout.globalDescriptor(1), "an exported global is a shared Global");
    }

    /** Emitters ask for these at every indirect call and memory access: one string each, built with the layout. */
    @Test
    void namesAskedAtEveryAccessAreBuiltOnce() {
        ModuleBuilder m = new ModuleBuilder();
        int unary = m.type(List.of(ValType.I32), List.of(ValType.I32));
        int wide = m.type(List.of(ValType.I64, ValType.F64, ValType.V128), List.of());
        int binary = m.type(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));
        m.function(binary, List.of(), new ModuleBuilder.Code().localGet(0));
        m.memory(1);
        ModuleLayout layout = new ModuleLayout(ModuleDecoder.decode(m.build()), "t/M");

        assertEquals("(IILt/M;)I", layout.callIndirectDescriptor(unary));
        assertEquals("(JDJJILt/M;)V", layout.callIndirectDescriptor(wide));
        assertEquals("memory0", layout.memoryField(0));
        assertEquals("Lt/M;", layout.ownerDescriptor());
        ModuleLayout scratch = layout.scratch();
        assertSame(layout.callIndirectDescriptor(unary), scratch.callIndirectDescriptor(unary));
        assertSame(layout.memoryField(0), scratch.memoryField(0));
        assertEquals("i:i", layout.signature(unary));
        assertEquals("ldv:", layout.signature(wide));
        assertSame(layout.signature(wide), scratch.signature(wide));
        assertSame(layout.ownerDescriptor(), scratch.ownerDescriptor());
        assertSame(layout.callIndirectDescriptor(unary), layout.functionDescriptor(0),
                "an indirect call of (i32) -> i32 and a direct call of (i32, i32) -> i32 share one descriptor");
        assertSame(layout.functionDescriptor(0), new ModuleLayout(layout.module, "t/M").functionDescriptor(0), "and so do two layouts");
    }

    @Test
    void aScratchCopyNamesAlikeButKeepsItsRequests() {
        ModuleLayout layout = layout();
        String kept = layout.brTableMap(100, new int[] {0, 1});
        ModuleLayout scratch = layout.scratch();
        String shared = layout.brTableMap(200, new int[] {2});

        assertEquals(layout.functionName(0), scratch.functionName(0));
        assertEquals(shared, scratch.brTableMap(200, new int[] {3}));
        String trialOnly = scratch.brTableMap(300, new int[] {4});
        scratch.callIndirectMethod(0, 0);

        assertEquals(Set.of(kept, shared), layout.brTableMaps().keySet());
        assertArrayEquals(new int[] {2}, layout.brTableMaps().get(shared), "a trial's map of the same br_table replaces nothing");
        assertEquals(Map.of(), layout.callIndirects());
        assertEquals(Set.of(shared, trialOnly), scratch.brTableMaps().keySet(), "a scratch copy starts with no requests");
    }

    /** A name the JVM takes as it is comes back as the same string; others have the forbidden characters replaced and are cut. */
    @Test
    void legalNamesReplaceOnlyWhatTheJvmForbids() {
        String plain = "_ZN5regex4exec17h0123456789abcdefE";
        assertSame(plain, ModuleLayout.legal(plain));
        assertEquals("a_b_c_d_e_f_g", ModuleLayout.legal("a.b;c[d/e<f>g"));
        assertEquals("_", ModuleLayout.legal(""));
        assertEquals("x".repeat(1000), ModuleLayout.legal("x".repeat(1500)));
        assertEquals("x".repeat(999) + "_", ModuleLayout.legal("x".repeat(999) + ".y"));
    }
}
