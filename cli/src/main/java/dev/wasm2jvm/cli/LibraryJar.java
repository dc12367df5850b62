package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
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
        Path parent = jar.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, byte[]> e : module.classFiles().entrySet()) {
                put(out, e.getKey().replace('.', '/') + ".class", e.getValue());
            }
            for (Map.Entry<String, byte[]> e : module.resources().entrySet()) put(out, e.getKey(), e.getValue());
            for (Map.Entry<String, byte[]> e : runtime.entrySet()) put(out, e.getKey(), e.getValue());
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
     * Writes the sources jar of the library jar {@code jar}: the Java source of the API of the
     * module's class, with each export's wasm type and parameters in its Javadoc, for IDEs to show.
     */
    static void writeSources(Path jar, CompiledModule module, byte[] wasm) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        String source = WasmCompiler.facadeSource(wasm, module.className());
        try (OutputStream file = Files.newOutputStream(sourcesJar(jar)); JarOutputStream out = new JarOutputStream(file, manifest)) {
            put(out, module.className().replace('.', '/') + ".java", source.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
