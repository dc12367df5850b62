package dev.wasm2jvm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Runs a program's jar once with HotSpot's JIT logs on and judges them with {@link CompilationCheck}:
 * <ul>
 *   <li>{@code -XX:+PrintCompilation}, written with the JVM's other output to {@code vm.log}
 *       ({@code -XX:+LogVMOutput -XX:-DisplayVMOutput}), so the program's own output stays apart
 *       and is still checked;
 *   <li>{@code -Xlog:deoptimization=debug} to {@code deoptimization.log}: each uncommon trap with its
 *       reason and action;
 *   <li>a flight recording ({@code run.jfr}) of execution samples every 10 ms, compilations (for
 *       when their code was installed) and the JVM's start time (to put the logs on one clock).
 * </ul>
 * The logs stay in {@code <logs>/<program>/} for a closer look.
 */
final class CompilationRun {
    private final Path logs;
    private final CompilationCheck.Limits limits;
    private final Duration timeout;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    CompilationRun(Path logs, CompilationCheck.Limits limits, Duration timeout) {
        this.logs = logs;
        this.limits = limits;
        this.timeout = timeout;
    }

    /** The JVM options of a checked run that write its logs into {@code dir}. */
    static List<String> jvmOptions(Path dir, long samplePeriodMillis) {
        return List.of(
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintCompilation",
                "-XX:+LogVMOutput", "-XX:-DisplayVMOutput", "-XX:LogFile=" + dir.resolve("vm.log"),
                "-Xlog:deoptimization=debug:file=" + dir.resolve("deoptimization.log"),
                "-Xlog:jfr+startup=off",
                "-XX:StartFlightRecording:filename=" + dir.resolve("run.jfr") + ",settings=none"
                        + ",+jdk.ExecutionSample#enabled=true,+jdk.ExecutionSample#period=" + samplePeriodMillis + "ms"
                        + ",+jdk.Compilation#enabled=true,+jdk.Compilation#threshold=0ms"
                        + ",+jdk.JVMInformation#enabled=true,+jdk.JVMInformation#period=beginChunk");
    }

    /** Runs {@code jar} as {@code workload} and judges its compilations; a failed run is a failure too. */
    CompilationCheck.Verdict check(Workload workload, Path jar) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(logs.resolve(workload.name()));
        for (String file : List.of("vm.log", "deoptimization.log", "run.jfr")) {
            Files.deleteIfExists(dir.resolve(file));
        }
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvmOptions(dir, limits.samplePeriodMillis()));
        command.addAll(List.of("-jar", jar.toString()));
        Run run = new ProcessRun(timeout, dir).run("program", command, workload);
        String failure = Expectation.failure(workload, run);
        if (failure != null) {
            return new CompilationCheck.Verdict(List.of("the run failed: " + failure), List.of());
        }
        List<JitLog.Compilation> compilations = JitLog.compilations(lines(dir.resolve("vm.log")));
        List<JitLog.Deoptimization> deoptimizations = JitLog.deoptimizations(lines(dir.resolve("deoptimization.log")));
        Map<Integer, Long> installed = new HashMap<>();
        List<CompilationCheck.Sample> samples = new ArrayList<>();
        String generatedPackage = generatedPackage(jar);
        readRecording(dir.resolve("run.jfr"), generatedPackage, installed, samples);
        CompilationCheck.Verdict verdict =
                CompilationCheck.judge(generatedPackage, compilations, deoptimizations, samples, installed, limits);
        List<String> notes = new ArrayList<>(verdict.notes());
        notes.add(String.format("run: %.1f s, %d samples in generated code", run.totalNanos() / 1e9, samples.size()));
        return new CompilationCheck.Verdict(verdict.failures(), notes);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    /** The package of the jar's main class, which the compiler puts beside the module's classes. */
    private static String generatedPackage(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String main = file.getManifest().getMainAttributes().getValue("Main-Class");
            return main.substring(0, main.lastIndexOf('.') + 1);
        }
    }

    private static void readRecording(Path recording, String generatedPackage, Map<Integer, Long> installed,
            List<CompilationCheck.Sample> samples) throws IOException {
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        Instant start = events.stream().filter(e -> e.getEventType().getName().equals("jdk.JVMInformation"))
                .map(e -> e.getInstant("jvmStartTime")).findFirst()
                .orElseThrow(() -> new IOException(recording + " holds no jdk.JVMInformation event"));
        for (RecordedEvent e : events) {
            switch (e.getEventType().getName()) {
                case "jdk.Compilation" -> {
                    if (e.getBoolean("succeded")) {
                        installed.put(e.getInt("compileId"), Duration.between(start, e.getEndTime()).toMillis());
                    }
                }
                case "jdk.ExecutionSample" -> {
                    CompilationCheck.Sample sample = attribute(e, generatedPackage,
                            Duration.between(start, e.getStartTime()).toMillis());
                    if (sample != null) {
                        samples.add(sample);
                    }
                }
                default -> { }
            }
        }
    }

    /**
     * The sample's innermost generated frame if interpreted, else the compiled method physically
     * holding it (itself, or the frame it is inlined into); {@code null} when no generated code ran.
     */
    private static CompilationCheck.Sample attribute(RecordedEvent event, String generatedPackage, long millis) {
        if (event.getStackTrace() == null) {
            return null;
        }
        List<RecordedFrame> frames = event.getStackTrace().getFrames();
        for (int i = 0; i < frames.size(); i++) {
            RecordedFrame frame = frames.get(i);
            if (!frame.isJavaFrame() || !frame.getMethod().getType().getName().startsWith(generatedPackage)) {
                continue;
            }
            if (frame.getType().equals("Interpreted")) {
                return new CompilationCheck.Sample(millis, name(frame), true);
            }
            int physical = i;
            while (physical < frames.size() - 1 && frames.get(physical).getType().equals("Inlined")) {
                physical++;
            }
            return new CompilationCheck.Sample(millis, name(frames.get(physical)), false);
        }
        return null;
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "::" + frame.getMethod().getName();
    }
}
