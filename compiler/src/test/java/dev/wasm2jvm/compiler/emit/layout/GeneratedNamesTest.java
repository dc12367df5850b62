package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.ModuleBuilder.Code;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Imports;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The synthetic names against the runtime's {@code TrapReport}, which recognises them by pattern to
 * leave helpers out of a wasm backtrace and to name the function an outlined part belongs to.
 */
class GeneratedNamesTest {
    @Test
    void dispatchersAndTheirPartsAreRecognisedAsDispatchers() throws Exception {
        Pattern dispatcher = trapReportPattern("DISPATCHER");
        String callIndirect = GeneratedNames.callIndirect(3, 0);
        assertTrue(dispatcher.matcher(callIndirect).matches());
        assertTrue(dispatcher.matcher(GeneratedNames.part(callIndirect, 2)).matches());
        assertTrue(dispatcher.matcher(GeneratedNames.directCalls(callIndirect)).matches());
        assertTrue(dispatcher.matcher(GeneratedNames.part(GeneratedNames.directCalls(callIndirect), 1)).matches());
    }

    @Test
    void instantiationStepsAndHelpersAreRecognised() throws Exception {
        Pattern instantiation = trapReportPattern("INSTANTIATION");
        assertTrue(instantiation.matcher(GeneratedNames.INIT_STEPS + 4).matches());
        assertTrue(instantiation.matcher(GeneratedNames.CLINIT_STEPS + 0).matches());
        Pattern helper = trapReportPattern("HELPER");
        assertTrue(helper.matcher(GeneratedNames.brTableMap(0x1F40)).matches());
        assertTrue(helper.matcher(GeneratedNames.newFuncRefChunk(2)).matches());
        assertTrue(helper.matcher(GeneratedNames.NEW_FUNC_REF_FIND).matches());
        assertTrue(helper.matcher(GeneratedNames.HOST_FUNCTION_STEPS + 0).matches());
        assertTrue(helper.matcher(RuntimeRefs.WASI_COMMAND_START.name()).matches());
    }

    @Test
    void anOutlinedPartIsReportedAsItsFunction() throws Exception {
        Pattern outlined = trapReportPattern("OUTLINED");
        for (String kind : new String[] {"block", "loop", "if", "states", "groups", "seq"}) {
            assertEquals("sqlite3VdbeExec",
                    outlined.matcher(GeneratedNames.outlinedPart("sqlite3VdbeExec", kind, 0x2A7F)).replaceFirst(""));
        }
    }

    @Test
    void theSourceFileTableIsCalledByTheRuntimesName() throws Exception {
        Field f = trapReport().getDeclaredField("SOURCE_FILES_METHOD");
        f.setAccessible(true);
        assertEquals(GeneratedNames.SOURCE_FILES_METHOD, f.get(null));
    }

    /** A function may not take a name the runtime would take for a helper's, nor an instance method's. */
    @Test
    void functionsNamedLikeHelpersAreRenamed() {
        assertTrue(GeneratedNames.isReserved("call_indirect$0$0"));
        assertTrue(GeneratedNames.isReserved("init$0"));
        assertTrue(GeneratedNames.isReserved("funcRef"));
        assertTrue(GeneratedNames.isReserved("exports"));
        assertTrue(GeneratedNames.isReserved("wasiStart"));
        assertFalse(GeneratedNames.isReserved("main"));
        assertEquals("init$0$7", GeneratedNames.uniqueFunction("init$0", 7));
    }

    /**
     * A split function's frame class is named by the function's index: named after the function,
     * as it was, a C++ name from the name section of 300 bytes made a class file whose name no
     * file system holds, and writing the classes out failed ("File name too long").
     */
    @Test
    void aFrameClassIsNamedByItsFunctionsIndex(@TempDir Path classes) {
        String name = "std::__2::money_get<char>::__do_get(" + "char*&, ".repeat(32) + "bool&)";
        CompiledModule compiled = WasmCompiler.compile(withFunctionName(splitFunction(), 0, name));
        assertTrue(compiled.classFiles().containsKey(GeneratedNames.frameClass("wasm/Module", 0).replace('/', '.')),
                "frame class of " + compiled.classFiles().keySet());

        compiled.writeTo(classes);
        assertEquals(List.of(123 * 8), List.of(compiled.instantiate(new Imports()).function("f").call(123)[0]));
    }

    /** {@code f(x)}: blocks of arithmetic too long for one method, which leave {@code x * 8}. */
    private static byte[] splitFunction() {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(ValType.I32), List.of(ValType.I32));
        Code c = new Code();
        for (int block = 0; block < 3; block++) {
            c.block(Opcodes.BLOCK, (ValType) null);
            for (int j = 1; j <= 1000; j++) c.localGet(1).i32Const(j).op(Opcodes.I32_MUL).i32Const(j).op(Opcodes.I32_XOR).localSet(1);
            c.localGet(0).localGet(0).op(Opcodes.I32_ADD).localSet(0).end();
        }
        c.localGet(0);
        b.exportFunction("f", b.function(type, List.of(ValType.I32), c));
        return b.build();
    }

    /** {@code wasm} with a name section at its end that names function {@code funcidx} {@code name}. */
    private static byte[] withFunctionName(byte[] wasm, int funcidx, String name) {
        Code names = new Code().u32(1).u32(funcidx).raw(utf8(name));
        Code content = new Code().raw(utf8("name")).u8(1).u32(names.size()).raw(names.bytes());
        return new Code().raw(wasm).u8(0).u32(content.size()).raw(content.bytes()).bytes();
    }

    private static byte[] utf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return new Code().u32(bytes.length).raw(bytes).bytes();
    }

    private static Pattern trapReportPattern(String name) throws Exception {
        Field f = trapReport().getDeclaredField(name);
        f.setAccessible(true);
        return (Pattern) f.get(null);
    }

    private static Class<?> trapReport() throws ClassNotFoundException {
        return Class.forName("dev.wasm2jvm.runtime.command.TrapReport");
    }
}
