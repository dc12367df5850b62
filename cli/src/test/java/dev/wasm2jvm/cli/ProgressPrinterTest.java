package dev.wasm2jvm.cli;

import dev.wasm2jvm.cli.Cli.Outcome;
import dev.wasm2jvm.compiler.emit.ModuleBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressPrinterTest {
    @Test
    void progressOptionPrintsALineAtEveryTenthOfTheWork(@TempDir Path dir) throws Exception {
        Path module = dir.resolve("many.wasm");
        Files.write(module, commandWithFunctions(25));

        // Without --no-cache, a run of the same module before (this class's other test, or an
        // earlier build with the same classes folder) leaves it in the user's cache: no compilation.
        Outcome outcome = Cli.run("run", "--progress", "--no-cache", module.toString());

        String expected = IntStream.rangeClosed(1, 10)
                .mapToObj(tenth -> "wasm2jvm: many.wasm: compiled " + 10 * tenth + "%\n")
                .reduce("", String::concat);
        assertEquals(new Outcome(0, "", expected), outcome);
    }

    @Test
    void withoutTheOptionNothingIsPrintedOffATerminal(@TempDir Path dir) throws Exception {
        Path module = dir.resolve("many.wasm");
        Files.write(module, commandWithFunctions(25));

        assertEquals(new Outcome(0, "", ""), Cli.run("run", module.toString()));
    }

    @Test
    void aFunctionWhoseFramesWereComputedIsALineOfTheLogAloneNotOfATerminal() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        new ProgressPrinter(new PrintStream(log, true, StandardCharsets.UTF_8), "big.wasm", true, System::nanoTime)
                .framesComputed(7, "stacks of 1 and 2 slots meet");
        new ProgressPrinter(new PrintStream(terminal, true, StandardCharsets.UTF_8), "big.wasm", false, System::nanoTime)
                .framesComputed(7, "stacks of 1 and 2 slots meet");

        assertEquals("wasm2jvm: big.wasm: function 7: frames computed by ASM (stacks of 1 and 2 slots meet)\n",
                log.toString(StandardCharsets.UTF_8));
        assertEquals("", terminal.toString(StandardCharsets.UTF_8));
    }

    @Test
    void terminalLineAppearsAfterASecondIsRedrawnAtMostFiveTimesASecondAndIsErased() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressPrinter printer = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), "big.wasm", false, now::get);

        printer.advanced(1, 4);
        now.set(1_000_000_000L);
        printer.advanced(2, 4);
        now.set(1_100_000_000L);
        printer.advanced(3, 4);
        now.set(1_300_000_000L);
        printer.advanced(4, 4);

        String line = "wasm2jvm: compiling big.wasm: 50%";
        assertEquals("\r" + line + "\r" + " ".repeat(line.length()) + "\r", bytes.toString(StandardCharsets.UTF_8));
    }

    /** A command whose {@code _start} calls {@code count - 1} other functions. */
    private static byte[] commandWithFunctions(int count) {
        ModuleBuilder builder = new ModuleBuilder();
        int type = builder.type(List.of(), List.of());
        ModuleBuilder.Code start = new ModuleBuilder.Code();
        for (int f = 1; f < count; f++) start.call(f);
        builder.exportFunction("_start", builder.function(type, List.of(), start));
        for (int f = 1; f < count; f++) builder.function(type, List.of(), new ModuleBuilder.Code());
        return builder.build();
    }
}
