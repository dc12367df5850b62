package dev.wasm2jvm.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasm2jvm.fuzz.Comparison.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filters of {@link Comparison}: what they let through as artefacts, and what they must not. */
class ComparisonTest {
    private static final List<String> RUN = List.of("instantiate", "call f 0", "log i32 7", "result 1", "call g 0",
            "trap memory", "global g 5");

    @Test
    void identicalTranscriptsAgree() {
        assertEquals(Verdict.AGREE, Comparison.of(RUN, List.copyOf(RUN)).verdict());
    }

    @Test
    void aDifferentValueOrTrapClassDisagrees() {
        assertEquals(Verdict.DISAGREE, Comparison.of(RUN, with(RUN, 2, "log i32 8")).verdict());
        assertEquals(Verdict.DISAGREE, Comparison.of(RUN, with(RUN, 5, "trap div-zero")).verdict());
        assertEquals(Verdict.DISAGREE, Comparison.of(RUN, RUN.subList(0, 6)).verdict());
    }

    @Test
    void stackExhaustionEndsTheComparisonOnlyFromItsCallOn() {
        List<String> node = List.of("instantiate", "call f 0", "log i32 1", "log i32 1", "trap stack", "call g 0", "result 3");
        List<String> jvm = List.of("instantiate", "call f 0", "log i32 1", "trap stack", "call g 0", "result 4");
        assertEquals(Verdict.ARTEFACT, Comparison.of(node, jvm).verdict());
        // A caught overflow counts too, and so does one later in the call than the first difference.
        List<String> caught = List.of("instantiate", "call f 0", "log i32 2", "exhausted", "result 0");
        assertEquals(Verdict.ARTEFACT, Comparison.of(List.of("instantiate", "call f 0", "log i32 1", "exhausted", "result 0"),
                caught).verdict());
        // A difference before any overflow is a disagreement.
        List<String> early = List.of("instantiate", "call f 0", "result 1", "call g 0", "trap stack");
        assertEquals(Verdict.DISAGREE, Comparison.of(early, List.of("instantiate", "call f 0", "result 2", "call g 0",
                "trap stack")).verdict());
    }

    @Test
    void misalignedOutOfBoundsAtomicsMayTrapEitherWay() {
        assertEquals(Verdict.AGREE, Comparison.of(RUN, with(RUN, 5, "trap unaligned")).verdict());
        // Only that pair: an aligned access out of bounds must not become "unaligned" the other way.
        assertEquals(Verdict.DISAGREE, Comparison.of(with(RUN, 5, "trap unaligned"), RUN).verdict());
    }

    @Test
    void aModuleRejectedByBothIsNotComparedButByOneIsADisagreement() {
        List<String> rejected = List.of("compile-error", "message illegal opcode");
        assertEquals(Verdict.ARTEFACT, Comparison.of(List.of("compile-error", "message Invalid opcode 0xd4"), rejected).verdict());
        assertEquals(Verdict.DISAGREE, Comparison.of(RUN, rejected).verdict());
    }

    @Test
    void aTimeLimitEndsTheComparisonWhereItStruck() {
        assertEquals(Verdict.ARTEFACT, Comparison.of(List.of("timeout"), RUN).verdict());
        assertEquals(Verdict.ARTEFACT, Comparison.of(RUN, List.of("instantiate", "call f 0", "timeout")).verdict());
        List<String> stopped = List.of("instantiate", "call f 0", "timeout");
        assertEquals(Verdict.ARTEFACT, Comparison.of(stopped, List.copyOf(stopped)).verdict());
        // What happened before it is compared.
        assertEquals(Verdict.DISAGREE, Comparison.of(RUN, List.of("instantiate", "call f 0", "log i32 6", "timeout")).verdict());
    }

    @Test
    void aDisagreementThatGoesAwayWithoutNansIsAnArtefact() {
        Comparison differs = Comparison.of(RUN, with(RUN, 6, "global g 6"));
        Map<String, Comparison> verdicts = Map.of("tiered", differs, "c2", Comparison.of(RUN, List.copyOf(RUN)));
        Map<String, Comparison> agreeWithout = Map.of("tiered", Comparison.of(RUN, List.copyOf(RUN)));
        assertEquals(Verdict.ARTEFACT, Comparison.withoutNans(verdicts, agreeWithout).get("tiered").verdict());
        assertEquals(Verdict.AGREE, Comparison.withoutNans(verdicts, agreeWithout).get("c2").verdict());
        Map<String, Comparison> stillDiffers = Map.of("tiered", differs);
        assertEquals(Verdict.DISAGREE, Comparison.withoutNans(verdicts, stillDiffers).get("tiered").verdict());
    }

    @Test
    void loggedVectorsMayDifferByNanBitsOnlyInLanesThatAreNansOnBothSides() {
        // Seed 5109 of the SIMD campaign: f64x2.mul of two NaNs, whose payload each engine takes
        // from another operand; lanes 2 and 3, read as one f64, are NaNs on both sides.
        List<String> node = with(RUN, 2, "log v128 ffffffffffffffd6 ffffffffffffbc3d");
        List<String> jvm = with(RUN, 2, "log v128 ffffffffffffffd6 ffffff0080000000");
        Map<String, Comparison> agreeWithout = Map.of("c2", Comparison.of(RUN, List.copyOf(RUN)));
        assertEquals(Verdict.ARTEFACT, Comparison.withoutNans(Map.of("c2", Comparison.of(node, jvm)), agreeWithout)
                .get("c2").verdict());
        // f32 NaNs with other payloads, lane 0 (0x7fc00000 and 0xffc00001).
        assertEquals(Verdict.ARTEFACT, Comparison.withoutNans(Map.of("c2", Comparison.of(
                with(RUN, 2, "log v128 7fc00000 0"), with(RUN, 2, "log v128 ffc00001 0"))), agreeWithout).get("c2").verdict());
        // A lane that is a number on either side is a disagreement, even if it goes away after
        // --denan (seed 7028, with i16x8.sub_sat_s broken on purpose).
        Comparison planted = Comparison.of(with(RUN, 2, "log v128 a94f4fa9a104637d d52c2cd5f367fc8c"),
                with(RUN, 2, "log v128 a94d4da9a104637d 552c2c55f367fc8c"));
        assertEquals(Verdict.DISAGREE, Comparison.withoutNans(Map.of("c2", planted), agreeWithout).get("c2").verdict());
        assertEquals(Verdict.DISAGREE, Comparison.withoutNans(Map.of("c2", Comparison.of(
                with(RUN, 2, "log v128 7fc00000 0"), with(RUN, 2, "log v128 3f800000 0"))), agreeWithout).get("c2").verdict());
    }

    private static List<String> with(List<String> lines, int index, String line) {
        List<String> copy = new ArrayList<>(lines);
        copy.set(index, line);
        return copy;
    }
}
