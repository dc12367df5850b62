package dev.wasm2jvm.compiler.emit.body;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.V128;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions past the limits of one JVM method: more parameters than a method takes, more locals
 * than a frame has slots, an operand stack deeper than a frame holds.
 */
class WideFunctionTest {
    private static final int PARAMS = 1000;
    private static final int I64_MUL = 0x7E;
    private static final int I64_ADD = 0x7C;
    private static final int I64_XOR = 0x85;
    private static final int I64_EXTEND_I32_S = 0xAC;
    private static final int I64_TRUNC_F64_S = 0xB0;
    private static final int F64_ADD = 0xA0;
    private static final int F64_MUL = 0xA2;
    private static final int F64_CONVERT_I32_S = 0xB7;
    private static final int I32_ADD = 0x6A;
    private static final int I32_LT_S = 0x48;
    private static final int BLOCK = 0x02;
    private static final int LOOP = 0x03;
    private static final int DROP = 0x1A;

    @TempDir
    Path classes;

    /** Parameter {@code i} of the wide type: i32, i64 and f64 in turn, 1,667 JVM slots in all. */
    private static ValType paramType(int i) {
        return switch (i % 3) {
            case 0 -> ValType.I32;
            case 1 -> ValType.I64;
            default -> ValType.F64;
        };
    }

    private static List<ValType> wideParams() {
        List<ValType> params = new ArrayList<>();
        for (int i = 0; i < PARAMS; i++) params.add(paramType(i));
        return params;
    }

