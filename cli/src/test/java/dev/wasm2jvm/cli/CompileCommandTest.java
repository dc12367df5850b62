package dev.wasm2jvm.cli;

import dev.wasm2jvm.cli.Cli.Outcome;
import dev.wasm2jvm.compiler.OldJava;
import dev.wasm2jvm.compiler.emit.LargeModule;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.command.StartClasses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompileCommandTest {
    private static final Path SAMPLE = Cli.sample();

    @Test
    void compiledJarBehavesAsRunDoes(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("cat.jar");
        String[] options = {"--dir", SAMPLE + "::/data", "--env", "GREETING=hi"};
        String module = SAMPLE.resolve("cat.wasm").toString();

        Outcome compiled = Cli.run(concat(new String[] {"compile", "-o", jar.toString()}, options, module));
        Outcome viaRun = Cli.run(concat(new String[] {"run"}, options, module, "/data/input.txt", "/data/missing"));
        Outcome viaJar = Cli.runJar(jar, List.of(), Map.of(), "/data/input.txt", "/data/missing");

        assertEquals(new Outcome(0, "", ""), compiled);
        assertEquals(1, viaRun.exitCode());
        assertEquals(viaRun, viaJar);
    }

    @Test
    void compiledJarRunsAProgramImportingFromWasiSnapshot0AndPreview1(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("snapshot0.jar");
        Path data = Files.createDirectory(dir.resolve("data"));

        Outcome compiled = Cli.run("compile", "--dir", data + "::/data", Cli.SNAPSHOT_0.toString(), "-o", jar.toString());
        Outcome viaJar = Cli.runJar(jar, List.of(), Map.of());

        assertEquals(new Outcome(0, "", ""), compiled);
        assertEquals(new Outcome(0, Files.readString(Cli.SNAPSHOT_0_OUTPUT), ""), viaJar);
        assertEquals("hello world", Files.readString(data.resolve("data.txt")));
    }

    @Test
    void compilesATextModule(@TempDir Path dir) throws Exception {
        Path hello = Files.writeString(dir.resolve("hello.wat"), RunCommandTest.HELLO_WAT);
        Path jar = dir.resolve("hello.jar");
        assertEquals(new Outcome(0, "", ""), Cli.run("compile", hello.toString(), "-o", jar.toString()));

        assertEquals(new Outcome(3, "hello from text\n", ""), Cli.runJar(jar, List.of(), Map.of()));
    }

    /** A command that writes to stdout from a data segment and fills memory, and imports nothing else. */
    static final String WRITE_ONLY_WAT = """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 64) "only stdout\\n")
              (func (export "_start")
                (memory.fill (i32.const 100) (i32.const 0) (i32.const 32))
                (i32.store (i32.const 0) (i32.const 64))
                (i32.store (i32.const 4) (i32.const 12))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
            """;

    /**
     * Classes that a command which only writes to stdout must not load: the WASI host's groups of
     * functions it does not import and what only they use, the resource lookup of data segments
     * (jar URL connection, the boot loader's image reader), the FFM API's bulk operations with
     * the architecture enum they initialise by reflection, the kinds of import that are no WASI
     * function (host functions, typed bindings), which linking a function tests for, and the
     * mapping of failures to errnos, which a write that succeeds does not need.
     */
    private static final List<String> NOT_LOADED_BY_A_WRITE = List.of(
            "dev.wasm2jvm.runtime.wasi.PathFunctions", "dev.wasm2jvm.runtime.wasi.PathResolver",
            "dev.wasm2jvm.runtime.wasi.Poll", "dev.wasm2jvm.runtime.wasi.Clocks",
            "dev.wasm2jvm.runtime.wasi.SocketFunctions", "dev.wasm2jvm.runtime.wasi.ConnectionDescriptor",
            "dev.wasm2jvm.runtime.wasi.ListenerDescriptor", "dev.wasm2jvm.runtime.wasi.DirectoryDescriptor",
            "dev.wasm2jvm.runtime.wasi.FileDescriptor", "dev.wasm2jvm.runtime.wasi.ProcessFunctions",
            "dev.wasm2jvm.runtime.wasi.WasiSnapshot0", "dev.wasm2jvm.runtime.wasi.Snapshot0Functions",
            "dev.wasm2jvm.runtime.internal.WasiUnstable",
            "sun.net.www.protocol.jar.JarURLConnection", "jdk.internal.jimage.ImageReader",
            "jdk.internal.foreign.SegmentBulkOperations", "jdk.internal.util.Architecture",
            "jdk.internal.foreign.HeapMemorySegmentImpl", "dev.wasm2jvm.runtime.HostFunction",
            "dev.wasm2jvm.runtime.HostFunction$WithCaller", "dev.wasm2jvm.runtime.Linking$Binding",
            "dev.wasm2jvm.runtime.wasi.Calls", "dev.wasm2jvm.runtime.wasi.Errno");

    @Test
    void compiledJarThatOnlyWritesLoadsNoneOfTheClassesItDoesNotUse(@TempDir Path dir) throws Exception {
        Set<String> loaded = classesLoadedRunning(dir, WRITE_ONLY_WAT, "only stdout\n");
        for (String used : List.of("dev.wasm2jvm.runtime.wasi.FdFunctions", "dev.wasm2jvm.runtime.Memory")) {
            assertTrue(loaded.contains(used), used + " is not in the log");
        }
        for (String unused : NOT_LOADED_BY_A_WRITE) assertFalse(loaded.contains(unused), unused + " was loaded");
    }

    /**
     * A command that imports the functions of polls, clocks, paths and sockets, as a C program
     * linked with libc's {@code sleep}, {@code clock} or {@code fopen} does, but only writes.
     */
    private static final String IMPORTS_MORE_THAN_IT_CALLS_WAT = """
            (module
              (import "wasi_snapshot_preview1" "poll_oneoff" (func (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
              (import "wasi_snapshot_preview1" "path_open"
                (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "sock_recv" (func (param i32 i32 i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 64) "only stdout\\n")
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 64))
                (i32.store (i32.const 4) (i32.const 12))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
            """;

    /**
     * In a jar, whose classes load without a descriptor, a group of WASI functions is made at its
     * first call: its class is not even linked, though the start may have defined it (the clocks').
     */
    @Test
    void compiledJarMakesNoGroupOfWasiFunctionsThatItImportsButNeverCalls(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("init.log");
        Set<String> loaded = classSourcesRunning(dir, IMPORTS_MORE_THAN_IT_CALLS_WAT, "only stdout\n",
                "-Xlog:class+init=info:file=" + log).keySet();
        Set<String> linked = new HashSet<>();
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf(VERIFYING);
            if (at >= 0) linked.add(line.substring(at + VERIFYING.length()).trim());
        }
        assertTrue(linked.contains("dev.wasm2jvm.runtime.wasi.FdFunctions"), "FdFunctions is not in the log");
        for (String unused : List.of("dev.wasm2jvm.runtime.wasi.PathFunctions", "dev.wasm2jvm.runtime.wasi.PathResolver",
                "dev.wasm2jvm.runtime.wasi.Poll", "dev.wasm2jvm.runtime.wasi.SocketFunctions")) {
            assertFalse(loaded.contains(unused), unused + " was loaded");
        }
        assertTrue(loaded.contains("dev.wasm2jvm.runtime.wasi.Clocks"), "the clocks' class defined by the start");
        assertFalse(linked.contains("dev.wasm2jvm.runtime.wasi.Clocks"), "the clocks' class linked");
    }

    /** What the JVM's class initialisation log says as it links (verifies) a class. */
    private static final String VERIFYING = "Start class verification for: ";

    /** A command that asks for 32 random bytes, then writes whether it got them. */
    private static final String RANDOM_WAT = """
            (module
              (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 64) "random\\n")
              (func (export "_start")
                (if (i32.eqz (call $random_get (i32.const 128) (i32.const 32)))
                  (then
                    (i32.store (i32.const 0) (i32.const 64))
                    (i32.store (i32.const 4) (i32.const 7))
                    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))))
            """;

    @Test
    void compiledJarGetsRandomBytesWithoutSettingUpSecurityProviders(@TempDir Path dir) throws Exception {
        Set<String> loaded = classesLoadedRunning(dir, RANDOM_WAT, "random\n");
        assertTrue(loaded.contains("dev.wasm2jvm.runtime.wasi.ProcessFunctions"), "ProcessFunctions is not in the log");
        for (String unused : List.of("java.security.SecureRandom", "sun.security.jca.Providers")) {
            assertFalse(loaded.contains(unused), unused + " was loaded");
        }
    }

    /**
     * A start defines the classes it needs from the jar's two resources of them ({@code StartClasses}):
     * the class path loader finds in the jar only the launcher and the two runtime classes that
     * define the others.
     */
    @Test
    void compiledJarDefinesTheClassesOfItsStartFromOneResource(@TempDir Path dir) throws Exception {
        Map<String, String> sources = classSourcesRunning(dir, IMPORTS_MORE_THAN_IT_CALLS_WAT, "only stdout\n");
        Set<String> fromJar = new HashSet<>();
        sources.forEach((name, source) -> {
            if (source.startsWith("file:")) fromJar.add(name);
        });
        assertEquals(Set.of("wasm.ModuleMain", "dev.wasm2jvm.runtime.command.StartClasses",
                "dev.wasm2jvm.runtime.internal.JarResources"), fromJar);
        assertEquals("__JVM_DefineClass__", sources.get("wasm.Module"));
    }

    /**
     * Every class the start defines is one a start loads: run where the JDK records the classes it
     * loads ({@code -XX:DumpLoadedClassList}), which defines none from the resources, a program
     * given a directory that exits with a status loads each of them from the jar.
     */
    @Test
    void theStartClassesAreThoseAStartLoads(@TempDir Path dir) throws Exception {
        Path jar = compileCat(dir);
        Path log = dir.resolve("classes.log");
        Outcome run = Cli.runJar(jar, List.of("-XX:DumpLoadedClassList=" + dir.resolve("classes.lst"),
                "-Xlog:class+load:file=" + log), Map.of(), "/data/input.txt");
        assertEquals(3, run.exitCode(), run.stderr());
        Set<String> fromJar = new HashSet<>();
        for (String line : Files.readAllLines(log)) {
            String[] fields = line.split(" ");
            if (fields.length > 3 && fields[3].startsWith("file:")) fromJar.add(fields[1]);
        }
        for (String name : StartClasses.RUNTIME) assertTrue(fromJar.contains(name), name + " is not loaded by a start");
        for (String name : StartClasses.PREOPENS) assertTrue(fromJar.contains(name), name + " is not loaded by a start");
    }

    /** What the start defines is the jar's own class files, byte for byte, each once. */
    @Test
    void theStartClassesResourceHoldsTheJarsOwnClassFiles(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("cat.jar");
        Cli.run("compile", "--dir", SAMPLE + "::/data", SAMPLE.resolve("cat.wasm").toString(), "-o", jar.toString());
        try (JarFile file = new JarFile(jar.toFile())) {
            byte[] runtime = file.getInputStream(file.getJarEntry(StartClasses.RESOURCE)).readAllBytes();
            byte[] module = file.getInputStream(file.getJarEntry(StartClasses.MODULE_RESOURCE)).readAllBytes();
            ByteBuffer in = ByteBuffer.allocate(runtime.length + module.length).put(runtime).put(module).flip();
            Set<String> defined = new HashSet<>();
            while (in.hasRemaining()) {
                byte[] name = new byte[in.getShort() & 0xFFFF];
                in.get(name);
                byte[] classFile = new byte[in.getInt()];
                in.get(classFile);
                String className = new String(name, StandardCharsets.UTF_8);
                assertTrue(defined.add(className), className + " twice");
                JarEntry entry = file.getJarEntry(className.replace('.', '/') + ".class");
                assertArrayEquals(file.getInputStream(entry).readAllBytes(), classFile, className);
            }
            assertTrue(defined.containsAll(StartClasses.RUNTIME), "every runtime class of the start");
            assertTrue(defined.containsAll(StartClasses.PREOPENS), "the classes of its preopened directory");
            assertTrue(defined.contains("wasm.Module"), "the module class");
        }
    }

    /**
     * The runtime's classes of a first file opened ({@code StartClasses.FILES}) are defined by the
     * start of a module that imports {@code path_open} and is given a directory, and by no other.
     */
    @Test
    void theClassesOfOpeningFilesAreDefinedWhereTheModuleOpensFiles(@TempDir Path dir) throws Exception {
        Path opens = Files.writeString(dir.resolve("opens.wat"), IMPORTS_MORE_THAN_IT_CALLS_WAT);
        Path writes = Files.writeString(dir.resolve("writes.wat"), """
                (module
                  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
                  (memory (export "memory") 1)
                  (func (export "_start")))
                """);
        assertTrue(startClassNames(dir, opens, "--dir", SAMPLE.toString()).containsAll(StartClasses.FILES));
        Set<String> withoutDirectory = startClassNames(dir, opens);
        Set<String> withoutPathOpen = startClassNames(dir, writes, "--dir", SAMPLE.toString());
        for (String name : StartClasses.FILES) {
            assertFalse(withoutDirectory.contains(name), name + " without a directory");
            assertFalse(withoutPathOpen.contains(name), name + " without path_open");
        }
        assertTrue(withoutPathOpen.containsAll(StartClasses.PREOPENS), "the preopen's own classes");
    }

    /**
     * The process functions', random source's and clocks' classes are defined where the module
     * imports their functions, the memory's where it defines one made of them, and a helper of
     * generated code where its classes name it; a module that writes and exits defines none.
     */
    @Test
    void theClassesOfImportsMemoriesAndHelpersAreDefinedWhereTheModuleNeedsThem(@TempDir Path dir) throws Exception {
        Path needs = Files.writeString(dir.resolve("needs.wat"), """
                (module
                  (import "wasi_snapshot_preview1" "environ_sizes_get" (func (param i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "random_get" (func (param i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
                  (memory (export "memory") 17)
                  (func (export "_start"))
                  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
                  (func (export "straight") (param i32) %s))
                """.formatted(straightLineLoads(100)));
        Path writes = Files.writeString(dir.resolve("writes.wat"), """
                (module
                  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
                  (memory (export "memory") 7)
                  (func (export "_start")))
                """);
        List<String> groups = new ArrayList<>();
        for (List<String> group : List.of(StartClasses.PROCESS, StartClasses.RANDOM, StartClasses.CLOCKS,
                StartClasses.LAZY_MEMORY, StartClasses.HELPERS)) {
            groups.addAll(group);
        }
        assertTrue(startClassNames(dir, needs).containsAll(groups), "every group");
        Set<String> writesNames = startClassNames(dir, writes);
        for (String name : groups) assertFalse(writesNames.contains(name), name + " in a module that writes and exits");
        assertEquals(new HashSet<>(StartClasses.RUNTIME), writesNames);
    }

    /**
     * {@code loads} loads through the first parameter, dropped, then the first again: a body without
     * branches whose accesses overrun C2's inlining budget, which calls the compact access helpers,
     * checked and (the last, which the others proved) unchecked.
     */
    private static String straightLineLoads(int loads) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < loads; i++) body.append("(drop (i64.load offset=").append(8 * i).append(" (local.get 0)))");
        return body.append("(drop (i64.load (local.get 0)))").toString();
    }

    /** The names of the runtime's start classes in the jar compiled from {@code module} with {@code options}. */
    private static Set<String> startClassNames(Path dir, Path module, String... options) throws Exception {
        Path jar = dir.resolve("names.jar");
        List<String> args = new ArrayList<>(List.of("compile"));
        args.addAll(List.of(options));
        args.addAll(List.of(module.toString(), "-o", jar.toString()));
        assertEquals(new Outcome(0, "", ""), Cli.run(args.toArray(String[]::new)));
        try (JarFile file = new JarFile(jar.toFile())) {
            ByteBuffer in = ByteBuffer.wrap(file.getInputStream(file.getJarEntry(StartClasses.RESOURCE)).readAllBytes());
            Set<String> names = new HashSet<>();
            while (in.hasRemaining()) {
                byte[] name = new byte[in.getShort() & 0xFFFF];
                in.get(name);
                int length = in.getInt();
                in.position(in.position() + length);
                names.add(new String(name, StandardCharsets.UTF_8));
            }
            return names;
        }
    }

    /**
     * The resources of the start's classes are a shortcut, not a requirement: cut short, emptied or
     * filled with what is no class file, the program runs as it does from the jar's classes.
     */
    @Test
    void aDamagedStartClassesResourceLeavesTheClassesToTheJar(@TempDir Path dir) throws Exception {
        Path jar = compileCat(dir);
        Outcome expected = catOutcome();
        List<UnaryOperator<byte[]>> damages = List.of(
                bytes -> Arrays.copyOf(bytes, bytes.length / 2),
                bytes -> new byte[0],
                bytes -> {
                    byte[] garbled = bytes.clone();
                    for (int i = 200; i < garbled.length; i += 7) garbled[i] ^= 0x5A;
                    return garbled;
                });
        for (UnaryOperator<byte[]> damage : damages) {
            Path damaged = dir.resolve("damaged.jar");
            rewrite(jar, damaged, name -> name.equals(StartClasses.RESOURCE) || name.equals(StartClasses.MODULE_RESOURCE), damage);
            assertEquals(expected, Cli.runJar(damaged, List.of(), Map.of(), "/data/input.txt"));
        }
    }

    /**
     * Compiles the cat sample into {@code dir}'s {@code cat.jar} with its settings: {@code /data} the
     * sample's folder, a greeting and exit status 3 in its environment.
     */
    private static Path compileCat(Path dir) throws Exception {
        Path jar = dir.resolve("cat.jar");
        Cli.run("compile", "--dir", SAMPLE + "::/data", "--env", "GREETING=hi", "--env", "EXIT_CODE=3",
                SAMPLE.resolve("cat.wasm").toString(), "-o", jar.toString());
        return jar;
    }

    /** What {@link #compileCat}'s jar gives when it reads {@code /data/input.txt}. */
    private static Outcome catOutcome() throws IOException {
        return new Outcome(3, Files.readString(SAMPLE.resolve("expected-output.txt")), "");
    }

    /** Writes {@code jar} again to {@code out}, each entry whose name {@code which} accepts through {@code change}. */
    private static void rewrite(Path jar, Path out, Predicate<String> which, UnaryOperator<byte[]> change) throws IOException {
        try (JarFile in = new JarFile(jar.toFile());
                JarOutputStream copy = new JarOutputStream(Files.newOutputStream(out), in.getManifest())) {
            for (JarEntry entry : java.util.Collections.list(in.entries())) {
                if (entry.getName().equals(JarFile.MANIFEST_NAME)) continue;
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (which.test(entry.getName())) bytes = change.apply(bytes);
                copy.putNextEntry(new JarEntry(entry.getName()));
                copy.write(bytes);
            }
        }
    }

    /**
     * The classes a JVM loads running the jar compiled from {@code wat}, which must exit 0 having
     * written {@code stdout} and nothing on stderr.
     */
    private static Set<String> classesLoadedRunning(Path dir, String wat, String stdout) throws Exception {
        return classSourcesRunning(dir, wat, stdout).keySet();
    }

    /**
     * The classes a JVM loads running the jar compiled from {@code wat}, each with where it came
     * from as the class loading log says it; the run, given {@code jvmOptions} besides, must exit 0
     * having written {@code stdout} and nothing on stderr.
     */
    private static Map<String, String> classSourcesRunning(Path dir, String wat, String stdout, String... jvmOptions)
            throws Exception {
        Path module = Files.writeString(dir.resolve("module.wat"), wat);
        Path jar = dir.resolve("module.jar");
        Path log = dir.resolve("classes.log");
        assertEquals(new Outcome(0, "", ""), Cli.run("compile", module.toString(), "-o", jar.toString()));

        List<String> options = new ArrayList<>(List.of("-Xlog:class+load:file=" + log));
        options.addAll(List.of(jvmOptions));
        Outcome run = Cli.runJar(jar, options, Map.of());

        assertEquals(new Outcome(0, stdout, ""), run);
        Map<String, String> loaded = new HashMap<>();
        for (String line : Files.readAllLines(log)) {
            // [uptime][info][class,load] name source: ...
            String[] fields = line.split(" ");
            if (fields.length > 1) loaded.put(fields[1], fields.length > 3 && fields[2].equals("source:") ? fields[3] : "");
        }
        return loaded;
    }

    @Test
    void compiledJarExitsWithTheProgramsCode(@TempDir Path dir) throws Exception {
        Path jar = compileCat(dir);

        Outcome outcome = Cli.runJar(jar, List.of(), Map.of(), "/data/input.txt");

        assertEquals(catOutcome(), outcome);
    }

    @Test
    void compiledJarTakesDirectoriesAndEnvironmentFromTheRunTime(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("cat.jar");
        Cli.run("compile", "--dir", dir + "::/data", "--env", "GREETING=hi", SAMPLE.resolve("cat.wasm").toString(),
                "-o", jar.toString());

        Outcome outcome = Cli.runJar(jar, List.of("-Dwasm2jvm.dir=" + SAMPLE.getParent() + "::/samples",
                "-Dwasm2jvm.env.GREETING=hey"), Map.of("WASM2JVM_ENV_GREETING", "ho"), "/samples/wasi-cat/input.txt");

        assertEquals(0, outcome.exitCode());
        assertEquals("hey from cat.wasm, with 1 file(s)\n== /samples/wasi-cat/input.txt\n",
                outcome.stdout().substring(0, outcome.stdout().indexOf("   1  ")));
    }

    @Test
    void compiledJarTakesItsDescriptorLimitFromCompileTimeAndTheRunTime(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("cat.jar");
        Cli.run("compile", "--max-fds", "4", "--dir", SAMPLE + "::/data", SAMPLE.resolve("cat.wasm").toString(),
                "-o", jar.toString());

        Outcome limited = Cli.runJar(jar, List.of(), Map.of(), "/data/input.txt");
        Outcome raised = Cli.runJar(jar, List.of("-Dwasm2jvm.maxFds=5"), Map.of("WASM2JVM_MAX_FDS", "4"), "/data/input.txt");
        Outcome invalid = Cli.runJar(jar, List.of("-Dwasm2jvm.maxFds=many"), Map.of(), "/data/input.txt");

        assertEquals(new Outcome(1, limited.stdout(), "/data/input.txt: cannot open: No file descriptors available\n"),
                limited);
        assertEquals(0, raised.exitCode(), raised.stderr());
        assertEquals(new Outcome(1, "", "wasm2jvm: invalid descriptor limit \"many\": expected a positive number\n"),
                invalid);
    }

    @Test
    void compiledJarPrintsTheWasmBacktraceUnlessQuietTrapsIsSet(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("backtrace.jar");
        Cli.run("compile", RunCommandTest.BACKTRACE.toString(), "-o", jar.toString());

        Outcome full = Cli.runJar(jar, List.of(), Map.of());
        Outcome quiet = Cli.runJar(jar, List.of("-Dwasm2jvm.quietTraps=true"), Map.of());

        assertEquals(Cli.run("run", "--no-cache", RunCommandTest.BACKTRACE.toString()), full);
        assertEquals(new Outcome(134, "ratio 4\n", "wasm2jvm: trap in wasm function divide: unreachable\n"), quiet);
    }

    @Test
    void compiledJarReportsATrapAsRunDoes(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("trap.jar");
        String module = Cli.resource("trap.wasm").toString();
        Cli.run("compile", module, "-o", jar.toString());

        assertEquals(Cli.run("run", module), Cli.runJar(jar, List.of(), Map.of()));
    }

    @Test
    void compiledJarKeepsItsMaxMemoryWhichTheSystemPropertyReplaces(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("grow.jar");
        Cli.run("compile", "--max-memory", "1m", Cli.GROW_UNTIL_FAILURE.toString(), "-o", jar.toString());

        assertEquals(new Outcome(0, "grew from 2 to 16 pages: memory.grow failed\n", ""),
                Cli.runJar(jar, List.of(), Map.of()));
        assertEquals(new Outcome(0, "grew from 2 to 48 pages: memory.grow failed\n", ""),
                Cli.runJar(jar, List.of("-Dwasm2jvm.maxMemory=3m"), Map.of("WASM2JVM_MAX_MEMORY", "2m")));
        assertEquals(new Outcome(0, "grew from 2 to 32 pages: memory.grow failed\n", ""),
                Cli.runJar(jar, List.of(), Map.of("WASM2JVM_MAX_MEMORY", "2m")));
    }

    @Test
    void compiledJarSaysInOneLineWhichJavaItNeedsOnAnOlderOne(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("cat.jar");
        Cli.run("compile", SAMPLE.resolve("cat.wasm").toString(), "-o", jar.toString());

        assertEquals(OldJava.wrongJava(), OldJava.run("-jar", jar.toString()));
    }

    /**
     * A module whose data segments (70,000 bytes) are past what its class keeps as a constant: they
     * are a resource beside the class, which its static initialiser reads straight from the jar;
     * the class loader's jar URL connection, some 15 classes outside the JDK's CDS archive, is
     * never opened. {@code _start} exits with the segment's last byte.
     */
    @Test
    void largeDataIsReadFromTheJarWithoutAUrlConnection(@TempDir Path dir) throws Exception {
        Path jar = compileLargeData(dir);
        Outcome run = Cli.runJar(jar, List.of("-Xlog:class+load=info:stderr"), Map.of());
        assertEquals(42, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("dev.wasm2jvm.runtime.internal.JarResources "), "read through JarResources");
        assertFalse(run.stderr().contains("sun.net.www.protocol.jar.JarURLConnection "), "a jar URL connection was opened");
    }

    /** A resource cut short in the jar is an error that names it, not a stack trace. */
    @Test
    void aTruncatedDataResourceIsAClearError(@TempDir Path dir) throws Exception {
        Path jar = compileLargeData(dir);
        Path cut = dir.resolve("cut.jar");
        rewrite(jar, cut, name -> name.endsWith(".data"), bytes -> Arrays.copyOf(bytes, bytes.length - 10));
        Outcome run = Cli.runJar(cut, List.of(), Map.of());
        assertTrue(run.exitCode() != 0 && run.exitCode() != 42, run.toString());
        assertTrue(run.stderr().contains(".data are damaged"), run.stderr());
        assertFalse(run.stderr().contains("\tat "), "no stack trace: " + run.stderr());
    }

    /** A command whose one data segment holds 70,000 bytes, the last 42, and whose {@code _start} exits with it. */
    private static Path compileLargeData(Path dir) throws Exception {
        ModuleBuilder m = new ModuleBuilder();
        int exitType = m.type(List.of(ValType.I32), List.of());
        int startType = m.type(List.of(), List.of());
        int procExit = m.importFunction("wasi_snapshot_preview1", "proc_exit", exitType);
        m.memory(2);
        byte[] data = new byte[70_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + 7);
        data[data.length - 1] = 42;
        m.data(0, data);
        // proc_exit(i32.load8_u(69999))
        m.exportFunction("_start", m.function(startType, List.of(),
                new ModuleBuilder.Code().i32Const(data.length - 1).u8(0x2D).u32(0).u32(0).call(procExit)));
        Path module = Files.write(dir.resolve("large-data.wasm"), m.build());
        Path jar = dir.resolve("large-data.jar");
        assertEquals(0, Cli.run("compile", module.toString(), "-o", jar.toString()).exitCode());
        try (JarFile file = new JarFile(jar.toFile())) {
            assertTrue(file.stream().anyMatch(e -> e.getName().endsWith(".data")), "the data is a resource");
        }
        return jar;
    }

    @Test
    void compiledJarHoldsTheRuntimeButNeitherTheModuleNorTheCompiler(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("trap.jar");
        Cli.run("compile", Cli.resource("trap.wasm").toString(), "-o", jar.toString());

        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes manifest = file.getManifest().getMainAttributes();
            String mainClass = manifest.getValue(Attributes.Name.MAIN_CLASS);
            assertEquals("ALL-UNNAMED", manifest.getValue("Enable-Native-Access"));
            assertEquals("java.base/jdk.internal.misc java.base/jdk.internal.access java.base/jdk.internal.ref",
                    manifest.getValue("Add-Exports"));
            for (String name : List.of(mainClass.replace('.', '/') + ".class", "META-INF/wasm2jvm/command.properties",
                    "dev/wasm2jvm/runtime/Memory.class", "dev/wasm2jvm/runtime/wasi/WasiPreview1.class",
                    "dev/wasm2jvm/runtime/command/CommandRunner.class", "META-INF/LICENSE", "META-INF/NOTICE")) {
                assertNotNull(file.getEntry(name), name);
            }
            assertEquals(List.of(), file.stream().map(JarEntry::getName)
                    .filter(name -> name.endsWith(".wasm") || name.startsWith("dev/wasm2jvm/compiler/")
                            || name.startsWith("dev/wasm2jvm/cli/") || name.startsWith("picocli/")
                            || name.startsWith("org/objectweb/"))
                    .toList());
        }
    }

    @Test
    void compilingAModuleTwiceWritesTheSameBytesWithNoTimeOfWritingInThem(@TempDir Path dir) throws Exception {
        String module = SAMPLE.resolve("cat.wasm").toString();
        Path first = dir.resolve("first.jar");
        Path second = dir.resolve("second.jar");
        Cli.run("compile", "--dir", SAMPLE + "::/data", module, "-o", first.toString());
        Cli.run("compile", "--dir", SAMPLE + "::/data", module, "-o", second.toString());

        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        try (JarFile file = new JarFile(first.toFile())) {
            assertEquals(List.of(), file.stream().filter(e -> !e.getTimeLocal().equals(ReproducibleJar.DOS_EPOCH))
                    .map(JarEntry::getName).toList());
            String settings = new String(file.getInputStream(file.getEntry("META-INF/wasm2jvm/command.properties"))
                    .readAllBytes(), StandardCharsets.ISO_8859_1);
            assertFalse(settings.contains("#"), settings);
            assertTrue(settings.contains("program=cat.wasm"), settings);
        }
    }

    @Test
    void libraryJarsOfOneModuleAreTheSameBytes(@TempDir Path dir) throws Exception {
        String module = Cli.resource("trap.wasm").toString();
        Cli.run("compile", "--library", module, "-o", dir.resolve("a/lib.jar").toString());
        Cli.run("compile", "--library", module, "-o", dir.resolve("b/lib.jar").toString());

        assertArrayEquals(Files.readAllBytes(dir.resolve("a/lib.jar")), Files.readAllBytes(dir.resolve("b/lib.jar")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/lib-sources.jar")),
                Files.readAllBytes(dir.resolve("b/lib-sources.jar")));
    }

    @Test
    void refusesInOneLineARunnableJarForAModuleImportingWhatNoWasiHostProvides(@TempDir Path dir) {
        Path jar = dir.resolve("lib.jar");
        Path module = Cli.resource("host-double.wasm");

        Outcome outcome = Cli.run("compile", module.toString(), "-o", jar.toString());

        assertEquals(new Outcome(1, "", "wasm2jvm: " + module + ": imports env.double, which no WASI host provides:"
                + " a runnable jar cannot supply them; compile with --library and supply them from Java"
                + " (the generated class's Imports interface, or dev.wasm2jvm.runtime.Imports)\n"), outcome);
        assertFalse(Files.exists(jar));
    }

    /** The imports are checked once the module is valid and before any function is compiled: no progress line comes first. */
    @Test
    void refusesAModuleImportingWhatNoWasiHostProvidesBeforeCompilingIt(@TempDir Path dir) {
        Path jar = dir.resolve("lib.jar");
        Path module = Cli.resource("host-double.wasm");

        Outcome outcome = Cli.run("compile", "--progress", module.toString(), "-o", jar.toString());

        assertEquals(new Outcome(1, "", "wasm2jvm: " + module + ": imports env.double, which no WASI host provides:"
                + " a runnable jar cannot supply them; compile with --library and supply them from Java"
                + " (the generated class's Imports interface, or dev.wasm2jvm.runtime.Imports)\n"), outcome);
        assertFalse(Files.exists(jar));
    }

    @Test
    void libraryJarHoldsTheClassesAndRuntimeWithNoMainClassAndRunsWithImportsFromJava(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("lib.jar");

        Outcome outcome = Cli.run("compile", "--library", Cli.resource("host-double.wasm").toString(), "-o", jar.toString());

        assertEquals(new Outcome(0, "", ""), outcome);
        try (JarFile file = new JarFile(jar.toFile())) {
            assertNull(file.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS));
            for (String name : List.of("wasm/Module.class", "dev/wasm2jvm/runtime/Instance.class", "META-INF/LICENSE")) {
                assertNotNull(file.getEntry(name), name);
            }
            assertNull(file.getEntry("META-INF/wasm2jvm/command.properties"));
        }
        try (JarFile sources = new JarFile(dir.resolve("lib-sources.jar").toFile())) {
            String source = new String(sources.getInputStream(sources.getEntry("wasm/Module.java")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(source.contains("public final class Module extends dev.wasm2jvm.runtime.Instance {"), source);
            assertTrue(source.contains("Calls the exported function {@code \"quadruple\"}: {@code [i32] -> [i32]}."), source);
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> module = Class.forName("wasm.Module", true, loader);
            Imports imports = new Imports()
                    .add("env", "double", FuncRef.host("i:i", args -> new Object[] {2 * (int) args[0]}))
                    .add("wasi_snapshot_preview1", "proc_exit", FuncRef.host("i:", args -> null));
            Instance instance = (Instance) module.getConstructor(Imports.class).newInstance(imports);
            assertEquals(20, instance.function("quadruple").call(5)[0]);
        }
    }

    @Test
    void compiledJarRunsAModuleLargerThanOneClass(@TempDir Path dir) throws Exception {
        Path module = Files.write(dir.resolve("large.wasm"), LargeModule.build());
        Path jar = dir.resolve("large.jar");

        assertEquals(new Outcome(0, "", ""), Cli.run("compile", module.toString(), "-o", jar.toString()));
        try (JarFile file = new JarFile(jar.toFile())) {
            assertNotNull(file.getEntry("wasm/Module$Code1.class"));
        }
        assertEquals(new Outcome(LargeModule.EXIT_OK, "", ""), Cli.runJar(jar, List.of(), Map.of()));
    }

    /**
     * A compiled jar's program sees the process's own stdio: redirected from {@code /dev/null} and
     * to a file, or piped, wasi-libc's isatty() is false; on a pseudo-terminal (made by
     * util-linux's {@code script}) it is true.
     */
    @Test
    void compiledJarsProgramIsOnATerminalOnlyWhenItsStdioIsOne(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("isatty.jar");
        assertEquals(new Outcome(0, "", ""), Cli.run("compile", Cli.resource("isatty.wasm").toString(), "-o", jar.toString()));
        String java = ProcessHandle.current().info().command().orElseThrow();

        assertEquals(new Outcome(0, "0 0\n", ""), Cli.runJar(jar, List.of(), Map.of()));
        assertEquals("0 0\n", Cli.runThroughPipes(java, "-jar", jar.toString()));
        String command = "'" + java + "' -jar '" + jar + "'";
        assertEquals("1 1\r\n", Cli.runThroughPipes("script", "--quiet", "--return", "--command", command, "/dev/null"));
    }

    @Test
    void requiresAnOutput() {
        Outcome outcome = Cli.run("compile", SAMPLE.resolve("cat.wasm").toString());

        assertEquals(new Outcome(2, "", "wasm2jvm: Missing required option: '--output=OUT.jar'\n"
                + "Try 'wasm2jvm compile --help' for more information.\n"), outcome);
    }

    private static String[] concat(String[] first, String[] second, String... rest) {
        String[] all = new String[first.length + second.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        System.arraycopy(rest, 0, all, first.length + second.length, rest.length);
        return all;
    }
}
