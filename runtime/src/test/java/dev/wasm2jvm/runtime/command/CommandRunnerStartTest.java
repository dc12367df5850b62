package dev.wasm2jvm.runtime.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Linking;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.internal.MemoryAccess;
import dev.wasm2jvm.runtime.internal.WasiSnapshotPreview1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a compiled jar's {@code main} loads for a program that uses little: checked in a JVM of its
 * own, which reports the classes it loads. Each class a program does not use costs its start the
 * reading, verifying and initialising of it; a spun lambda costs more.
 */
class CommandRunnerStartTest {
    @TempDir
    Path dir;

    /**
     * A program with a small memory and a preopened directory that it never uses, which writes to
     * its output but neither reads its input nor imports {@code thread-spawn}, loads neither the
     * wasi-threads host, nor the pump of its input, nor the file system's native calls, nor the FFM
     * API's helper class (whose initialisation spins five method handle forms), nor the JDK's copy
     * of an environment that has no {@code WASM2JVM_*} variable, nor a queue of free descriptor
     * numbers before it closes one, nor a condition for polls, nor the views of a map that the
     * JDK's CDS archive lacks, nor the exceptions of a program that cannot link or is stopped, whose
     * classes the verifier of the classes that throw or catch them would load, nor a field var handle
     * for its held directory's descriptor, and closes nothing at its end, where the JDK would spin a
     * lambda's class to close the held directory.
     */
    @Test
    void aProgramThatUsesNeitherThreadsNorInputNorItsPreopensLoadsNoneOfTheirClasses() throws Exception {
        String classes = runLoggingClasses(Hello.class);
        assertTrue(classes.contains("dev.wasm2jvm.runtime.wasi.HostFd "), "the child held its preopen");
        for (String unused : List.of("dev.wasm2jvm.runtime.threads.WasiThreads ", "dev.wasm2jvm.runtime.wasi.InputPump ",
                "dev.wasm2jvm.runtime.internal.Syscall ", "dev.wasm2jvm.runtime.wasi.LinuxFs ",
                "jdk.internal.foreign.Utils ", "sun.nio.fs.UnixSecureDirectoryStream$$Lambda",
                "java.lang.ProcessEnvironment ", "java.util.PriorityQueue ",
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject ",
                "java.util.LinkedHashMap$LinkedKeySet ", "java.util.LinkedHashMap$LinkedValues ",
                "java.util.Collections$UnmodifiableMap$UnmodifiableEntrySet ", "dev.wasm2jvm.runtime.LinkException ",
                "dev.wasm2jvm.runtime.Termination$ProgramTerminated ", "java.lang.invoke.VarHandleInts$FieldInstanceReadWrite ")) {
            assertFalse(classes.contains(unused), unused + " was loaded");
        }
    }

    /**
     * A memory of 16 pages, as libsodium's programs declare 256 or more, is memory provided as
     * touched ({@code LazyPages}) and, with the exports a compiled jar's manifest gives, a direct
     * buffer's: its segment and the WASI host's views of it initialise neither the FFM API's helper
     * class nor an automatic arena's.
     */
    @Test
    void aLargeMemoryInitialisesNeitherTheFfmHelperClassNorAnArena() throws Exception {
        String classes = runLoggingClasses(LargeHello.class);
        assertTrue(classes.contains("dev.wasm2jvm.runtime.internal.LazyPages "), "the memory was provided as touched");
        for (String unused : List.of("jdk.internal.foreign.Utils ", "jdk.internal.foreign.ArenaImpl ",
                "jdk.internal.foreign.ImplicitSession ")) {
            assertFalse(classes.contains(unused), unused + " was loaded");
        }
    }

    /**
     * A command that grows its memory out of its first allocation into one provided as touched and
     * then within that one's room, fills it with zeros and other bytes, copies within it, initialises
     * it from a data segment and writes from it to its output makes no segment: it loads no class
     * of the FFM API at all, neither {@code java.lang.foreign}'s nor the JDK's implementation of it.
     */
    @Test
    void aProgramThatGrowsFillsCopiesAndWritesLoadsNoClassOfTheFfmApi() throws Exception {
        String classes = runLoggingClasses(BusyHello.class);
        assertTrue(classes.contains("dev.wasm2jvm.runtime.internal.LazyPages "), "the memory was provided as touched");
        // The JVM's own classes of the FFM API's native calls, which every JVM loads as it starts.
        Set<String> everyJvms = Set.of("jdk.internal.foreign.abi.NativeEntryPoint", "jdk.internal.foreign.abi.ABIDescriptor",
                "jdk.internal.foreign.abi.VMStorage", "jdk.internal.foreign.abi.UpcallLinker$CallRegs");
        for (String line : classes.lines().toList()) {
            String[] fields = line.split(" ");
            if (fields.length < 2 || everyJvms.contains(fields[1])) continue;
            assertFalse(fields[1].startsWith("java.lang.foreign.") || fields[1].startsWith("jdk.internal.foreign."), line);
        }
    }