    private static String wideSignature() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < PARAMS; i++) sb.append(paramType(i).letter());
        return sb.append(":l").toString();
    }

    /** The arguments that the callers in the module pass, boxed. */
    private static Object[] arguments() {
        Object[] args = new Object[PARAMS];
        for (int i = 0; i < PARAMS; i++) {
            args[i] = switch (paramType(i)) {
                case I32 -> i * 7 - 3000;
                case I64 -> i * 1_000_003L << 20;
                default -> i * 0.5 + 0.25;
            };
        }
        return args;
    }

    /** The weighted sum of {@code args}: each argument as an i64 (a double truncated), times its position plus one. */
    private static long weightedSum(Object[] args) {
        long sum = 0;
        for (int i = 0; i < args.length; i++) {
            long value = switch (args[i]) {
                case Integer v -> v;
                case Long v -> v;
                case Double v -> (long) (double) v;
                default -> throw new IllegalArgumentException(String.valueOf(args[i]));
            };
            sum += value * (i + 1);
        }
        return sum;
    }

    private static ModuleBuilder.Code weightedSumBody() {
        ModuleBuilder.Code body = new ModuleBuilder.Code().i64Const(0);
        for (int i = 0; i < PARAMS; i++) {
            body.localGet(i);
            if (paramType(i) == ValType.I32) body.op(I64_EXTEND_I32_S);
            if (paramType(i) == ValType.F64) body.op(I64_TRUNC_F64_S);
            body.i64Const(i + 1).op(I64_MUL).op(I64_ADD);
        }
        return body;
    }

    private static ModuleBuilder.Code pushArguments() {
        ModuleBuilder.Code code = new ModuleBuilder.Code();
        for (Object arg : arguments()) {
            switch (arg) {
                case Integer v -> code.i32Const(v);
                case Long v -> code.i64Const(v);
                case Double v -> code.f64Const(v);
                default -> throw new IllegalArgumentException(String.valueOf(arg));
            }
        }
        return code;
    }

    /**
     * Imports {@code env.wide} and defines {@code weighted}, both of the wide type, and functions that
     * call each of them directly ({@code callWeighted}, {@code callImport}) and through the table
     * {@code [weighted, env.wide]} ({@code indirectWeighted}, {@code indirectImport}).
     */
    private static byte[] wideModule() {
        ModuleBuilder b = new ModuleBuilder();
        int wide = b.type(wideParams(), List.of(ValType.I64));
        int caller = b.type(List.of(), List.of(ValType.I64));
        int imported = b.importFunction("env", "wide", wide);
        int weighted = b.function(wide, List.of(), weightedSumBody());
        b.exportFunction("weighted", weighted);
        b.exportFunction("callWeighted", b.function(caller, List.of(), pushArguments().call(weighted)));
        b.exportFunction("callImport", b.function(caller, List.of(), pushArguments().call(imported)));
        b.exportFunction("indirectWeighted", b.function(caller, List.of(), pushArguments().i32Const(0).callIndirect(wide)));
        b.exportFunction("indirectImport", b.function(caller, List.of(), pushArguments().i32Const(1).callIndirect(wide)));
        b.table(weighted, imported);
        return b.build();
    }

    /** The host's {@code env.wide}: the weighted sum plus one, so that its results tell it apart. */
    private static Imports hostImports() {
        return new Imports().add("env", "wide", FuncRef.host(wideSignature(), args -> new Object[] {weightedSum(args) + 1}));
    }

    private static long call(Instance instance, String name, Object... args) {
        return (Long) instance.function(name).call(args)[0];
    }

    @Test
    void aThousandParametersArriveByCallAndCallIndirect() {
        Instance instance = WasmCompiler.compile(wideModule()).instantiate(hostImports());
        long expected = weightedSum(arguments());
        assertEquals(expected, call(instance, "callWeighted"));
        assertEquals(expected, call(instance, "indirectWeighted"));
        assertEquals(expected + 1, call(instance, "callImport"));
        assertEquals(expected + 1, call(instance, "indirectImport"));
    }

    @Test
    void javaCallsAWideFunctionWithItsArgumentsBoxed() {
        Instance instance = WasmCompiler.compile(wideModule()).instantiate(hostImports());
        assertEquals(wideSignature(), instance.function("weighted").type);
        assertEquals(weightedSum(arguments()), call(instance, "weighted", arguments()));
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class, () -> call(instance, "weighted", 1, 2L));
        assertEquals("1000 arguments expected, 2 given", tooFew.getMessage());
        Object[] mistyped = arguments();
        mistyped[1] = 5;
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, () -> call(instance, "weighted", mistyped));
        assertEquals("argument 1 is java.lang.Integer where Long is expected", wrongType.getMessage());
    }

    @Test
    void anotherInstanceCallsAWideExportByImportAndThroughItsTable() {
        Instance exporter = WasmCompiler.compile(wideModule()).instantiate(hostImports());
        ModuleBuilder b = new ModuleBuilder();
        int wide = b.type(wideParams(), List.of(ValType.I64));
        int caller = b.type(List.of(), List.of(ValType.I64));
        int imported = b.importFunction("exporter", "weighted", wide);
        b.exportFunction("direct", b.function(caller, List.of(), pushArguments().call(imported)));
        b.exportFunction("indirect", b.function(caller, List.of(), pushArguments().i32Const(0).callIndirect(wide)));
        b.table(imported);
        Instance importer = WasmCompiler.compile(b.build())
                .instantiate(new Imports().add("exporter", "weighted", exporter.function("weighted")));
        assertEquals(weightedSum(arguments()), call(importer, "direct"));
        assertEquals(weightedSum(arguments()), call(importer, "indirect"));
    }

    @Test
    void theFacadeTakesAndTheHostImplementsBoxedArguments() throws Throwable {
        WasmCompiler.compile(wideModule(), "wide.Weighted").writeTo(classes);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> weighted = loader.loadClass("wide.Weighted");
            Class<?> imports = loader.loadClass("wide.Weighted$Imports");
            Method host = imports.getMethod("env_wide", Object[].class);
            assertTrue(host.isVarArgs());
            Object implementation = Proxy.newProxyInstance(loader, new Class<?>[] {imports},
                    (proxy, method, args) -> method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, args)
                            : weightedSum((Object[]) args[0]) + 1);
            Object instance = weighted.getMethod("instantiate", imports).invoke(null, implementation);
            Method method = weighted.getMethod("weighted", Object[].class);
            assertTrue(method.isVarArgs());
            assertEquals(long.class, method.getReturnType());
            assertEquals(weightedSum(arguments()), method.invoke(instance, (Object) arguments()));
            assertEquals(weightedSum(arguments()) + 1, weighted.getMethod("callImport").invoke(instance));
            InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                    () -> method.invoke(instance, (Object) new Object[] {1}));
            assertTrue(thrown.getCause() instanceof IllegalArgumentException, thrown.getCause().toString());
        }
    }

    @Test
    void theFacadeSourceDeclaresBoxedArgumentsAndCompiles() throws Exception {
        String source = WasmCompiler.facadeSource(wideModule(), "wide.Weighted");
        assertTrue(source.contains("public long weighted(Object... args) {"), source);
        assertTrue(source.contains("long env_wide(Object... args);"), source);
        assertTrue(source.contains("so they come in {@code args}, in order, boxed"), source);
        Path file = Files.createDirectories(classes.resolve("src/wide")).resolve("Weighted.java");
        Files.writeString(file, source);
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, diagnostics, diagnostics, "-d",
                classes.resolve("out").toString(), "-cp", System.getProperty("java.class.path"), file.toString());
        assertEquals(0, status, diagnostics.toString());
    }

    @Test
    void theApiInterfaceDeclaresBoxedArgumentsAndTheClassImplementsIt() throws Exception {
        WasmCompiler.compile(wideModule(), "wide.Weighted").implementingApiInterface().writeTo(classes);
        String source = WasmCompiler.apiInterfaceSource(wideModule(), "wide.Weighted");
        assertTrue(source.contains("    long weighted(Object... args);"), source);
        assertTrue(source.contains("     * @param args the arguments, boxed\n"), source);
        Path file = Files.createDirectories(classes.resolve("api/wide")).resolve("WeightedApi.java");
        Files.writeString(file, source);
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, diagnostics, diagnostics, "-Xdoclint:all", "-Werror",
                "-d", classes.toString(), "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
                file.toString());
        assertEquals(0, status, diagnostics.toString());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> api = loader.loadClass("wide.WeightedApi");
            assertTrue(api.isAssignableFrom(loader.loadClass("wide.Weighted")));
            assertTrue(api.getMethod("weighted", Object[].class).isVarArgs());
        }
    }

    /** 1,500 i64 parameters take 3,000 slots: those past the slots for locals are unboxed into an array. */
    @Test
    void parametersPastTheSlotsForLocalsArriveInAnArray() {
        int count = 1_500;
        ModuleBuilder.Code body = new ModuleBuilder.Code().i64Const(0);
        Object[] args = new Object[count];
        for (int i = 0; i < count; i++) {
            body.localGet(i).i64Const(i + 1).op(I64_MUL).op(I64_ADD);
            args[i] = i * 3L - 7;
        }
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(Collections.nCopies(count, ValType.I64), List.of(ValType.I64));
        b.exportFunction("f", b.function(type, List.of(), body));
        Instance instance = WasmCompiler.compile(b.build()).instantiate(new Imports());
        assertEquals(weightedSum(args), call(instance, "f", args));
    }

    @Test
    void seventyThousandLocalsLiveInSlotsAndArrays() {
        int count = 70_000;
        List<ValType> locals = new ArrayList<>();
        for (int l = 1; l <= count; l++) locals.add(paramType(l));
        int highI32 = 69_999;
        int highI64 = 69_997;
        int highF64 = 69_998;
        int lastI64 = 70_000;
        int untouched = 68_001;
        int low = 3;
        assertEquals(List.of(ValType.I32, ValType.I64, ValType.F64, ValType.I32, ValType.I64, ValType.I32),
                List.of(paramType(highI32), paramType(highI64), paramType(highF64), paramType(low), paramType(lastI64),
                        paramType(untouched)));
        ModuleBuilder.Code body = new ModuleBuilder.Code()
                .i32Const(7).localSet(highI32)
                .i64Const(5_000_000_000L).localSet(highI64)
                .f64Const(2.75).localSet(highF64)
                .localGet(0).localSet(lastI64)
                .i32Const(-40).localTee(low).localSet(untouched - 3)
                .localGet(highI32).op(I64_EXTEND_I32_S)
                .localGet(highI64).op(I64_ADD)
                .localGet(highF64).f64Const(4).op(F64_MUL).op(I64_TRUNC_F64_S).op(I64_ADD)
                .localGet(lastI64).op(I64_ADD)
                .localGet(untouched).op(I64_EXTEND_I32_S).op(I64_ADD)
                .localGet(untouched - 3).op(I64_EXTEND_I32_S).op(I64_ADD)
                .localGet(low).op(I64_EXTEND_I32_S).op(I64_ADD);
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(ValType.I64), List.of(ValType.I64));
        b.exportFunction("f", b.function(type, locals, body));
        Instance instance = WasmCompiler.compile(b.build()).instantiate(new Imports());
        assertEquals(7 + 5_000_000_000L + 11 + 123_456_789_012L - 40 - 40, call(instance, "f", 123_456_789_012L));
        assertEquals(7 + 5_000_000_000L + 11 - 1 - 40 - 40, call(instance, "f", -1L));
    }

    @Test
    void outlinedPartsShareTheLocalsInArrays() {
        int count = 5_000;
        int rounds = 1_500;
        ModuleBuilder.Code body = new ModuleBuilder.Code();
        long[] expected = new long[count];
        for (int l = 0; l < count; l++) {
            body.i64Const(l * 3L + 1).localSet(l);
            expected[l] = l * 3L + 1;
        }
        for (int k = 0; k < rounds; k++) {
            int a = k * 7 % count;
            int c = (k * 31 + 2) % count;
            int d = count - 1 - k % 900;
            body.op(BLOCK).u8(0x40).localGet(a).localGet(d).op(I64_ADD).i64Const(k).op(I64_XOR).localSet(c).end();
            expected[c] = expected[a] + expected[d] ^ k;
        }
        long checksum = 0;
        body.i64Const(0);
        for (int l = 0; l < count; l += 97) {
            body.localGet(l).op(I64_ADD);
            checksum += expected[l];
        }
        assertEquals(checksum, call(splitFunction(Collections.nCopies(count, ValType.I64), body), "f"));
    }

    /** Instantiates a module of one function {@code f: [] -> [i64]}, asserting that it is split. */
    private static Instance splitFunction(List<ValType> locals, ModuleBuilder.Code body) {
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(), List.of(ValType.I64));
        b.exportFunction("f", b.function(type, locals, body));
        CompiledModule compiled = WasmCompiler.compile(b.build());
        assertTrue(compiled.classFiles().keySet().stream().anyMatch(name -> name.contains("$Frame")), "the function is split");
        return compiled.instantiate(new Imports());
    }

    @Test
    void aSeventyThousandDeepOperandStackIsSpilled() {
        int depth = 70_000;
        ModuleBuilder.Code body = new ModuleBuilder.Code();
        long sum = 0;
        for (int k = 0; k < depth; k++) {
            long value = (k % 97) * 1_000_003L - 5;
            body.i64Const(value);
            sum += value;
        }
        for (int k = 1; k < depth; k++) body.op(I64_ADD);
        assertEquals(sum, call(splitFunction(List.of(), body), "f"));
    }

    /**
     * A function too short to be measured before it is emitted whose {@code v128}s still go past
     * the slots a frame keeps on its stack: each {@code local.get} of a {@code v128} pushes four
     * slots from two bytes of code.
     */
    @Test
    void aShortFunctionOfV128sDeeperThanAFrameKeepsIsSpilled() {
        int depth = 300;
        ModuleBuilder b = new ModuleBuilder();
        int type = b.type(List.of(ValType.V128), List.of(ValType.V128));
        ModuleBuilder.Code body = new ModuleBuilder.Code();
        for (int k = 0; k < depth; k++) body.localGet(0);
        for (int k = 1; k < depth; k++) body.op(DROP);
        assertTrue(body.bytes().length < 1000, "short enough not to be measured before it is emitted");
        b.exportFunction("f", b.function(type, List.of(), body));
        Instance instance = WasmCompiler.compile(b.build()).instantiate(new Imports());
        V128 v = new V128(0x0123_4567_89AB_CDEFL, -42);
        assertArrayEquals(new Object[] {v}, instance.function("f").call(v));
    }

    /**
     * A stack of f64s too deep for a JVM frame under a block that branches, a loop, a call and a
     * select: each takes its operands from the spilled values and gives its results back.
     */
    @Test
    void controlFlowAndCallsWorkOnASpilledStack() {
        int depth = 20_000;
        ModuleBuilder b = new ModuleBuilder();
        int add3 = b.type(List.of(ValType.F64, ValType.F64, ValType.F64), List.of(ValType.F64));
        int type = b.type(List.of(ValType.I32), List.of(ValType.F64));
        int sum3 = b.function(add3, List.of(), new ModuleBuilder.Code().localGet(0).localGet(1).op(F64_ADD).localGet(2).op(F64_ADD));
        ModuleBuilder.Code body = new ModuleBuilder.Code();
        double values = 0;
        for (int k = 0; k < depth; k++) {
            body.f64Const(k % 10 + 0.5);
            values += k % 10 + 0.5;
        }
        body.block(BLOCK, ValType.F64).f64Const(100).localGet(0).brIf(0).op(0x1A).f64Const(1000).end();
        body.block(LOOP, null).localGet(1).i32Const(1).op(I32_ADD).localTee(1).i32Const(10).op(I32_LT_S).brIf(0).end();
        body.localGet(1).op(F64_CONVERT_I32_S).call(sum3);
        body.f64Const(-1).f64Const(-2).localGet(0).op(0x1B).op(F64_ADD);
        for (int k = 1; k < depth; k++) body.op(F64_ADD);
        b.exportFunction("f", b.function(type, List.of(ValType.I32), body));
        Instance instance = WasmCompiler.compile(b.build()).instantiate(new Imports());
        assertArrayEquals(new Object[] {values + 100 + 10 - 1}, instance.function("f").call(1));
        assertArrayEquals(new Object[] {values + 1000 + 10 - 2}, instance.function("f").call(0));
    }

    /** A block's parameters become an outlined copy's parameters, so one with too many is not outlined. */
    @Test
    void aBlockWithMoreParametersThanAMethodTakesIsNotOutlined() {
        int params = 300;
        ModuleBuilder b = new ModuleBuilder();
        int blockType = b.type(Collections.nCopies(params, ValType.I32), List.of(ValType.I32));
        int type = b.type(List.of(), List.of(ValType.I32));
        ModuleBuilder.Code body = new ModuleBuilder.Code();
        int sum = 0;
        for (int i = 0; i < params; i++) {
            body.i32Const(i);
            sum += i;
        }
        body.u8(BLOCK).s32(blockType);
        for (int i = 1; i < params; i++) body.op(I32_ADD);
        for (int i = 0; i < 3_000; i++) {
            body.i32Const(i * 1_000).op(I32_ADD);
            sum += i * 1_000;
        }
        body.end();
        b.exportFunction("f", b.function(type, List.of(), body));
        Instance instance = WasmCompiler.compile(b.build()).instantiate(new Imports());
        assertArrayEquals(new Object[] {sum}, instance.function("f").call());
    }

    @Test
    void labelValuesBeyondTheJvmStackAreRefusedByName() {
        ModuleBuilder b = new ModuleBuilder();
        int many = b.type(List.of(), Collections.nCopies(20_000, ValType.I64));
        int type = b.type(List.of(), List.of());
        ModuleBuilder.Code body = new ModuleBuilder.Code().u8(BLOCK).s32(many);
        for (int k = 0; k < 20_000; k++) body.i64Const(k);
        body.end();
        for (int k = 0; k < 20_000; k++) body.op(0x1A);
        b.function(type, List.of(), body);
        CompileException e = assertThrows(CompileException.class, () -> WasmCompiler.compile(b.build()));
        assertEquals(CompileException.Kind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("an operand stack of more than"), e.getMessage());
    }
}
