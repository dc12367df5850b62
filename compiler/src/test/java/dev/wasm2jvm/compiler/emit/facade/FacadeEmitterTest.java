package dev.wasm2jvm.compiler.emit.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Global;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.Table;
import dev.wasm2jvm.runtime.WasmTrap;
import dev.wasm2jvm.runtime.wasi.WasiExit;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import dev.wasm2jvm.runtime.wasi.WasiPreview1;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The typed API of generated classes, on real modules: {@code calc.wat} (exports of every kind,
 * names to map, host functions), {@code shared.wat} (an imported memory) and {@code hello.wat}
 * (a WASI command).
 */
class FacadeEmitterTest {
    @TempDir
    Path classes;

    /** Compiles the test module {@code name}.wasm into class {@code className}, written to {@link #classes}, and loads it. */
    private Class<?> load(String name, String className) throws IOException, ClassNotFoundException {
        WasmCompiler.compile(wasm(name), className).writeTo(classes);
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
        return loader.loadClass(className);
    }

    private static byte[] wasm(String name) throws IOException {
        try (InputStream in = FacadeEmitterTest.class.getResourceAsStream("/facade/" + name + ".wasm")) {
            return in.readAllBytes();
        }
    }

    private static Object call(Object target, String method, Object... args) throws Throwable {
        Method m = Arrays.stream(target instanceof Class<?> c ? c.getMethods() : target.getClass().getMethods())
                .filter(candidate -> candidate.getName().equals(method) && candidate.getParameterCount() == args.length)
                .findFirst().orElseThrow(() -> new AssertionError("no method " + method));
        try {
            return m.invoke(target instanceof Class<?> ? null : target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Calc's host functions: {@code env.log} records its argument, {@code env.divmod} returns quotient and remainder. */
    private static Object host(Class<?> calc, List<Integer> logged) throws ClassNotFoundException {
        return host(calc, logged, new ArrayList<>());
    }

    /** As {@link #host(Class, List)}; {@code bind} adds each instance to {@code bound}. */
    private static Object host(Class<?> calc, List<Integer> logged, List<Object> bound) throws ClassNotFoundException {
        Class<?> imports = calc.getClassLoader().loadClass(calc.getName() + "$Imports");
        Class<?> pair = calc.getClassLoader().loadClass(calc.getName() + "$Results_ii");
        return Proxy.newProxyInstance(calc.getClassLoader(), new Class<?>[] {imports}, (proxy, method, args) -> switch (method.getName()) {
            case "bind" -> {
                bound.add(args[0]);
                yield null;
            }
            case "env_log" -> {
                logged.add((Integer) args[0]);
                yield null;
            }
            case "env_divmod" -> pair.getConstructor(int.class, int.class)
                    .newInstance((int) args[0] / (int) args[1], (int) args[0] % (int) args[1]);
            default -> throw new UnsupportedOperationException(method.getName());
        });
    }

    @Test
    void exportedFunctionsAreTypedMethodsWithJavaNames() throws Throwable {
        Class<?> calc = load("calc", "com.example.Calc");
        Object instance = call(calc, "instantiate", host(calc, new ArrayList<>()));
        assertEquals(5, call(instance, "addTwo", 2, 3));
        assertEquals(1.5f, call(instance, "class_"));
        assertEquals(1, call(instance, "exports_"));
        Object token = new Object();
        assertSame(token, call(instance, "ident", token));
        assertEquals(int.class, calc.getMethod("addTwo", int.class, int.class).getReturnType());
        assertEquals(List.of("a", "b"), Arrays.stream(calc.getMethod("addTwo", int.class, int.class).getParameters())
                .map(p -> p.getName()).toList());
    }

    @Test
    void severalResultsComeInARecord() throws Throwable {
        Class<?> calc = load("calc", "com.example.Calc");
        Object instance = call(calc, "instantiate", host(calc, new ArrayList<>()));
        Object swapped = call(instance, "swap", 7L, 2.5);
        assertTrue(swapped.getClass().isRecord());
        assertEquals("Results_dl", swapped.getClass().getSimpleName());
        assertEquals(2.5, call(swapped, "r0"));
        assertEquals(7L, call(swapped, "r1"));
        assertEquals("Results_dl[r0=2.5, r1=7]", swapped.toString());
        assertEquals(swapped, call(instance, "swap", 7L, 2.5));
    }

    /**
     * Past {@link Facade#MAX_RECORD_COMPONENTS} results, a function's method returns them boxed in an
     * array, and so does the host's method of the {@code Imports} interface: 128 {@code long}s would
     * make a record whose constructor takes 257 slots, a class the JVM refuses to load
     * ({@code ClassFormatError: Too many arguments in method signature}).
     */
    @Test
    void moreResultsThanARecordTakesComeInAnArray() throws Throwable {
        int many = 128;
        ModuleBuilder b = new ModuleBuilder();
        int longs = b.type(List.of(), Collections.nCopies(many, ValType.I64));
        int record = b.type(List.of(), Collections.nCopies(Facade.MAX_RECORD_COMPONENTS, ValType.I64));
        int host = b.importFunction("env", "many", longs);
        b.exportFunction("many", b.function(longs, List.of(), new ModuleBuilder.Code().call(host)));
        ModuleBuilder.Code counting = new ModuleBuilder.Code();
        for (int i = 0; i < Facade.MAX_RECORD_COMPONENTS; i++) counting.i64Const(i);
        b.exportFunction("hundred", b.function(record, List.of(), counting));
        WasmCompiler.compile(b.build(), "com.example.Many").writeTo(classes);
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
        Class<?> module = loader.loadClass("com.example.Many");
        Object[] longsFromHost = new Object[many];
        for (int i = 0; i < many; i++) longsFromHost[i] = (long) -i;
        Object imports = Proxy.newProxyInstance(loader, new Class<?>[] {loader.loadClass("com.example.Many$Imports")},
                (proxy, method, args) -> method.getName().equals("env_many") ? longsFromHost : null);
        Object instance = call(module, "instantiate", imports);

        assertEquals(Object[].class, module.getMethod("many").getReturnType());
        assertEquals(Arrays.asList(longsFromHost), Arrays.asList((Object[]) call(instance, "many")));
        Object hundred = call(instance, "hundred");
        assertTrue(hundred.getClass().isRecord());
        assertEquals((long) Facade.MAX_RECORD_COMPONENTS - 1, call(hundred, "r" + (Facade.MAX_RECORD_COMPONENTS - 1)));
    }

    @Test
    void accessorsReturnTheExportedMemoryTableAndGlobal() throws Throwable {
        Class<?> calc = load("calc", "com.example.Calc");
        Instance instance = (Instance) call(calc, "instantiate", host(calc, new ArrayList<>()));
        assertSame(instance.memory("memory"), call(instance, "memory"));
        assertSame(instance.table("table"), call(instance, "table"));
        assertSame(instance.global("counter"), call(instance, "counter"));
        assertEquals(Memory.class, calc.getMethod("memory").getReturnType());
        assertEquals(Table.class, calc.getMethod("table").getReturnType());
        assertEquals(Global.class, calc.getMethod("counter").getReturnType());
    }

    @Test
    void instantiateRunsTheReactorsInitializeFunction() throws Throwable {
        Class<?> calc = load("calc", "com.example.Calc");
        Instance initialized = (Instance) call(calc, "instantiate", host(calc, new ArrayList<>()));
        assertEquals(9, initialized.global("counter").get());
        Imports imports = new Imports()
                .add("env", "log", FuncRef.host("i:", args -> null))
                .add("env", "divmod", FuncRef.host("ii:ii", args -> new Object[] {0, 0}));
        Instance constructed = (Instance) calc.getConstructor(Imports.class).newInstance(imports);
        assertEquals(7, constructed.global("counter").get());
    }

    @Test
    void hostFunctionsImplementTheImportsInterface() throws Throwable {
        Class<?> calc = load("calc", "com.example.Calc");
        List<Integer> logged = new ArrayList<>();
        Object instance = call(calc, "instantiate", host(calc, logged));
        call(instance, "log_twice", 42);
        assertEquals(List.of(42, 42), logged);
        assertEquals(3 + 2, call(instance, "divmod_sum", 17, 5));
        Class<?> imports = calc.getClassLoader().loadClass("com.example.Calc$Imports");
        assertTrue(imports.isInterface() && imports.getEnclosingClass() == calc);
        assertEquals(Set.of("env_log", "env_divmod"), Arrays.stream(imports.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers())).map(Method::getName).collect(Collectors.toSet()));
    }

    @Test
    void theHostImplementationLearnsEachInstanceBeforeItsCodeRuns() throws Throwable {
        Class<?> calc = load("calc", "com.example.Calc");
        List<Object> bound = new ArrayList<>();
        Instance instance = (Instance) call(calc, "instantiate", host(calc, new ArrayList<>(), bound));
        assertEquals(List.of(instance), bound);
        Class<?> imports = calc.getClassLoader().loadClass("com.example.Calc$Imports");
        Method bind = imports.getMethod("bind", calc);
        assertTrue(bind.isDefault());
        assertEquals("instance", bind.getParameters()[0].getName());
    }

    @Test
    void parametersAreNamedAfterTheNameSectionsLocalNamesMadeLegalAndUnique() throws Throwable {
        Class<?> calc = load("calc", "com.example.Calc");
        Method names = calc.getMethod("names", int.class, int.class, int.class, long.class);
        assertEquals(List.of("class_", "p2", "p2_", "xY"), Arrays.stream(names.getParameters()).map(p -> p.getName()).toList());
        Method log = calc.getClassLoader().loadClass("com.example.Calc$Imports").getMethod("env_log", int.class);
        assertEquals("value", log.getParameters()[0].getName());
        Method divmod = calc.getClassLoader().loadClass("com.example.Calc$Imports").getMethod("env_divmod", int.class, int.class);
        assertEquals(List.of("p0", "p1"), Arrays.stream(divmod.getParameters()).map(p -> p.getName()).toList());
        String source = WasmCompiler.facadeSource(wasm("calc"), "com.example.Calc");
        assertTrue(source.contains("public int names(int class_, int p2, int p2_, long xY) {"), source);
        assertTrue(source.contains("     * @param class_ parameter 0, i32\n"), source);
        assertTrue(source.contains("     * @param xY parameter 3, i64\n"), source);
        assertTrue(source.contains("        void env_log(int value);"), source);
    }

    @Test
    void trapsAreWasmTraps() throws Throwable {
        Class<?> calc = load("calc", "com.example.Calc");
        Object instance = call(calc, "instantiate", host(calc, new ArrayList<>()));
        WasmTrap trap = assertThrows(WasmTrap.class, () -> call(instance, "div", 1, 0));
        assertEquals("integer divide by zero", trap.getMessage());
    }

    @Test
    void importedMemoriesComeInTheRuntimesImports() throws Throwable {
        Class<?> shared = load("shared", "Shared");
        Memory memory = new Memory(1, 1, false);
        memory.writeI32(0, 1234);
        Object instance = call(shared, "instantiate", new Imports().add("env", "memory", memory));
        assertEquals(1234, call(instance, "first"));
        assertEquals(0, shared.getDeclaredClasses().length);
    }

    @Test
    void aWasiModuleIsInstantiatedWithItsWasiHost() throws Throwable {
        Class<?> hello = load("hello", "Hello");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (WasiPreview1 wasi = new WasiPreview1(WasiOptions.builder().args("hello", "world").stdout(stdout).build())) {
            Object instance = call(hello, "instantiate", wasi);
            WasiExit exit = assertThrows(WasiExit.class, () -> call(instance, "_start"));
            assertEquals(3, exit.exitCode());
            wasi.flush();
        }
        assertEquals("hello world\n", stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aWasiCommandHasAMainMethodThatRunsIt() throws Exception {
        load("hello", "Hello");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                classes + File.pathSeparator + System.getProperty("java.class.path"), "Hello", "world")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals("hello world\n", out);
        assertEquals(3, process.exitValue());
    }

    @Test
    void aCommandImportingFromWasiSnapshot0HasTheWasiHostAndAMainThatRunsIt() throws Exception {
        Path module = Path.of("src/test/resources/wasi/snapshot0.wasm");
        WasmCompiler.compile(Files.readAllBytes(module), "Snapshot0").writeTo(classes);
        Path data = Files.createDirectories(classes.resolveSibling(classes.getFileName() + "-data"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> snapshot0 = loader.loadClass("Snapshot0");
            assertEquals(0, snapshot0.getDeclaredClasses().length, "no Imports interface: WASI provides every function");
            snapshot0.getMethod("instantiate", WasiPreview1.class);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Dwasm2jvm.dir=" + data + "::/data", "-cp",
                classes + File.pathSeparator + System.getProperty("java.class.path"), "Snapshot0")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(Files.readString(module.resolveSibling("snapshot0-output.txt")), out);
        assertEquals(0, process.exitValue());
    }

    @ParameterizedTest
    @CsvSource({"calc, com.example.Calc", "hello, Hello"})
    void theFacadeSourceCompilesToTheSameApi(String module, String className) throws Exception {
        Class<?> generated = load(module, className);
        Path sources = Files.createDirectories(classes.resolveSibling(classes.getFileName() + "-src"));
        Path source = sources.resolve(generated.getSimpleName() + ".java");
        Files.writeString(source, WasmCompiler.facadeSource(wasm(module), className));
        Path stubClasses = Files.createDirectories(sources.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-d", stubClasses.toString(),
                "-cp", System.getProperty("java.class.path"), source.toString());
        assertEquals(0, status, diagnostics.toString());
        try (URLClassLoader stubs = new URLClassLoader(new URL[] {stubClasses.toUri().toURL()}, getClass().getClassLoader())) {
            assertEquals(api(generated), api(stubs.loadClass(className)));
        }
    }

    @ParameterizedTest
    @CsvSource({"calc, com.example.Calc", "hello, Hello", "shared, Shared", "stack, threads.Stack"})
    void theApiInterfaceCompilesWithDoclintAndTheClassImplementsIt(String module, String className) throws Exception {
        WasmCompiler.compile(wasm(module), className).implementingApiInterface().writeTo(classes);
        Path sources = Files.createDirectories(classes.resolveSibling(classes.getFileName() + "-api"));
        String apiName = WasmCompiler.apiInterfaceName(className);
        Path source = sources.resolve(apiName.substring(apiName.lastIndexOf('.') + 1) + ".java");
        Files.writeString(source, WasmCompiler.apiInterfaceSource(wasm(module), className));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-Xdoclint:all", "-Werror", "-d", classes.toString(),
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), source.toString());
        assertEquals(0, status, diagnostics.toString());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> generated = loader.loadClass(className);
            Class<?> api = loader.loadClass(apiName);
            assertTrue(api.isInterface() && api.isAssignableFrom(generated));
            Set<String> instanceMethods = new TreeSet<>();
            for (Method m : generated.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && !m.getName().equals("wasiThreadStart")
                        && !m.getName().equals("wasiStart")) {
                    instanceMethods.add(m.getName() + Arrays.toString(m.getParameterTypes()));
                }
            }
            Set<String> declared = new TreeSet<>();
            for (Method m : api.getDeclaredMethods()) {
                if (!Modifier.isStatic(m.getModifiers())) declared.add(m.getName() + Arrays.toString(m.getParameterTypes()));
            }
            assertEquals(instanceMethods, declared);
            for (Class<?> nested : generated.getDeclaredClasses()) {
                if (nested.getSimpleName().equals("Imports")) {
                    assertTrue(loader.loadClass(apiName + "$Imports").isAssignableFrom(nested));
                }
            }
        }
    }

    /** The public members of {@code c} and of its public nested classes, as strings. */
    private static Set<String> api(Class<?> c) {
        Set<String> api = new TreeSet<>();
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())) {
                api.add(c.getSimpleName() + "." + m.getName() + Arrays.toString(m.getParameterTypes()) + m.getReturnType().getSimpleName());
            }
        }
        Arrays.stream(c.getConstructors()).forEach(k -> api.add(c.getSimpleName() + ".<init>" + Arrays.toString(k.getParameterTypes())));
        for (Class<?> nested : c.getDeclaredClasses()) {
            if (Modifier.isPublic(nested.getModifiers())) api.addAll(api(nested));
        }
        return api;
    }
}
