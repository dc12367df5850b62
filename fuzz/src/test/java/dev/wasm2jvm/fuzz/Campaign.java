package dev.wasm2jvm.fuzz;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A differential fuzzing campaign: for each seed, random bytes from a PRNG seeded with it, turned
 * into a valid module by {@code wasm-opt -ttf} (src/test/js/generate.cjs), run on node's optimising
 * tier (src/test/js/execute.cjs, {@code --no-liftoff}) and on wasm2jvm twice: in this JVM (tiered,
 * as most programs run) and in a forked JVM where C2 compiles every generated method before its
 * first call ({@code -Xcomp -XX:-TieredCompilation}). Each JVM transcript is compared with node's
 * ({@link Comparison}); a disagreeing module and its transcripts are written to the failures
 * directory, named by seed.
 *
 * <p>With {@code simd}, the modules use fixed-width SIMD as well (another module for each seed,
 * named {@code s} and the seed rather than {@code m}, grown from src/test/resources/simd-initial.wat):
 * node and wasm2jvm both call only the exports without {@code v128} in their signatures (JS cannot),
 * but the generator's calls of functions with v128 parameters and results run inside the module,
 * and generate.cjs turns binaryen's {@code log-v128} import into a function logging both i64
 * lanes, so every vector logged is compared bit for bit.
 *
 * <p>{@code fuzz/run.sh} runs {@link #main}; the short run of the build is {@code DifferentialFuzzTest}.
 */
public final class Campaign {
    /**
     * What a run does: {@code modules} seeds from {@code seed} on, with SIMD when {@code simd}, in
     * {@code directory} (the fuzz module).
     */
    record Options(long seed, int modules, boolean simd, boolean forcedC2, long timeoutSeconds, Path directory, Path work, Path failures) {
        Options {
            work = work.toAbsolutePath();
            failures = failures.toAbsolutePath();
        }
    }

    /** The figures of a run. */
    static final class Report {
        int modules;
        int generatorFailures;
        int agreed;
        /** With SIMD: the modules whose node transcript logs a v128, and its {@code log v128} lines. */
        int loggingV128;
        long v128Logs;
        boolean simd;
        final Map<String, Integer> artefacts = new TreeMap<>();
        final List<String> disagreements = new ArrayList<>();

        @Override
        public String toString() {
            return "modules run: " + modules + ", agreed on every tier: " + agreed + ", disagreements: "
                    + disagreements.size() + ", filtered artefacts: " + artefacts + ", generator failures: "
                    + generatorFailures + (simd ? ", modules logging a v128: " + loggingV128 + " (" + v128Logs + " logs)" : "");
        }
    }

    private final Options options;
    private final PrintStream log;
    private final LineServer generator;
    private final LineServer node;
    private final LineServer forcedC2;
    /** The current module's transcripts by engine ({@code node}, {@code tiered}, {@code c2}), for the record. */
    private final Map<String, List<String>> transcripts = new TreeMap<>();

    private Campaign(Options options, PrintStream log) throws IOException {
        this.options = options;
        this.log = log;
        Files.createDirectories(options.work());
        Path stderr = options.work().resolve("children.log");
        Path js = options.directory().resolve("src/test/js");
        Path binaryen = options.directory().resolve("node_modules/binaryen/package.json");
        if (!Files.exists(binaryen)) {
            throw new IllegalStateException("binaryen is not installed: run `npm ci` in " + options.directory()
                    + " (scripts/test.sh does)");
        }
        List<String> generate = new ArrayList<>(List.of("node", js.resolve("generate.cjs").toString()));
        if (options.simd()) generate.add("--simd");
        generator = new LineServer(generate, options.directory(), stderr);
        node = new LineServer(List.of("node", "--no-liftoff", "--experimental-wasm-type-reflection",
                js.resolve("execute.cjs").toString()), options.directory(), stderr);
        forcedC2 = options.forcedC2() ? new LineServer(forcedC2Command(), options.directory(), stderr) : null;
    }

    /**
     * A JVM that compiles with C2 only, each method of generated code before its first call. Only
     * generated code, the runtime and the method-handle plumbing between them are compiled: with
     * {@code -Xcomp} for the whole JDK, starting the JVM alone takes seconds.
     */
    private static List<String> forcedC2Command() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xcomp", "-XX:-TieredCompilation", "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=compileonly,fuzz.*::*",
                "-XX:CompileCommand=compileonly,dev.wasm2jvm.runtime.*::*",
                "-XX:CompileCommand=compileonly,java.lang.invoke.*::*",
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), JvmEngine.class.getName());
    }

    /** Runs a campaign; every module's outcome is also printed on {@code log}, one line each. */
    static Report run(Options options, PrintStream log) throws IOException {
        return run(options, List.of(), log);
    }

    /** Runs the given modules instead of generated ones when {@code modules} is not empty (reproduction). */
    static Report run(Options options, List<Path> modules, PrintStream log) throws IOException {
        Campaign campaign = new Campaign(options, log);
        try {
            Report report = new Report();
            report.simd = options.simd();
            if (modules.isEmpty()) {
                for (int i = 0; i < options.modules(); i++) campaign.runSeed(options.seed() + i, report);
            }
            for (Path module : modules) {
                String name = module.getFileName().toString().replaceAll("\\.wasm$", "").replaceAll("[^A-Za-z0-9_]", "_");
                Path copy = options.work().resolve(name + ".wasm");
                Files.copy(module, copy, StandardCopyOption.REPLACE_EXISTING);
                report.modules++;
                campaign.record(name, copy, campaign.runWithNanCheck(name, copy), report);
            }
            return report;
        } finally {
            campaign.generator.close();
            campaign.node.close();
            if (campaign.forcedC2 != null) campaign.forcedC2.close();
        }
    }

    /** The generator's input for {@code seed}: 1 to 16 KiB of PRNG bytes (larger inputs, larger modules). */
    static byte[] input(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = new byte[1024 + random.nextInt(15 * 1024)];
        random.nextBytes(bytes);
        return bytes;
    }

    private void runSeed(long seed, Report report) throws IOException {
        String name = (options.simd() ? "s" : "m") + Long.toUnsignedString(seed);
        Path in = options.work().resolve(name + ".in");
        Path wasmFile = options.work().resolve(name + ".wasm");
        Files.write(in, input(seed));
        List<String> generated = generator.request("ttf " + in + " " + wasmFile, "end"::equals, 120);
        Files.delete(in);
        if (!generated.equals(List.of("ok")) || !Files.exists(wasmFile)) {
            report.generatorFailures++;
            log.println(name + " generator failed: " + generated);
            return;
        }
        report.modules++;
        record(name, wasmFile, runWithNanCheck(name, wasmFile), report);
    }

    /**
     * The verdicts for a module; a disagreeing one is run again after binaryen's {@code --denan}
     * pass, for the filter {@link Comparison#withoutNans} describes.
     */
    private Map<String, Comparison> runWithNanCheck(String name, Path wasmFile) throws IOException {
        Map<String, Comparison> verdicts = runModule(name, wasmFile);
        if (verdicts.values().stream().noneMatch(c -> c.verdict() == Comparison.Verdict.DISAGREE)) return verdicts;
        Map<String, List<String>> first = new TreeMap<>(transcripts);
        Path denan = options.work().resolve(name + "_denan.wasm");
        List<String> made = generator.request("denan " + wasmFile + " " + denan, "end"::equals, 120);
        if (made.equals(List.of("ok"))) {
            verdicts = Comparison.withoutNans(verdicts, runModule(name + "_denan", denan));
            Files.delete(denan);
        }
        transcripts.clear();
        transcripts.putAll(first);
        return verdicts;
    }

    /** Runs one module on every tier; the verdict per tier, and the transcripts kept for the record. */
    private Map<String, Comparison> runModule(String name, Path wasmFile) throws IOException {
        byte[] wasm = Files.readAllBytes(wasmFile);
        transcripts.clear();
        CompletableFuture<List<String>> onNode = CompletableFuture.supplyAsync(
                () -> node.request(wasmFile.toString(), "end"::equals, options.timeoutSeconds()));
        CompiledModule compiled;
        try {
            compiled = WasmCompiler.compile(wasm, "fuzz." + name, null, FramesGiven.CHECK);
        } catch (RuntimeException | StackOverflowError e) {
            // A CompileException rejects the module; anything else is a failure of the compiler,
            // which no transcript of node's can match.
            List<String> rejected = e instanceof CompileException c
                    ? List.of("compile-error", "message " + c.getMessage().replaceAll("\\s+", " "))
                    : List.of("compile-crash " + e.toString().replaceAll("\\s+", " "));
            transcripts.put("node", onNode.join());
            transcripts.put("tiered", rejected);
            return Map.of("tiered", Comparison.of(transcripts.get("node"), rejected));
        }
        Path classes = options.work().resolve(name + ".classes");
        CompletableFuture<List<String>> onC2 = null;
        if (forcedC2 != null) {
            compiled.writeTo(classes);
            // Four times the time limit: C2 compiles each method before its first call, so a module's
            // first calls wait for the compiler (seconds for a large module on a busy machine).
            long limit = 4 * options.timeoutSeconds();
            onC2 = CompletableFuture.supplyAsync(() -> forcedC2.request(
                    wasmFile + " " + classes + " fuzz." + name + " " + limit, "end"::equals, limit + 60));
        }
        List<String> tiered = JvmEngine.run(compiled::instantiate, GlobalImports.of(wasm), options.timeoutSeconds());
        List<String> onNodeDone = onNode.join();
        transcripts.put("node", onNodeDone);
        transcripts.put("tiered", tiered);
        Map<String, Comparison> verdicts = new TreeMap<>();
        verdicts.put("tiered", Comparison.of(onNodeDone, tiered));
        if (onC2 != null) {
            List<String> c2 = onC2.join();
            transcripts.put("c2", c2);
            verdicts.put("c2", Comparison.of(onNodeDone, c2));
            deleteTree(classes);
        }
        return verdicts;
    }

    private void record(String name, Path wasmFile, Map<String, Comparison> verdicts, Report report) throws IOException {
        boolean disagree = verdicts.values().stream().anyMatch(c -> c.verdict() == Comparison.Verdict.DISAGREE);
        boolean artefact = verdicts.values().stream().anyMatch(c -> c.verdict() == Comparison.Verdict.ARTEFACT);
        StringBuilder line = new StringBuilder(name);
        verdicts.forEach((tier, c) -> line.append(' ').append(tier).append('=').append(c.verdict())
                .append(c.detail().isEmpty() ? "" : " (" + c.detail() + ")"));
        log.println(line);
        long v128Logs = transcripts.getOrDefault("node", List.of()).stream().filter(l -> l.startsWith("log v128 ")).count();
        if (v128Logs > 0) report.loggingV128++;
        report.v128Logs += v128Logs;
        if (disagree) {
            report.disagreements.add(line.toString());
            keep(name, wasmFile, options.failures());
        } else if (artefact) {
            verdicts.values().stream().filter(c -> c.verdict() == Comparison.Verdict.ARTEFACT).findFirst()
                    .ifPresent(c -> report.artefacts.merge(c.detail().replaceAll(";.*", ""), 1, Integer::sum));
            // Kept too, apart, so that a filter can be checked against the modules it filtered.
            keep(name, wasmFile, options.failures().resolve("artefacts"));
        } else {
            report.agreed++;
        }
        Files.delete(wasmFile);
    }

    private void keep(String name, Path wasmFile, Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.copy(wasmFile, directory.resolve(name + ".wasm"), StandardCopyOption.REPLACE_EXISTING);
        for (Map.Entry<String, List<String>> t : transcripts.entrySet()) {
            Files.write(directory.resolve(name + "." + t.getKey() + ".txt"), t.getValue());
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code fuzz/run.sh [--modules N] [--seed S] [--simd] [--no-c2] [--timeout SECONDS] [--failures DIR]
     * [--wasm FILE]...}: prints one line per module and the figures; exits with status 1 when a module disagreed.
     * {@code --wasm} runs the given modules instead of generated ones, to reproduce a disagreement.
     */
    public static void main(String[] args) throws IOException {
        long seed = 1;
        int modules = 100;
        boolean simd = false;
        boolean c2 = true;
        long timeout = 20;
        Path directory = Path.of(System.getProperty("wasm2jvm.fuzz.dir", "")).toAbsolutePath();
        Path failures = directory.resolve("target/fuzz-failures");
        List<Path> wasm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--wasm" -> wasm.add(Path.of(args[++i]).toAbsolutePath());
                case "--modules" -> modules = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--simd" -> simd = true;
                case "--no-c2" -> c2 = false;
                case "--timeout" -> timeout = Long.parseLong(args[++i]);
                case "--failures" -> failures = Path.of(args[++i]).toAbsolutePath();
                default -> {
                    System.err.println("usage: run.sh [--modules N] [--seed S] [--simd] [--no-c2] [--timeout SECONDS] [--failures DIR] [--wasm FILE]...");
                    System.exit(2);
                }
            }
        }
        Options options = new Options(seed, modules, simd, c2, timeout, directory, directory.resolve("target/fuzz-work"), failures);
        long start = System.nanoTime();
        Report report = run(options, wasm, System.out);
        System.out.println(report + ", in " + (System.nanoTime() - start) / 1_000_000_000 + " s");
        if (!report.disagreements.isEmpty()) {
            System.out.println("disagreeing modules and transcripts: " + failures);
            System.exit(1);
        }
        System.exit(0);
    }
}
