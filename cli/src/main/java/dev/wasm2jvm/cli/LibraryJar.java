package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Writes a library jar for a compiled module: the generated classes and the whole runtime, with no
 * {@code Main-Class}, for Java code on whose class path it goes to instantiate the module with the
 * imports it supplies; and beside it the sources jar of the module's API.
 */
final class LibraryJar {
    private LibraryJar() {}

    static void write(Path jar, CompiledModule module) throws IOException {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(new Attributes.Name("Created-By"), "wasm2jvm");

        Map<String, byte[]> runtime = RuntimeClasses.read();
        try (ReproducibleJar out = ReproducibleJar.create(jar, manifest)) {
            out.putAll(module.classFiles(), className -> className.replace('.', '/') + ".class");
            out.putAll(module.resources(), UnaryOperator.identity());
            out.putAll(runtime, UnaryOperator.identity());
        }
    }

    /**
     * The sources jar beside library jar {@code jar}, as Maven names them ({@code lib.jar} has
     * {@code lib-sources.jar}), where IDEs look for the sources of a jar's classes.
     */
    static Path sourcesJar(Path jar) {
        String name = jar.getFileName().toString();
        String base = name.endsWith(".jar") ? name.substring(0, name.length() - ".jar".length()) : name;
        return jar.resolveSibling(base + "-sources.jar");
    }

    /**
     * Writes the sources jar of the library jar {@code jar}: {@code source}, the Java source of the
     * API of the module's class {@code className} ({@link WasmCompiler#facadeSource}), with each
     * export's wasm type and parameters in its Javadoc, for IDEs to show.
     */
    static void writeSources(Path jar, String className, String source) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (ReproducibleJar out = ReproducibleJar.create(sourcesJar(jar), manifest)) {
            out.put(className.replace('.', '/') + ".java", source.getBytes(StandardCharsets.UTF_8));
        }
    }
}
