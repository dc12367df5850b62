package dev.wasm2jvm.cli;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.Launcher;
import dev.wasm2jvm.runtime.command.CommandRunner;
import dev.wasm2jvm.runtime.command.CommandSettings;
import dev.wasm2jvm.runtime.command.StartClasses;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
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
    /**
     * The class file bytes of a module up to which all its classes are defined at start: they
     * cost their parsing whether the run calls them or not, and a start of a module this large
     * loads most of them anyway ({@code ClassPartition}).
     */
    static final long START_MODULE_BYTES = 4L << 20;

    private CommandJar() {}

    /**
     * Writes the runnable jar of {@code module}, whose start defines the runtime's classes
     * {@code startClasses} (binary names, {@link ModuleFile#startClasses}) from its resource.
     */
    static void write(Path jar, CompiledModule module, CommandSettings settings, List<String> startClasses)
            throws IOException {
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
            out.put(StartClasses.RESOURCE, startClasses(runtime, startClasses));
            out.put(StartClasses.MODULE_RESOURCE, moduleClasses(module));
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

    /**
     * The resource of the runtime's classes of a start ({@link StartClasses#RESOURCE}): those named,
     * from {@code runtime}'s class files.
     */
    static byte[] startClasses(Map<String, byte[]> runtime, List<String> names) {
        List<byte[]> classFiles = new ArrayList<>();
        for (String name : names) {
            byte[] classFile = runtime.get(classFile(name));
            if (classFile == null) throw new IllegalStateException("the runtime has no class " + name);
            classFiles.add(classFile);
        }
        return StartClasses.encode(names, classFiles);
    }

    /**
     * The resource of the module's classes ({@link StartClasses#MODULE_RESOURCE}): all of them,
     * the module class first, where they are at most {@link #START_MODULE_BYTES}, else its module
     * class alone, whose code classes are then found as the run first calls into each.
     */
    static byte[] moduleClasses(CompiledModule module) {
        Map<String, byte[]> classes = module.classFiles();
        List<String> names = new ArrayList<>();
        List<byte[]> classFiles = new ArrayList<>();
        names.add(module.className());
        classFiles.add(classes.get(module.className()));
        long moduleBytes = 0;
        for (byte[] classFile : classes.values()) moduleBytes += classFile.length;
        if (moduleBytes <= START_MODULE_BYTES) {
            for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
                if (entry.getKey().equals(module.className())) continue;
                names.add(entry.getKey());
                classFiles.add(entry.getValue());
            }
        }
        return StartClasses.encode(names, classFiles);
    }

    private static String classFile(String className) {
        return className.replace('.', '/') + ".class";
    }
}
