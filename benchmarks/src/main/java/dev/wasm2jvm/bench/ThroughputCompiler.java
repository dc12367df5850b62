package dev.wasm2jvm.bench;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.ValidatedModule;
import dev.wasm2jvm.compiler.WasmCompiler;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A compiler that {@link CompileThroughputMain} measures: the one on the harness's class path, or
 * another build of it ({@code --against}) loaded with the runtime it links against from a class path
 * of its own, so that two compilers run side by side in one JVM, round after round, and their
 * outputs can be compared byte for byte.
 */
interface ThroughputCompiler {
    /** The names under which {@link #output} puts {@code compile --library}'s two sources beside the class files. */
    String FACADE_SOURCE = "facade.java";
    String API_INTERFACE_SOURCE = "api.java";

    /**
     * Compiles {@code wasm} as class {@link WasmCompiler#DEFAULT_CLASS_NAME}, and with
     * {@code library} renders the two Java sources {@code compile --library} writes, from the same
     * validated module.
     *
     * @return the compiled module and the sources, which {@link #output} reads; measured apart
     */
    Object compile(byte[] wasm, boolean library);

    /** The class files of a result of {@link #compile}, and its sources as UTF-8 under {@link #FACADE_SOURCE} and {@link #API_INTERFACE_SOURCE}. */
    Map<String, byte[]> output(Object compiled);

    /** The compiler on the harness's class path. */
    static ThroughputCompiler own() {
        return new ThroughputCompiler() {
            @Override
            public Object compile(byte[] wasm, boolean library) {
                ValidatedModule validated = WasmCompiler.validate(wasm);
                Object classes = WasmCompiler.compile(validated, WasmCompiler.DEFAULT_CLASS_NAME, null, (done, total) -> { });
                if (!library) return List.of(classes);
                return List.of(classes, WasmCompiler.facadeSource(validated, WasmCompiler.DEFAULT_CLASS_NAME),
                        WasmCompiler.apiInterfaceSource(validated, WasmCompiler.DEFAULT_CLASS_NAME));
            }

            @Override
            public Map<String, byte[]> output(Object compiled) {
                return ThroughputCompiler.output((List<?>) compiled, c -> ((CompiledModule) c).classFiles());
            }
        };
    }

    /**
     * The compiler whose classes, and those of the runtime and ASM it uses, are on {@code classPath}:
     * entries separated by the path separator, each a directory, a jar, or {@code DIR/*} for every jar
     * in DIR (as {@code java -cp} reads them).
     */
    static ThroughputCompiler loaded(String classPath) throws IOException, ReflectiveOperationException {
        ClassLoader loader = new URLClassLoader(urls(classPath), ClassLoader.getPlatformClassLoader());
        Class<?> compiler = loader.loadClass(WasmCompiler.class.getName());
        Class<?> validatedModule = loader.loadClass(ValidatedModule.class.getName());
        Class<?> progressType = loader.loadClass("dev.wasm2jvm.compiler.CompileProgress");
        Method validate = compiler.getMethod("validate", byte[].class);
        Method compile = compiler.getMethod("compile", validatedModule, String.class,
                loader.loadClass("dev.wasm2jvm.runtime.command.CommandSettings"), progressType);
        Method facade = compiler.getMethod("facadeSource", validatedModule, String.class);
        Method api = compiler.getMethod("apiInterfaceSource", validatedModule, String.class);
        Method classFiles = loader.loadClass("dev.wasm2jvm.compiler.CompiledModule").getMethod("classFiles");
        Object progress = Proxy.newProxyInstance(loader, new Class<?>[] {progressType}, (proxy, method, args) -> null);
        String name = WasmCompiler.DEFAULT_CLASS_NAME;
        return new ThroughputCompiler() {
            @Override
            public Object compile(byte[] wasm, boolean library) {
                try {
                    Object validated = validate.invoke(null, (Object) wasm);
                    Object classes = compile.invoke(null, validated, name, null, progress);
                    if (!library) return List.of(classes);
                    return List.of(classes, facade.invoke(null, validated, name), api.invoke(null, validated, name));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("the compiler on " + classPath + " failed", e);
                }
            }

            @Override
            public Map<String, byte[]> output(Object compiled) {
                return ThroughputCompiler.output((List<?>) compiled, c -> {
                    try {
                        @SuppressWarnings("unchecked")
                        Map<String, byte[]> files = (Map<String, byte[]>) classFiles.invoke(c);
                        return files;
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        };
    }

    private static Map<String, byte[]> output(List<?> compiled, Function<Object, Map<String, byte[]>> classFiles) {
        Map<String, byte[]> all = new TreeMap<>(classFiles.apply(compiled.getFirst()));
        if (compiled.size() == 3) {
            all.put(FACADE_SOURCE, ((String) compiled.get(1)).getBytes(StandardCharsets.UTF_8));
            all.put(API_INTERFACE_SOURCE, ((String) compiled.get(2)).getBytes(StandardCharsets.UTF_8));
        }
        return all;
    }

    /** The URLs of the entries of {@code classPath}. */
    static URL[] urls(String classPath) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            if (entry.endsWith("/*")) {
                try (Stream<Path> jars = Files.list(Path.of(entry.substring(0, entry.length() - 2)))) {
                    for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) urls.add(jar.toUri().toURL());
                }
            } else {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }
}
