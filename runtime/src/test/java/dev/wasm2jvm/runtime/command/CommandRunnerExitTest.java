package dev.wasm2jvm.runtime.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How {@link CommandRunner#main} ends the JVM, in a JVM of its own each: a program that exits with
 * 0 returns from it, unless a thread of the application that is not a daemon would keep the JVM
 * running; any other exit code ends the JVM with that code.
 */
class CommandRunnerExitTest {
    @ParameterizedTest(name = "exit code {0}, other thread {1}")
    @CsvSource({"0,false,returned", "0,true,''", "3,false,''", "3,true,''"})
    void mainReturnsOnlyForZeroWithNoOtherThreadKeepingTheJvm(int exitCode, boolean otherThread, String printed)
            throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Launcher.class.getName(), Integer.toString(exitCode), Boolean.toString(otherThread))
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
        assertEquals(exitCode, child.exitValue(), output);
        assertEquals(printed, output);
    }

    /** Runs {@link ExitZero} or {@link ExitThree}, with a thread that never ends if asked; prints whether main returned. */
    static final class Launcher {
        public static void main(String[] args) {
            if (Boolean.parseBoolean(args[1])) {
                Thread forever = new Thread(new Runnable() {
                    @Override
                    public void run() {
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
                forever.start();
            }
            CommandRunner.main(args[0].equals("0") ? ExitZero.class : ExitThree.class,
                    CommandSettings.decode("program=exit\n"), new String[0]);
            System.out.print("returned");
            System.out.flush();
            if (Boolean.parseBoolean(args[1])) System.exit(0);
        }
    }

    /** A command of host functions only: it has no function of its own. */
    abstract static class HostOnly extends Instance {
        HostOnly(Imports imports) {
            super(imports);
        }

        @Override
        protected FuncRef funcRef(int funcidx) {
            throw new IndexOutOfBoundsException(funcidx);
        }

        @Override
        protected MethodHandle functionHandle(int funcidx) {
            throw new IndexOutOfBoundsException(funcidx);
        }
    }

    /** A command whose _start returns. */
    public static final class ExitZero extends HostOnly {
        public ExitZero(Imports imports) {
            super(imports);
            export("_start", FuncRef.host(":", arguments -> null));
        }
    }

    /** A command that calls proc_exit(3). */
    public static final class ExitThree extends HostOnly {
        public ExitThree(Imports imports) {
            super(imports);
            FuncRef procExit = (FuncRef) imports.get("wasi_snapshot_preview1", "proc_exit");
            export("_start", FuncRef.host(":", arguments -> {
                try {
                    procExit.handle().invoke(3);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new AssertionError(t);
                }
                return null;
            }));
        }
    }
}
