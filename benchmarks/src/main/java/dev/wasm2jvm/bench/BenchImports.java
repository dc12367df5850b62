package dev.wasm2jvm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Sightglass module into a plain WASI command, so that {@code java -jar}, node and any other
 * WASI runner can run it as a whole process: the imports {@code bench.start} and {@code bench.end},
 * which only mark the timed region, become functions of the module that do nothing. Everything else
 * is unchanged; it is done in the text format with wabt ({@code wasm2wat --generate-names}, which
 * makes every call refer to its callee by name, then {@code wat2wasm}), so no index needs fixing.
 */
final class BenchImports {
    /** A bench import as wasm2wat writes it: {@code (import "bench" "start" (func $bench_start (type $t3)))}. */
    private static final Pattern IMPORT =
            Pattern.compile("(?m)^\\s*\\(import \"bench\" \"(?:start|end)\" \\(func (\\$\\S+) (\\(type \\$?\\w+\\))\\)\\)\\n");

    private BenchImports() {}

    /**
     * The module at {@code wasm} with its bench imports defined, written to {@code out} (reused
     * when newer than {@code wasm}); {@code wasm} itself when it has none.
     */
    static Path define(Path wasm, Path out) throws IOException, InterruptedException {
        if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(wasm)) > 0) {
            return out;
        }
        Files.createDirectories(out.getParent());
        Path wat = out.resolveSibling(out.getFileName() + ".wat");
        tool(List.of("wasm2wat", "--enable-all", "--generate-names", wasm.toString(), "-o", wat.toString()));
        String text = Files.readString(wat, StandardCharsets.UTF_8);
        String rewritten = rewrite(text);
        if (rewritten.equals(text)) {
            Files.delete(wat);
            return wasm;
        }
        Files.writeString(wat, rewritten, StandardCharsets.UTF_8);
        tool(List.of("wat2wasm", "--enable-all", wat.toString(), "-o", out.toString()));
        Files.delete(wat);
        return out;
    }

    /** The module text with each bench import replaced by an empty function of the same name and type, at the end. */
    static String rewrite(String moduleText) {
        Matcher m = IMPORT.matcher(moduleText);
        List<String> functions = new ArrayList<>();
        while (m.find()) {
            functions.add("  (func " + m.group(1) + " " + m.group(2) + ")\n");
        }
        if (functions.isEmpty()) {
            return moduleText;
        }
        String body = m.replaceAll("").stripTrailing();
        if (!body.endsWith(")")) {
            throw new IllegalArgumentException("not a module text: it does not end with ')'");
        }
        // Imports must precede every definition, so the functions go last, inside the module's closing parenthesis.
        return body.substring(0, body.length() - 1) + "\n" + String.join("", functions) + ")\n";
    }

    private static void tool(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(command.getFirst() + " (wabt) is needed to run Sightglass programs as commands: "
                    + e.getMessage());
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.getFirst() + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new IOException(command.getFirst() + " failed: " + new String(output, StandardCharsets.UTF_8).strip());
        }
    }
}
