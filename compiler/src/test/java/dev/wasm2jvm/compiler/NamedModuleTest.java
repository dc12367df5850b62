package dev.wasm2jvm.compiler;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.emit.TestModules;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.Instance;
import java.io.File;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated classes inside an application's own named module, as the Maven plugin or {@code
 * wasm2jvm compile} put them there: the application is compiled with {@code javac} against the
 * runtime on the module path and run with {@code java --module-path ... -m}, so every reference of
 * generated code into the runtime is checked against the runtime's module descriptor.
 */
class NamedModuleTest {
    @TempDir
    Path dir;

    @Test
    void theRuntimeExportsItsApiAndTheHelpersOfGeneratedCodeAndTheCompilerOnlyItsApi() {
        ModuleDescriptor runtime = descriptor(Instance.class);
        assertEquals("dev.wasm2jvm.runtime", runtime.name());
        assertEquals(Set.of("dev.wasm2jvm.runtime", "dev.wasm2jvm.runtime.command", "dev.wasm2jvm.runtime.internal",
                "dev.wasm2jvm.runtime.threads", "dev.wasm2jvm.runtime.wasi"), exports(runtime));
        ModuleDescriptor compiler = descriptor(WasmCompiler.class);
        assertEquals("dev.wasm2jvm.compiler", compiler.name());
        assertEquals(Set.of("dev.wasm2jvm.compiler"), exports(compiler));
    }

    @Test
    void generatedClassesRunInANamedModuleOfTheApplication() throws Exception {
        Path generated = Files.createDirectories(dir.resolve("generated"));
        WasmCompiler.compile(divider(), "com.example.app.wasm.Divider").writeTo(generated);
        WasmCompiler.compile(TestModules.resource("facade/hello.wasm"), "com.example.app.wasm.Hello").writeTo(generated);
        Path sources = Files.createDirectories(dir.resolve("src/com/example/app"));
        Files.writeString(dir.resolve("src/module-info.java"), """
                module com.example.app {
                    requires dev.wasm2jvm.runtime;
                    // A command's main has the runtime's CommandRunner construct the module class.
                    exports com.example.app.wasm to dev.wasm2jvm.runtime;
                }
                """);
        Files.writeString(sources.resolve("Main.java"), """
                package com.example.app;

                import com.example.app.wasm.Divider;
                import com.example.app.wasm.Hello;
                import dev.wasm2jvm.runtime.WasmTrap;

                public class Main {
                    public static void main(String[] args) {
                        Divider divider = Divider.instantiate();
                        System.out.println(divider.divide(-42, 5));
                        try {
                            divider.divide(1, 0);
                        } catch (WasmTrap trap) {
                            System.out.println(trap.getMessage());
                        }
                        System.out.println(Main.class.getModule().getName() + " " + Divider.class.getModule().getName());
                        Hello.main(new String[] {"world"});
                    }
                }
                """);
        Path runtime = Path.of(Instance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path app = Files.createDirectories(dir.resolve("app"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("--module-path", runtime.toString(), "--patch-module", "com.example.app=" + generated, "-d", app.toString()),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjects(dir.resolve("src/module-info.java"), sources.resolve("Main.java"))).call();
        assertTrue(compiled, diagnostics::toString);
        try (var files = Files.walk(generated)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = app.resolve(generated.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "--enable-native-access=dev.wasm2jvm.runtime",
                "--module-path", runtime + File.pathSeparator + app, "-m", "com.example.app/com.example.app.Main")
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals("-8\ninteger divide by zero\ncom.example.app com.example.app\nhello world\n", out);
        assertEquals(3, process.exitValue(), out);
    }

    /**
     * {@code divide(a, b)} stores {@code a / b} in memory and loads it back: a call each of the
     * runtime's non-API helpers of division ({@code Numerics}) and of loads and stores ({@code
     * MemoryAccess}).
     */
    private static byte[] divider() {
        ModuleBuilder m = new ModuleBuilder();
        m.memory(1);
        int type = m.type(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));
        m.exportFunction("divide", m.function(type, List.of(), new ModuleBuilder.Code()
                .i32Const(0).localGet(0).localGet(1).op(Opcodes.I32_DIV_S)
                .op(Opcodes.I32_STORE).u32(2).u32(0)
                .i32Const(0).op(Opcodes.I32_LOAD).u32(2).u32(0)));
        return m.build();
    }

    private static ModuleDescriptor descriptor(Class<?> inModule) {
        try {
            Path location = Path.of(inModule.getProtectionDomain().getCodeSource().getLocation().toURI());
            ModuleReference module = ModuleFinder.of(location).findAll().iterator().next();
            return module.descriptor();
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> exports(ModuleDescriptor module) {
        return module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }
}
