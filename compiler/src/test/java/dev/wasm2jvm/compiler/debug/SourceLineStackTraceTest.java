package dev.wasm2jvm.compiler.debug;

import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.ModuleEmitter;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiles trap.wasm, built from trap.c with DWARF (see build.sh in the test resources), and checks
 * that a trap's Java stack trace points into the C source: {@code divide} traps at line 5 of
 * trap.c, called from {@code run} at line 11.
 */
class SourceLineStackTraceTest {
    private static final String CLASS_NAME = "dwarf.Trap";

    @Test
    void trapStackTraceShowsSourceFileAndLines() throws Throwable {
        WasmTrap trap = runTrapping(ModuleValidator.validate(ModuleDecoder.decode(LineTableTest.resource("trap.wasm"))));
        assertFrame(trap, "divide", "trap.c", 5);
        assertFrame(trap, "run", "trap.c", 11);
    }

    @Test
    void withoutDebugLineLinesAreBodyOffsets() throws Throwable {
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(LineTableTest.resource("trap.wasm")));
        WasmTrap trap = runTrapping(withoutDebugLine(module));
        // divide's unreachable is at module offset 0xeb and its body's first instruction at 0xbd
        // (wasm-objdump -d trap.wasm), so its line is 0xeb - 0xbd + 1.
        assertFrame(trap, "divide", "Trap.wasm", 0xeb - 0xbd + 1);
    }

    @Test
    void lineNumberTableHasAnEntryPerChangeOfLine() throws IOException {
        byte[] classFile = ModuleEmitter.emit(ModuleValidator.validate(ModuleDecoder.decode(LineTableTest.resource("trap.wasm"))), CLASS_NAME)
                .get(CLASS_NAME);
        // Rows of divide per llvm-dwarfdump-16 --debug-line: lines 3, 4, 4, 5, 0 (none), 7, 7, 7.
        assertEquals(List.of(3, 4, 5, 7), lineNumbers(classFile, "divide"));
        assertEquals(List.of(10, 11, 12), lineNumbers(classFile, "run"));
    }

    private static WasmTrap runTrapping(WasmModule module) throws Throwable {
        Map<String, byte[]> classes = ModuleEmitter.emit(module, CLASS_NAME);
        Map<String, byte[]> resources = ModuleEmitter.resources(module, CLASS_NAME);
        Class<?> moduleClass = new ClassLoader(SourceLineStackTraceTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) throw new ClassNotFoundException(name);
                return defineClass(name, bytes, 0, bytes.length);
            }

            @Override
            public InputStream getResourceAsStream(String name) {
                byte[] bytes = resources.get(name);
                return bytes != null ? new ByteArrayInputStream(bytes) : super.getResourceAsStream(name);
            }
        }.loadClass(CLASS_NAME);
        Instance instance = (Instance) MethodHandles.publicLookup()
                .findConstructor(moduleClass, MethodType.methodType(void.class, Imports.class))
                .invoke(new Imports());
        return assertThrows(WasmTrap.class, () -> instance.function("run").call(7, 0));
    }

    private static void assertFrame(Throwable t, String method, String file, int line) {
        boolean found = Arrays.stream(t.getStackTrace()).anyMatch(e -> e.getClassName().equals(CLASS_NAME)
                && e.getMethodName().equals(method) && file.equals(e.getFileName()) && e.getLineNumber() == line);
        assertTrue(found, () -> "no frame " + method + "(" + file + ":" + line + ") in "
                + Arrays.toString(t.getStackTrace()));
    }

    private static WasmModule withoutDebugLine(WasmModule m) {
        return new WasmModule(m.types(), m.imports(), m.functions(), m.tables(), m.memories(), m.globals(),
                m.exports(), m.start(), m.elements(), m.data(), m.dataCount(), m.codes(), m.names(),
                m.customs().stream().filter(c -> !c.name().equals(".debug_line")).toList(), m.codeSectionOffset());
    }

    /** The line numbers of method {@code name}'s LineNumberTable, in bytecode order. */
    private static List<Integer> lineNumbers(byte[] classFile, String name) {
        List<Integer> lines = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                                             String[] exceptions) {
                if (!method.equals(name)) return null;
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitLineNumber(int line, Label start) {
                        lines.add(line);
                    }
                };
            }
        }, 0);
        return lines;
    }
}
