package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.LinkException;
import dev.wasm2jvm.runtime.Table;
import dev.wasm2jvm.runtime.Tag;
import dev.wasm2jvm.runtime.WasmException;
import dev.wasm2jvm.runtime.WasmTrap;
import dev.wasm2jvm.runtime.wasi.WasiExit;
import dev.wasm2jvm.runtime.wasi.WasiOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandRunnerTest {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

    @Test
    void exitsWithZeroWhenStartReturns() {
        assertEquals(0, run(guest -> guest.print("hello\n")));
        assertEquals("hello\n", stdout());
        assertEquals("", diagnostics());
    }

    @Test
    void exitsWithTheCodeGivenToProcExit() {
        assertEquals(7, run(guest -> {
            guest.print("bye\n");
            guest.exit(7);
            guest.print("never\n");
        }));
        assertEquals("bye\n", stdout());
        assertEquals("", diagnostics());
    }

    @Test
    void givesTheGuestItsProgramNameArgumentsAndEnvironment() {
        CommandSettings settings = new CommandSettings("cat.wasm", List.of(), Map.of("GREETING", "hi"));
        assertEquals(0, run(settings, List.of("a", "b c"), guest -> {
            guest.print(guest.args() + "\n");
            guest.print(guest.environ() + "\n");
        }));
        assertEquals("[cat.wasm, a, b c]\n[GREETING=hi]\n", stdout());
    }

    @Test
    void reportsATrapInOneLineNamingTheFunctionThenItsBacktraceAndExitsWith134() {
        assertEquals(CommandRunner.TRAP_EXIT_CODE, run(guest -> {
            guest.print("before\n");
            FakeCommand.divide();
        }));
        assertEquals(134, CommandRunner.TRAP_EXIT_CODE);
        assertEquals("before\n", stdout());
        // The fake's _start is a lambda of its constructor; a generated class's would be the wasm function's.
        assertEquals("wasm2jvm: trap in wasm function divide: integer divide by zero\nwasm backtrace:\n  0: divide\n"
                + "  1: lambda$new$0\n", diagnostics());
    }

    @Test
    void reportsATrapInOneLineAloneWithoutBacktrace() {
        WasiOptions options = new CommandSettings("prog", List.of(), Map.of()).wasiOptions(List.of())
                .stdin(new ByteArrayInputStream(new byte[0])).stdout(stdout).stderr(diagnostics).build();
        CommandRunner runner = runner(imports -> new FakeCommand(imports, guest -> FakeCommand.divide())).backtrace(false);

        assertEquals(CommandRunner.TRAP_EXIT_CODE, runner.run(options, printer()));
        assertEquals("wasm2jvm: trap in wasm function divide: integer divide by zero\n", diagnostics());
    }

    @Test
    void providesThreadSpawnToAModuleThatImportsIt() {
        Object[] imported = new Object[2];
        Function<Imports, Instance> factory = imports -> {
            imported[0] = imports.get("wasi", "thread-spawn");
            imported[1] = imports.get("wasi", "thread-exit");
            return new FakeCommand(imports, guest -> guest.print("ran\n"));
        };
        assertEquals(0, runner(factory).run(options(), printer()));
        assertEquals("i:i", assertInstanceOf(FuncRef.class, imported[0]).type);
        assertNull(imported[1], "wasi-threads has no function but thread-spawn");
        assertEquals("ran\n", stdout());
    }

    @Test
    void anOverrideIsNamedByAVariableThatStartsWithTheSettingsPrefix() {
        assertTrue(CommandRunner.namesAnOverride(bytes("A=1\0WASM2JVM_DIR=/tmp\0")));
        assertTrue(CommandRunner.namesAnOverride(bytes("WASM2JVM_ENV_X=1\0B=2\0")));
        assertTrue(CommandRunner.namesAnOverride(bytes("A=1\0WASM2JVM_MAX_FDS=9")), "the last entry, without its NUL");
        assertFalse(CommandRunner.namesAnOverride(bytes("A=WASM2JVM_DIR\0XWASM2JVM_DIR=1\0")), "only names count");
        assertFalse(CommandRunner.namesAnOverride(bytes("WASM2JVM\0WASM2JV")), "shorter than the prefix");
        assertFalse(CommandRunner.namesAnOverride(new byte[0]));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void reportsAnUnknownImport() {
        Function<Imports, Instance> factory = imports -> {
            throw new LinkException("unknown import", "env", "f");
        };
        assertEquals(CommandRunner.FAILURE_EXIT_CODE, runner(factory).run(options(), printer()));
        assertEquals("wasm2jvm: unknown import: \"env\" \"f\"\n", diagnostics());
    }

    /** A table too large for the JVM at its minimum: the module cannot run, in one line. */
    @Test
    void reportsAModuleTheHostCannotHold() {
        Function<Imports, Instance> factory = imports -> {
            new Table('r', 0xFFFF_FFFFL, -1, null);
            throw new AssertionError("a table of 2^32 - 1 elements was made");
        };
        assertEquals(CommandRunner.FAILURE_EXIT_CODE, runner(factory).run(options(), printer()));
        assertEquals("wasm2jvm: cannot instantiate the module: cannot allocate a table of 4294967295 elements\n", diagnostics());
    }

    /** What ends instantiation ends the program as it would end {@code _start}. */
    @Test
    void aStartFunctionEndsTheProgramByProcExitATrapOrAnUncaughtException() {
        assertEquals(5, runner(imports -> {
            throw new WasiExit(5);
        }).run(options(), printer()));
        assertEquals("", diagnostics());

        assertEquals(CommandRunner.TRAP_EXIT_CODE, runner(imports -> {
            throw new WasmTrap("unreachable");
        }).backtrace(false).run(options(), printer()));
        assertEquals("wasm2jvm: trap: unreachable\n", diagnostics());

        diagnostics.reset();
        WasmException uncaught = new WasmException(new Tag("i:"), 7);
        assertEquals(CommandRunner.TRAP_EXIT_CODE, runner(imports -> {
            throw uncaught;
        }).run(options(), printer()));
        assertEquals("wasm2jvm: " + uncaught.getMessage() + " during instantiation\n", diagnostics());
    }

    @Test
    void reportsAModuleWithoutStart() {
        Function<Imports, Instance> factory = imports -> new Instance(imports) {
            @Override
            protected FuncRef funcRef(int funcidx) {
                throw new UnsupportedOperationException();
            }

            @Override
            protected MethodHandle functionHandle(int funcidx) {
                throw new UnsupportedOperationException();
            }
        };
        assertEquals(CommandRunner.FAILURE_EXIT_CODE, runner(factory).run(options(), printer()));
        assertEquals("wasm2jvm: not a WASI command: the module exports no function _start of type [] -> []\n",
                diagnostics());
    }

    @Test
    void reportsAPreopenedDirectoryThatDoesNotExist(@TempDir Path dir) {
        Path missing = dir.resolve("missing");
        CommandSettings settings = new CommandSettings("p", List.of(new Preopen(missing.toString(), "/data")), Map.of());

        assertEquals(CommandRunner.FAILURE_EXIT_CODE, run(settings, List.of(), guest -> {}));
        assertEquals("wasm2jvm: cannot preopen directory " + missing + ": no such directory\n", diagnostics());
    }

    @Test
    void rethrowsFailuresOfTheHost() {
        IllegalStateException failure = new IllegalStateException("host bug");

        assertSame(failure, assertThrows(IllegalStateException.class, () -> run(guest -> {
            throw failure;
        })));
    }

    private int run(Consumer<FakeCommand> body) {
        return run(new CommandSettings("prog", List.of(), Map.of()), List.of(), body);
    }

    private int run(CommandSettings settings, List<String> args, Consumer<FakeCommand> body) {
        WasiOptions options = settings.wasiOptions(args).stdin(new ByteArrayInputStream(new byte[0]))
                .stdout(stdout).stderr(diagnostics).build();
        return runner(imports -> new FakeCommand(imports, body)).run(options, printer());
    }

    private static CommandRunner runner(Function<Imports, Instance> factory) {
        return new CommandRunner(FakeCommand.class.getName(), factory);
    }

    private WasiOptions options() {
        return WasiOptions.builder().stdout(stdout).stderr(diagnostics).build();
    }

    private PrintStream printer() {
        return new PrintStream(diagnostics, true, StandardCharsets.UTF_8);
    }

    private String stdout() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String diagnostics() {
        return diagnostics.toString(StandardCharsets.UTF_8);
    }
}
