package dev.wasm2jvm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompilationCheckTest {
    private static final CompilationCheck.Limits LIMITS = new CompilationCheck.Limits(1000, 500, 2, 10);

    private static CompilationCheck.Verdict judge(List<String> printCompilation, List<String> deoptimization,
            List<CompilationCheck.Sample> samples, Map<Integer, Long> installed) {
        return CompilationCheck.judge("wasm.", JitLog.compilations(printCompilation),
                JitLog.deoptimizations(deoptimization), samples, installed, LIMITS);
    }

    /** Samples of one method every 10 ms over [from, to). */
    private static List<CompilationCheck.Sample> samples(String method, boolean interpreted, long from, long to) {
        List<CompilationCheck.Sample> out = new ArrayList<>();
        for (long t = from; t < to; t += 10) {
            out.add(new CompilationCheck.Sample(t, method, interpreted));
        }
        return out;
    }

    @Test
    void aLoopThatReachesC2AndStaysPasses() {
        List<CompilationCheck.Sample> samples = new ArrayList<>(samples("wasm.Module::func6", true, 200, 400));
        samples.addAll(samples("wasm.Module::func6", false, 400, 5000));
        CompilationCheck.Verdict v = judge(List.of(
                "300 10 %     3       wasm.Module::func6 @ 92 (1430 bytes)",
                "350 11 %     4       wasm.Module::func6 @ 92 (1430 bytes)",
                "900 10 %     3       wasm.Module::func6 @ 92 (1430 bytes)   made not entrant: OSR invalidation of lower level"),
                List.of(), samples, Map.of(11, 800L));
        assertTrue(v.passed(), v.failures().toString());
    }

    @Test
    void aSkippedCompilationOfGeneratedCodeFailsAndOneOfTheJdksDoesNot() {
        CompilationCheck.Verdict v = judge(List.of(
                "300 10 %     3       wasm.Module::func6 @ 92 (1430 bytes)   COMPILE SKIPPED: out of virtual registers"
                        + " in linear scan (retry at different tier)",
                "310 12       4       java.util.HashMap::get (20 bytes)   COMPILE SKIPPED: some JDK reason"),
                List.of(), List.of(), Map.of());
        assertEquals(List.of("skipped: wasm.Module::func6 @ 92 at tier 3: COMPILE SKIPPED: out of virtual registers"
                + " in linear scan (retry at different tier)"), v.failures());
    }

    @Test
    void c2CodeMadeNotEntrantThreeTimesIsACycleWithItsReasons() {
        List<String> lines = new ArrayList<>();
        List<String> traps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lines.add((1000 + i * 100) + " " + (20 + i) + " %     4       wasm.Module::func6 @ 92 (1430 bytes)");
            lines.add((1050 + i * 100) + " " + (20 + i)
                    + " %     4       wasm.Module::func6 @ 92 (1430 bytes)   made not entrant: uncommon trap");
            traps.add("[1." + (50 + i * 100) + "s][debug][deoptimization] cid=" + (20 + i) + " osr level=4"
                    + " wasm.Module.func6(Lwasm/Module;)I trap_bci=611 osr_bci=92 unstable_if reinterpret pc=0x1");
        }
        // Twice is within the limit for another loop of the same method.
        for (int i = 0; i < 2; i++) {
            lines.add((1000 + i * 100) + " " + (40 + i) + " %     4       wasm.Module::func6 @ 7 (1430 bytes)");
            lines.add((1050 + i * 100) + " " + (40 + i)
                    + " %     4       wasm.Module::func6 @ 7 (1430 bytes)   made not entrant: uncommon trap");
        }
        CompilationCheck.Verdict v = judge(lines, traps, List.of(), Map.of());
        assertEquals(List.of("deoptimisation cycle: wasm.Module::func6 @ 92: C2 code made not entrant 3 times"
                + " (unstable_if/reinterpret x3)"), v.failures());
        assertTrue(v.notes().contains("deoptimisations in generated code: 3 in 1 methods (unstable_if/reinterpret x3)"),
                v.notes().toString());
    }

    @Test
    void runningInterpretedOrInC1AfterTheWarmupFailsAndTheWarmupItselfDoesNot() {
        List<CompilationCheck.Sample> samples = new ArrayList<>(samples("wasm.Module::func6", true, 0, 1000));
        samples.addAll(samples("wasm.Module::func6", true, 1000, 1300));
        // C1 code, then C2 installed at 2000 (its task started at 1500), then made not entrant at 2500.
        samples.addAll(samples("wasm.Module::func6", false, 1300, 3000));
        CompilationCheck.Verdict v = judge(List.of(
                "1200 10       3       wasm.Module::func6 (1430 bytes)",
                "1500 11       4       wasm.Module::func6 (1430 bytes)",
                "2500 11       4       wasm.Module::func6 (1430 bytes)   made not entrant: uncommon trap"),
                List.of(), samples, Map.of(11, 2000L));
        assertEquals(List.of("below C2: wasm.Module::func6: after the first 1000 ms, sampled 300 ms interpreted and"
                + " 1200 ms in C1 code"), v.failures());
    }

    @Test
    void briefTimeBelowC2IsAllowed() {
        CompilationCheck.Verdict v = judge(List.of(), List.of(), samples("wasm.Module::func2", true, 1000, 1500),
                Map.of());
        assertTrue(v.passed(), v.failures().toString());
    }

    @Test
    void transientSkipsAndColdCodeSayNothingOfTheGeneratedCode() {
        List<String> lines = new ArrayList<>(List.of(
                "300 10       4       wasm.Module::func6 (1430 bytes)   COMPILE SKIPPED: Jvmti state change invalidated"
                        + " dependencies",
                "310 11       3       wasm.Module::func7 (20 bytes)   COMPILE SKIPPED: concurrent class loading"));
        for (int i = 0; i < 3; i++) {
            lines.add((1000 + i * 100) + " " + (20 + i) + "       4       wasm.Module::func8 (10 bytes)");
            lines.add((1050 + i * 100) + " " + (20 + i) + "       4       wasm.Module::func8 (10 bytes)   made not entrant:"
                    + " not used");
        }
        CompilationCheck.Verdict v = judge(lines, List.of(), List.of(), Map.of());
        assertTrue(v.passed(), v.failures().toString());
    }
}
