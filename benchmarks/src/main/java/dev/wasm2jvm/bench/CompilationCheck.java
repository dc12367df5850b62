package dev.wasm2jvm.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Judges how HotSpot compiled a program's generated code in one run (issue 12, point 1: every hot
 * loop reaches C2 and stays there). A method is generated code when its class is in the compiled
 * module's package. The run fails on any of:
 * <ol>
 *   <li><b>skipped</b>: a compilation of a generated method that C1 or C2 gave up on
 *       ({@code COMPILE SKIPPED} in {@code -XX:+PrintCompilation}, at any tier, standard or OSR),
 *       unless for one of the {@linkplain #TRANSIENT transient reasons};
 *   <li><b>deoptimisation cycle</b>: one entry of a generated method (the method, or one of its
 *       loops for OSR code) whose C2 code was made not entrant more than
 *       {@link Limits#maxC2Invalidations} times, not counting code dropped as cold ({@code not
 *       used}) or for a transient reason;
 *   <li><b>below C2</b>: a generated method that, after the first {@link Limits#warmupMillis} of
 *       the run, was sampled running interpreted or in C1 code (tiers 1-3) for more than
 *       {@link Limits#belowC2Millis} in all. A sample is attributed to the innermost generated frame
 *       when that frame is interpreted, and else to the compiled method that physically holds it
 *       (the frame itself, or the one it is inlined into); compiled code counts as C2 when that
 *       method had C2 code installed and still entrant at the sample's time.
 * </ol>
 * Deoptimisations in generated code are reported whatever the verdict: their count per reason.
 */
final class CompilationCheck {
    /**
     * The thresholds of the criteria.
     *
     * @param warmupMillis       the start of the run (JVM start-up, class loading, the first tiers)
     *                           that the below-C2 criterion ignores
     * @param belowC2Millis      how long a generated method may run below C2 after the warm-up
     * @param maxC2Invalidations how often one entry's C2 code may be made not entrant
     * @param samplePeriodMillis the sampling period the samples were taken with
     */
    record Limits(long warmupMillis, long belowC2Millis, int maxC2Invalidations, long samplePeriodMillis) {
        static final Limits DEFAULT = new Limits(1000, 500, 2, 10);
    }

    /**
     * One execution sample, reduced to what the check needs.
     *
     * @param millis      since the JVM started
     * @param method      the generated method it is attributed to ({@code class::name})
     * @param interpreted whether that method's frame was interpreted (else compiled code of {@code method} ran)
     */
    record Sample(long millis, String method, boolean interpreted) {}

    /** The verdict: failures (empty when it passes) and what else is worth knowing. */
    record Verdict(List<String> failures, List<String> notes) {
        boolean passed() {
            return failures.isEmpty();
        }
    }

    /**
     * Reasons that say nothing of the generated code: HotSpot retries a compilation that class
     * loading or the JVMTI state change of the check's own flight recording (at its start)
     * invalidated.
     */
    static final List<String> TRANSIENT = List.of("concurrent class loading", "Jvmti state change");

    private CompilationCheck() {}

    private static boolean transientReason(String note) {
        return TRANSIENT.stream().anyMatch(note::contains);
    }

    /**
     * Judges one run.
     *
     * @param generatedPackage the compiled module's package with its trailing dot ({@code "wasm."})
     * @param installedMillis  when each compilation's code was installed, by compile id, where known
     *                         (else its task's line time is taken)
     */
    static Verdict judge(String generatedPackage, List<JitLog.Compilation> compilations,
            List<JitLog.Deoptimization> deoptimizations, List<Sample> samples, Map<Integer, Long> installedMillis,
            Limits limits) {
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<JitLog.Compilation> generated = compilations.stream()
                .filter(c -> c.method().startsWith(generatedPackage))
                .toList();

        for (JitLog.Compilation c : generated) {
            if (c.skipped() && !transientReason(c.note())) {
                failures.add("skipped: " + c.entry() + " at tier " + c.level() + ": " + c.note());
            }
        }

        Map<Integer, JitLog.Compilation> tasks = new HashMap<>();
        generated.stream().filter(c -> c.note().isEmpty()).forEach(c -> tasks.put(c.id(), c));
        Map<String, Integer> c2Invalidations = new TreeMap<>();
        Map<Integer, Long> invalidatedMillis = new HashMap<>();
        for (JitLog.Compilation c : generated) {
            if (c.madeNotEntrant()) {
                invalidatedMillis.merge(c.id(), c.millis(), Math::min);
                if (c.level() == 4 && !c.note().endsWith("not used") && !transientReason(c.note())) {
                    c2Invalidations.merge(c.entry(), 1, Integer::sum);
                }
            }
        }
        Map<String, Map<String, Long>> trapReasons = new HashMap<>();
        List<JitLog.Deoptimization> generatedTraps = deoptimizations.stream()
                .filter(d -> d.method().startsWith(generatedPackage))
                .toList();
        for (JitLog.Deoptimization d : generatedTraps) {
            String entry = d.osrBci() < 0 ? d.method() : d.method() + " @ " + d.osrBci();
            trapReasons.computeIfAbsent(entry, e -> new TreeMap<>()).merge(d.reason() + "/" + d.action(), 1L, Long::sum);
        }
        c2Invalidations.forEach((entry, count) -> {
            if (count > limits.maxC2Invalidations()) {
                failures.add("deoptimisation cycle: " + entry + ": C2 code made not entrant " + count + " times"
                        + reasons(trapReasons.get(entry)));
            }
        });

        // When each generated method had entrant C2 code: [installed, invalidated) intervals.
        Set<Integer> skipped = generated.stream().filter(JitLog.Compilation::skipped).map(JitLog.Compilation::id)
                .collect(Collectors.toSet());
        Map<String, List<long[]>> c2Code = new HashMap<>();
        for (JitLog.Compilation task : tasks.values()) {
            if (task.level() == 4 && !skipped.contains(task.id())) {
                long from = installedMillis.getOrDefault(task.id(), task.millis());
                long to = invalidatedMillis.getOrDefault(task.id(), Long.MAX_VALUE);
                c2Code.computeIfAbsent(task.method(), m -> new ArrayList<>()).add(new long[] {from, to});
            }
        }
        Map<String, long[]> below = new TreeMap<>();
        for (Sample s : samples) {
            if (s.millis() < limits.warmupMillis() || !s.method().startsWith(generatedPackage)) {
                continue;
            }
            if (s.interpreted()) {
                below.computeIfAbsent(s.method(), m -> new long[2])[0] += limits.samplePeriodMillis();
            } else if (c2Code.getOrDefault(s.method(), List.of()).stream()
                    .noneMatch(i -> i[0] <= s.millis() && s.millis() < i[1])) {
                below.computeIfAbsent(s.method(), m -> new long[2])[1] += limits.samplePeriodMillis();
            }
        }
        below.forEach((method, millis) -> {
            if (millis[0] + millis[1] > limits.belowC2Millis()) {
                failures.add("below C2: " + method + ": after the first " + limits.warmupMillis() + " ms, sampled "
                        + millis[0] + " ms interpreted and " + millis[1] + " ms in C1 code");
            }
        });

        if (!generatedTraps.isEmpty()) {
            Map<String, Long> byReason = generatedTraps.stream()
                    .collect(Collectors.groupingBy(d -> d.reason() + "/" + d.action(), TreeMap::new, Collectors.counting()));
            notes.add("deoptimisations in generated code: " + generatedTraps.size() + " in "
                    + generatedTraps.stream().map(JitLog.Deoptimization::method).distinct().count() + " methods"
                    + reasons(byReason));
        }
        Map<String, Integer> perLevel = new LinkedHashMap<>();
        tasks.values().forEach(t -> perLevel.merge("tier " + t.level() + (t.osrBci() < 0 ? "" : " OSR"), 1, Integer::sum));
        notes.add("compilations of generated methods: " + new TreeMap<>(perLevel));
        return new Verdict(failures, notes);
    }

    private static String reasons(Map<String, Long> counts) {
        if (counts == null || counts.isEmpty()) {
            return "";
        }
        return " (" + counts.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }
}
