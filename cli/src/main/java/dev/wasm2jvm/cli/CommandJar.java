package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.Launcher;
import dev.wasm2jvm.runtime.command.CommandRunner;
import dev.wasm2jvm.runtime.command.CommandSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Writes a self-contained runnable jar for a compiled WASI command: the generated classes, a class
 * that runs them, the whole runtime and the command's default settings. Nothing else is needed to
 * run it but a JDK. Its main class is a {@link Launcher#commandClassFile command launcher}, which
 * holds the settings and, on a Java too old for the rest, says in one line which Java it needs.
 */
final class CommandJar {
    private CommandJar() {}

    static void write(Path jar, CompiledModule module, CommandSettings settings) throws IOException {
        String mainClass = module.className() + "Main";
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(Attributes.Name.MAIN_CLASS, mainClass);
        // Generated code reaches linear memory through the FFM API; without this the JDK warns on stderr.
        attributes.put(new Attributes.Name("Enable-Native-Access"), "ALL-UNNAMED");
        // Loads and stores take MemoryAccess's Unsafe fast path only where jdk.internal.misc is
        // exported; a memory of 512 KiB or more is a direct buffer's, which initialises less of the
        // FFM API at start, only where the other two are (LazyPages).
        attributes.put(new Attributes.Name("Add-Exports"),
                "java.base/jdk.internal.misc java.base/jdk.internal.access java.base/jdk.internal.ref");
        attributes.put(new Attributes.Name("Created-By"), "wasm2jvm");

        Map<String, byte[]> runtime = RuntimeClasses.read();
        // Encoded rather than stored: Properties.store would write the time of writing as a comment.
        String encoded = settings.encode();
        byte[] settingsFile = encoded.getBytes(StandardCharsets.ISO_8859_1);

        String build = build(settingsFile, module.classFiles(), module.resources(), runtime);
        try (ReproducibleJar out = ReproducibleJar.create(jar, manifest)) {
            out.put(CommandSettings.RESOURCE, settingsFile);
            out.put(CommandRunner.BUILD_RESOURCE, build.getBytes(StandardCharsets.ISO_8859_1));
            out.put(classFile(mainClass),
                    Launcher.commandClassFile(mainClass, module.className(), module.codeClassCount(), encoded, build));
            out.putAll(module.classFiles(), CommandJar::classFile);
            out.putAll(module.resources(), UnaryOperator.identity());
            out.putAll(runtime, UnaryOperator.identity());
        }
    }

    /**
     * What names the build of a jar's classes for {@code CommandRunner.checkClassCache}: the
     * SHA-256 of everything the launcher runs, its settings, the module's classes and resources and
     * the runtime's classes, each by name in order.
     */
    static String build(byte[] settings, Map<String, byte[]> classes, Map<String, byte[]> resources,
                        Map<String, byte[]> runtime) {
        MessageDigest sha256 = ModuleDigests.newSha256();
        sha256.update(settings);
        for (Map<String, byte[]> entries : List.of(classes, resources, runtime)) {
            for (Map.Entry<String, byte[]> entry : new TreeMap<>(entries).entrySet()) {
                sha256.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) 0);
                sha256.update(entry.getValue());
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static String classFile(String className) {
        return className.replace('.', '/') + ".class";
    }
}
