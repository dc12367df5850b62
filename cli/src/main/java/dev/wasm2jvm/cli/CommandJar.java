package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.Launcher;
import dev.wasm2jvm.runtime.command.CommandSettings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes a self-contained runnable jar for a compiled WASI command: the generated classes, a class
 * that runs them, the whole runtime and the command's default settings. Nothing else is needed to
 * run it but a JDK. Its main class is a {@link Launcher}, so that on a Java too old for the rest
 * {@code java -jar} says in one line which Java it needs.
 */
final class CommandJar {
    private CommandJar() {}

    static void write(Path jar, CompiledModule module, CommandSettings settings) throws IOException {
        String mainClass = module.className() + "Main";
        String commandClass = module.className() + "Command";
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(Attributes.Name.MAIN_CLASS, mainClass);
        // Generated code reaches linear memory through the FFM API; without this the JDK warns on stderr.
        attributes.put(new Attributes.Name("Enable-Native-Access"), "ALL-UNNAMED");
        // Loads and stores take MemoryAccess's Unsafe fast path only where this package is exported.
        attributes.put(new Attributes.Name("Add-Exports"), "java.base/jdk.internal.misc");
        attributes.put(new Attributes.Name("Created-By"), "wasm2jvm");

        Map<String, byte[]> runtime = RuntimeClasses.read();
        ByteArrayOutputStream settingsFile = new ByteArrayOutputStream();
        settings.store(settingsFile);

        Path parent = jar.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            put(out, CommandSettings.RESOURCE, settingsFile.toByteArray());
            put(out, classFile(mainClass), Launcher.classFile(mainClass, commandClass));
            put(out, classFile(commandClass), MainClassWriter.write(commandClass, module.className(), settings));
            for (Map.Entry<String, byte[]> e : module.classFiles().entrySet()) put(out, classFile(e.getKey()), e.getValue());
            for (Map.Entry<String, byte[]> e : module.resources().entrySet()) put(out, e.getKey(), e.getValue());
            for (Map.Entry<String, byte[]> e : runtime.entrySet()) put(out, e.getKey(), e.getValue());
        }
    }

    private static String classFile(String className) {
        return className.replace('.', '/') + ".class";
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
