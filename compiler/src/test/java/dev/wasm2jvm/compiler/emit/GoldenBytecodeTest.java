package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.ValType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bytecode of representative instructions, as ASM's {@code Textifier} prints it, against the
 * files in {@code src/test/resources/golden}: one per kind of lowering (inline JVM instructions, a
 * runtime helper, an inline var handle access, a dispatcher call, a jump table, a boxed global, the
 * termination poll of a loop, the direct call of a WASI import). A difference is either a
 * regression or an intended change; for the latter, rerun with
 * {@code -Dwasm2jvm.golden.update=true} and review the files' diff.
 */
class GoldenBytecodeTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @ParameterizedTest
    @ValueSource(strings = {"i32_add", "i32_div_s", "f64_nearest", "i64_load8_u", "i32_store16", "memory_grow",
            "global_get_set", "call_indirect", "br_table", "loop", "i32_atomic_rmw8_add_u", "i64_atomic_rmw_cmpxchg",
            "select", "wasi_import"})
    void instructionLowersToItsGoldenBytecode(String name) throws IOException {
        String actual = bytecode(module(name));
        Path file = GOLDEN.resolve(name + ".txt");
        if (Boolean.getBoolean("wasm2jvm.golden.update")) Files.writeString(file, actual);
        assertTrue(Files.exists(file), file + " is missing; create it with -Dwasm2jvm.golden.update=true");
        assertEquals(Files.readString(file), actual, name);
    }

    /** A module exporting {@code f}, whose body is the instruction under test with its operands from parameters. */
    private static byte[] module(String name) {
        ModuleBuilder m = new ModuleBuilder();
        List<ValType> ii = List.of(ValType.I32, ValType.I32);
        return switch (name) {
            case "i32_add" -> unary(m, ii, ValType.I32, c -> c.localGet(0).localGet(1).op(Opcodes.I32_ADD));
            case "i32_div_s" -> unary(m, ii, ValType.I32, c -> c.localGet(0).localGet(1).op(Opcodes.I32_DIV_S));
            case "f64_nearest" -> unary(m, List.of(ValType.F64), ValType.F64, c -> c.localGet(0).op(Opcodes.F64_NEAREST));
            case "i64_load8_u" -> {
                m.memory(1);
                yield unary(m, List.of(ValType.I32), ValType.I64, c -> c.localGet(0).memarg(Opcodes.I64_LOAD8_U, 0, 16));
            }
            case "i32_store16" -> {
                m.memory(1);
                yield unary(m, ii, null, c -> c.localGet(0).localGet(1).memarg(Opcodes.I32_STORE16, 1, 0));
            }
            case "memory_grow" -> {
                m.memory(1);
                yield unary(m, List.of(ValType.I32), ValType.I32, c -> c.localGet(0).op(Opcodes.MEMORY_GROW).u8(0));
            }
            case "global_get_set" -> {
                int g = m.globalI32(true, 7, "counter");
                yield unary(m, List.of(ValType.I32), ValType.I32,
                        c -> c.localGet(0).u8(0x24).u32(g).u8(0x23).u32(g));
            }
            case "call_indirect" -> {
                int type = m.type(List.of(ValType.I32), List.of(ValType.I32));
                int callee = m.function(type, List.of(), new ModuleBuilder.Code().localGet(0));
                m.table(callee);
                int f = m.function(m.type(ii, List.of(ValType.I32)), List.of(),
                        new ModuleBuilder.Code().localGet(0).localGet(1).callIndirect(type));
                m.exportFunction("f", f);
                yield m.build();
            }
            case "br_table" -> unary(m, List.of(ValType.I32), ValType.I32, c -> c
                    .block(Opcodes.BLOCK, (ValType) null).block(Opcodes.BLOCK, (ValType) null)
                    .localGet(0).brTable(new int[] {0, 1}, 1).end()
                    .i32Const(10).br(1).end().i32Const(20));
            case "loop" -> unary(m, List.of(ValType.I32), ValType.I32, c -> c
                    .block(Opcodes.LOOP, (ValType) null).localGet(0).i32Const(1).op(Opcodes.I32_SUB).localTee(0)
                    .brIf(0).end().localGet(0));
            case "i32_atomic_rmw8_add_u" -> {
                m.memory(1);
                yield unary(m, ii, ValType.I32, c -> prefixed(c.localGet(0).localGet(1), Opcodes.I32_ATOMIC_RMW8_ADD_U).u32(0).u32(4));
            }
            case "i64_atomic_rmw_cmpxchg" -> {
                m.memory(1);
                yield unary(m, List.of(ValType.I32, ValType.I64, ValType.I64), ValType.I64,
                        c -> prefixed(c.localGet(0).localGet(1).localGet(2), Opcodes.I64_ATOMIC_RMW_CMPXCHG).u32(3).u32(0));
            }
            case "select" -> unary(m, List.of(ValType.I64, ValType.I64, ValType.I32), ValType.I64,
                    c -> c.localGet(0).localGet(1).localGet(2).op(Opcodes.SELECT));
            case "wasi_import" -> {
                // An imported function exported as f: its static method is the import trampoline.
                int type = m.type(List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of(ValType.I32));
                m.exportFunction("f", m.importFunction("wasi_snapshot_preview1", "fd_write", type));
                yield m.build();
            }
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static byte[] unary(ModuleBuilder m, List<ValType> params, ValType result, Consumer<ModuleBuilder.Code> body) {
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        body.accept(code);
        int type = m.type(params, result == null ? List.of() : List.of(result));
        m.exportFunction("f", m.function(type, List.of(), code));
        return m.build();
    }

    private static ModuleBuilder.Code prefixed(ModuleBuilder.Code code, int opcode) {
        return code.u8(Opcodes.prefix(opcode)).u32(opcode & 0xFFF);
    }

    /** The Textifier listing of the static method of wasm function {@code f}. */
    private static String bytecode(byte[] wasm) {
        byte[] classFile = WasmCompiler.compile(wasm, "Golden").classFiles().entrySet().stream()
                .filter(e -> new ClassReader(e.getValue()).getClassName().equals("Golden"))
                .findFirst().orElseThrow().getValue();
        Textifier text = new Textifier();
        new ClassReader(classFile).accept(new ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                // The function's static method, not the facade's instance method of the same name.
                if (!name.equals("f") || (access & org.objectweb.asm.Opcodes.ACC_STATIC) == 0) return null;
                text.getText().add(name + descriptor + "\n");
                return new TraceMethodVisitor(text);
            }
        }, 0);
        StringWriter out = new StringWriter();
        text.print(new PrintWriter(out));
        return out.toString();
    }
}