    /**
     * The settings a compiled jar's launcher passes as values reach the guest as they would through
     * {@link CommandSettings}, which a start that nothing overrides does not load, nor the parsing of
     * properties; a property that overrides them goes through it.
     */
    @Test
    void settingsPassedAsValuesReachTheGuestAndLoadNoSettingsClassUnlessOverridden() throws Exception {
        Process plain = launch(List.of("-Xlog:class+load=info:stdout"), dir.toString());
        String out = new String(plain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(plain.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
        assertEquals(0, plain.exitValue(), out);
        assertTrue(out.contains("[prog, x]\n[A=1, B=2]\n"), out);
        for (String unused : List.of("dev.wasm2jvm.runtime.command.CommandSettings ", "dev.wasm2jvm.runtime.command.Preopen ",
                "java.util.Properties$LineReader ")) {
            assertFalse(out.contains(unused), unused + " was loaded");
        }

        Process overridden = launch(List.of("-Dwasm2jvm.env.C=3", "-Dwasm2jvm.env.A=0"), dir.toString());
        assertEquals("[prog, x]\n[A=0, B=2, C=3]\n", new String(overridden.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(overridden.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
        assertEquals(0, overridden.exitValue());

        Process missing = launch(List.of(), dir.resolve("missing").toString());
        assertEquals("wasm2jvm: cannot preopen directory " + dir.resolve("missing") + ": no such directory\n",
                new String(missing.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(missing.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
        assertEquals(CommandRunner.FAILURE_EXIT_CODE, missing.exitValue());
    }

    /** {@link ValuesLauncher} with {@code options} in a JVM of its own, preopening {@code host}; its input closed. */
    private static Process launch(List<String> options, String host) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ValuesLauncher.class.getName(), host));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("WASM2JVM_"));
        Process child = builder.start();
        child.getOutputStream().close();
        return child;
    }

    /**
     * Calls {@code CommandRunner.main} as a compiled jar's launcher does, with settings as values: the
     * program {@code prog}, the first argument preopened as {@code .}, {@code A=1} and {@code B=2};
     * the module prints its arguments and its environment.
     */
    static final class ValuesLauncher implements Function<Imports, Instance> {
        public static void main(String[] args) {
            CommandRunner.main(new ValuesLauncher(), FakeCommand.class.getName(), 0, "prog", new String[] {args[0], "."},
                    new String[] {"A", "1", "B", "2"}, 64, -1, new String[] {"x"});
        }

        @Override
        public Instance apply(Imports imports) {
            return new FakeCommand(imports, command -> command.print(command.args() + "\n" + command.environ() + "\n"));
        }
    }

    /** Runs {@code command} through {@link Launcher} in a JVM of its own; the classes it loaded, as it logged them. */
    private String runLoggingClasses(Class<? extends Hello> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:stderr", "--enable-native-access=ALL-UNNAMED",
                // As a compiled jar's manifest gives: memory accesses through Unsafe, large memories as direct buffers.
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName(), dir.toString(), command.getName());
        builder.environment().keySet().removeIf(name -> name.startsWith("WASM2JVM_"));
        Process child = builder.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return child.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
        String classes = new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out + classes);
        assertEquals("hello\nreturned", out, classes);
        return classes;
    }

    /**
     * A command with a memory of one page whose {@code _start} writes a line with {@code fd_write},
     * as generated code does: the import linked through {@link Linking}, the text from a data
     * segment, the {@code ciovec} through the access helpers, the call on the bound function's object.
     */
    public static class Hello extends CommandRunnerExitTest.HostOnly {
        static final byte[] TEXT = "hello\n".getBytes(StandardCharsets.US_ASCII);

        public Hello(Imports imports) {
            this(imports, 1);
        }

        Hello(Imports imports, int pages) {
            this(imports, pages, pages);
        }

        Hello(Imports imports, int pages, long maxPages) {
            super(imports);
            Memory memory = new Memory(pages, maxPages, false);
            export("memory", memory);
            FuncRef fdWrite = Linking.func(imports, "wasi_snapshot_preview1", "fd_write", "iiii:i", this);
            export("_start", FuncRef.host(":", arguments -> {
                MemoryAccess.i32Store(0, text(memory), 0, memory);
                MemoryAccess.i32Store(0, TEXT.length, 4, memory);
                int errno = ((WasiSnapshotPreview1) fdWrite.builtin).fd_write(1, 0, 1, 8);
                if (errno != 0) throw new AssertionError("fd_write: errno " + errno);
                return null;
            }));
        }

        /** Puts the text in {@code memory}; returns its address. */
        int text(Memory memory) {
            Memory.init(16, 0, TEXT.length, memory, TEXT);
            return 16;
        }
    }

    /**
     * {@link Hello} whose memory of one page grows to 3 (out of its first allocation), to 13 (out of
     * that one, into memory provided as touched) and to 14 (within its room), and which fills, copies
     * and initialises it before the text is written from it.
     */
    public static final class BusyHello extends Hello {
        public BusyHello(Imports imports) {
            super(imports, 1, 100);
        }

        @Override
        int text(Memory memory) {
            int page = Memory.PAGE_SIZE;
            for (int delta : new int[] {2, 10, 1}) {
                if (Memory.grow(delta, memory) < 0) throw new AssertionError("memory.grow by " + delta + " failed");
            }
            Memory.fill(0, 0x5A, 14 * page, memory);
            Memory.fill(page, 0, 13 * page, memory);
            Memory.init(13 * page, 0, TEXT.length, memory, TEXT);
            Memory.copy(64, 13 * page, TEXT.length, memory);
            if (MemoryAccess.i32Load8U(13 * page + TEXT.length, 0, memory) != 0) throw new AssertionError("not zeroed");
            return 64;
        }
    }

    /** {@link Hello} with a memory of 16 pages (1 MiB). */
    public static final class LargeHello extends Hello {
        public LargeHello(Imports imports) {
            super(imports, 16);
        }
    }

    /** Runs the command class named second with the first argument preopened; prints that main returned. */
    static final class Launcher {
        public static void main(String[] args) throws ClassNotFoundException {
            CommandRunner.main(Class.forName(args[1]).asSubclass(Hello.class),
                    new CommandSettings("start", List.of(new Preopen(args[0], ".")), Map.of()), new String[0]);
            System.out.print("returned");
            System.out.flush();
        }
    }
}
