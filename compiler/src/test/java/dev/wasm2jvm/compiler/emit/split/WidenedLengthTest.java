package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.decode.ModuleDecoder;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.WasmModule;
import dev.wasm2jvm.compiler.validate.ModuleValidator;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFNONNULL;
import static org.objectweb.asm.Opcodes.IF_ICMPLT;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.NOP;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.V22;

/** The length of a method past a short jump's reach, as the class writer writes it. */
class WidenedLengthTest {
    private static final Path BENCHMARKS = Path.of(System.getProperty("wasm2jvm.shared", "../shared"), "bench", "benchmarks");

    /** A method's length as {@link WidenedLength} plays the writer's rounds, and as the class written has it. */
    private record Lengths(int firstWritten, int played, int written) {}

    /** The lengths of method {@code name} that {@code emission} writes into a class, ending it at {@code end}. */
    private static Lengths lengths(String name, Label end, Consumer<WidenedLength> emission) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(V22, ACC_PUBLIC, "Widened", null, RuntimeRefs.INSTANCE, null);
        WidenedLength widened = new WidenedLength(writer, name);
        emission.accept(widened);
        writer.visitEnd();
        int written;
        try {
            written = CodeSizes.of(writer.toByteArray()).get(name);
        } catch (MethodTooLargeException e) {
            written = e.getCodeSize();
        }
        return new Lengths(end.getOffset(), widened.length(end.getOffset()), written);
    }

    /**
     * Methods of jumps forward and back, conditional or not, and switches, among runs of other
     * bytecode, whose distances fall near the reach: widening some pushes others past it, and moves
     * the switches' padding, over several of the writer's rounds; some pass the writer's limit.
     */
    @Test
    void aMethodsLengthIsTheWrittenOneThroughTheWritersRoundsOfWidening() {
        int widenedMethods = 0;
        int tooLarge = 0;
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            Label end = new Label();
            Lengths lengths = lengths("m", end, cv -> method(cv, random, end));
            assertEquals(lengths.written(), lengths.played(), "seed " + seed + ", first written " + lengths.firstWritten());
            if (lengths.written() > lengths.firstWritten()) widenedMethods++;
            if (lengths.written() > 65535) tooLarge++;
        }
        assertTrue(widenedMethods > 60, widenedMethods + " methods widened");
        assertTrue(tooLarge > 0, "none too large");
    }

    /**
     * A jump forward that reaches until a jump past it, forward past the reach, is widened in the
     * writer's second round, and is widened in a third: two jumps of {@code goto_w}, 4 bytes more.
     */
    @Test
    void aJumpPushedPastTheReachByAnotherWidensInTheRoundAfter() {
        Label end = new Label();
        Lengths lengths = lengths("m", end, cv -> {
            MethodVisitor mv = cv.visitMethod(ACC_STATIC, "m", "()V", null, null);
            mv.visitCode();
            Label near = new Label();
            Label far = new Label();
            mv.visitJumpInsn(GOTO, near);
            mv.visitJumpInsn(GOTO, far);
            for (int i = 6; i < Short.MAX_VALUE; i++) mv.visitInsn(NOP);
            mv.visitLabel(near);
            for (int i = 0; i < 8000; i++) mv.visitInsn(NOP);
            mv.visitLabel(far);
            mv.visitInsn(RETURN);
            mv.visitLabel(end);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        });
        assertEquals(lengths.firstWritten() + 4, lengths.written());
        assertEquals(lengths.written(), lengths.played());
    }

    /**
     * A method of labels spread over it, among runs of {@code nop}s and loads at random, with jumps
     * and switches to them.
     */
    private static void method(WidenedLength cv, Random random, Label end) {
        MethodVisitor mv = cv.visitMethod(ACC_STATIC, "m", "()V", null, null);
        mv.visitCode();
        int labelCount = 6 + random.nextInt(30);
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < labelCount; i++) labels.add(new Label());
        List<Label> placed = new ArrayList<>();
        int length = 40_000 + random.nextInt(26_000);
        int written = 0;
        int[] jumps = {GOTO, IFEQ, IF_ICMPLT, IFNONNULL};
        while (written < length || placed.size() < labelCount) {
            if (placed.size() < labelCount && written >= (long) placed.size() * length / labelCount) {
                Label label = labels.get(placed.size());
                mv.visitLabel(label);
                placed.add(label);
            }
            switch (random.nextInt(6)) {
                case 0 -> {
                    mv.visitJumpInsn(jumps[random.nextInt(jumps.length)], labels.get(random.nextInt(labelCount)));
                    written += 3;
                }
                case 1 -> {
                    Label[] targets = {labels.get(random.nextInt(labelCount)), labels.get(random.nextInt(labelCount))};
                    if (random.nextBoolean()) {
                        mv.visitTableSwitchInsn(0, 1, labels.get(random.nextInt(labelCount)), targets);
                    } else {
                        mv.visitLookupSwitchInsn(labels.get(random.nextInt(labelCount)), new int[] {3, 7}, targets);
                    }
                    written += 28;
                }
                case 2 -> {
                    mv.visitVarInsn(ILOAD, random.nextInt(300));
                    written += 2;
                }
                default -> {
                    int run = 1 + random.nextInt(random.nextBoolean() ? 8 : 6000);
                    for (int i = 0; i < run; i++) mv.visitInsn(NOP);
                    written += run;
                }
            }
        }
        mv.visitInsn(RETURN);
        mv.visitLabel(end);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * The unsplit methods of Sightglass {@code sqlite3}'s functions from
     * {@link FunctionPlanner#FAR_BODY} bytes of wasm, as the planner's trials emit them: those past
     * the reach, some of them widened, the length of the written class.
     */
    @Test
    void aPlannersTrialOfARealFunctionHasTheLengthOfItsWrittenClass() throws IOException {
        WasmModule module = ModuleValidator.validate(ModuleDecoder.decode(
                Files.readAllBytes(BENCHMARKS.resolve("sqlite3/sqlite3.wasm"))));
        ModuleLayout layout = new ModuleLayout(module, "widened/Module");
        int imported = module.importCount(ExternKind.FUNC);
        int pastReach = 0;
        int widenedMethods = 0;
        for (int f = imported; f < module.functionCount(); f++) {
            if (module.codes().get(f - imported).code().length < FunctionPlanner.FAR_BODY) continue;
            int funcidx = f;
            Label end = new Label();
            Lengths lengths = lengths(layout.bodyName(f), end, cv -> FunctionMethods.measure(owner -> cv, layout.scratch(),
                    funcidx, null, OperandStack.Spill.ANY, null, end));
            assertEquals(lengths.written(), lengths.played(), "function " + f);
            if (lengths.firstWritten() > Short.MAX_VALUE) pastReach++;
            if (lengths.written() > lengths.firstWritten()) widenedMethods++;
        }
        // Three past the reach and two widened when this was written; the emitters' changes may move them.
        assertTrue(pastReach > 0, "none past the reach");
        assertTrue(widenedMethods > 0, "none widened");
    }
}
