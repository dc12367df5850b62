package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.CompiledModule;
import dev.wasm2jvm.compiler.WasmCompiler;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.runtime.HostFunction;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.internal.Polls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.ASM9;
import static org.objectweb.asm.Opcodes.GETSTATIC;

/**
 * Where generated code polls for termination ({@link ControlEmitter#pollTermination}): at every loop
 * header and at the entry of a function on a cycle of calls, except in a WASI command that cannot
 * run in a threaded program, which has none; read from the compiled classes' bytecode. The code
 * computes the same either way.
 */
class TerminationPollsTest {
    /**
     * Two loops, one nested in the other, a function calling itself, and a leaf: 3 loop headers and
     * 1 entry that poll in a module that polls. {@code %s} adds what makes a command that exports
     * {@code _start} threaded, or nothing.
     */
    private static final String MODULE = """
            (module
              %s
              (func $sumBelow (export "sumBelow") (param $n i32) (result i32)
                (local $i i32) (local $j i32) (local $sum i32)
                (loop $outer
                  (local.set $j (i32.const 0))
                  (loop $inner
                    (local.set $sum (i32.add (local.get $sum) (local.get $j)))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br_if $inner (i32.lt_u (local.get $j) (local.get $i))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
                (local.get $sum))
              (func $countDown (export "countDown") (param $n i32) (result i32)
                (loop $down
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if $down (i32.gt_s (local.get $n) (i32.const 0))))
                (local.get $n))
              (func $factorial (export "factorial") (param $n i32) (result i32)
                (if (result i32) (i32.le_u (local.get $n) (i32.const 1))
                  (then (i32.const 1))
                  (else (i32.mul (local.get $n) (call $factorial (i32.sub (local.get $n) (i32.const 1)))))))
              (func $square (export "square") (param i32) (result i32)
                (i32.mul (local.get 0) (local.get 0))))
            """;
    private static final String POLLS = Type.getInternalName(Polls.class);

    @ParameterizedTest
    @ValueSource(strings = {"", "(memory 1 2)", "(import \"env\" \"thread-spawn\" (func (param i32) (result i32)))"})
    void aCommandThatCannotRunInAThreadedProgramHasNoPoll(String fields) {
        Polled polled = polls(fields, true);

        assertEquals(0, polled.polls, "polls");
        assertComputes(fields, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"(import \"wasi\" \"thread-spawn\" (func (param i32) (result i32)))",
            "(func (export \"wasi_thread_start\") (param i32 i32))",
            "(memory 1 2 shared)", "(import \"env\" \"memory\" (memory 1 2 shared))"})
    void aCommandThatCanRunInAThreadedProgramPollsAtEachLoopHeaderAndCyclicEntry(String fields) {
        assertPollsEverywhere(fields, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "(memory 1 2)"})
    void aModuleThatIsNoCommandPollsAtEachLoopHeaderAndCyclicEntry(String fields) {
        assertPollsEverywhere(fields, false);
    }

    private static void assertPollsEverywhere(String fields, boolean command) {
        Polled polled = polls(fields, command);

        assertEquals(3, polled.loopHeaders.size(), "loop headers");
        assertTrue(polled.afterLabel.containsAll(polled.loopHeaders), "a poll follows each loop header");
        assertEquals(4, polled.polls, "polls: one per loop header, one on entering $factorial");
        assertComputes(fields, command);
    }

    private static void assertComputes(String fields, boolean command) {
        HostFunction spawnNothing = args -> new Object[] {-1};
        Imports imports = new Imports().add("wasi", "thread-spawn", spawnNothing).add("env", "thread-spawn", spawnNothing)
                .add("env", "memory", new Memory(1, 2, true));
        Instance instance = compile(fields, command).instantiate(imports);
        assertEquals(120, instance.function("sumBelow").call(10)[0]);
        assertEquals(0, instance.function("countDown").call(5)[0]);
        assertEquals(720, instance.function("factorial").call(6)[0]);
        assertEquals(49, instance.function("square").call(7)[0]);
    }

    /** The module with {@code fields}; a {@code command} exports a {@code _start} of its own. */
    private static CompiledModule compile(String fields, boolean command) {
        String module = MODULE.formatted(fields + (command ? " (func (export \"_start\"))" : ""));
        return WasmCompiler.compile(Wat.toBinary(module.getBytes(StandardCharsets.UTF_8)));
    }

    /** The polls of every class of the compiled module, the loop headers (targets of backward jumps), and the labels a poll follows. */
    private static Polled polls(String fields, boolean command) {
        Polled polled = new Polled();
        for (byte[] bytes : compile(fields, command).classFiles().values()) {
            new ClassReader(bytes).accept(new ClassVisitor(ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return polled.method();
                }
            }, 0);
        }
        return polled;
    }

    private static final class Polled {
        int polls;
        final Set<Label> loopHeaders = new HashSet<>();
        final Set<Label> afterLabel = new HashSet<>();

        MethodVisitor method() {
            Set<Label> seen = new HashSet<>();
            return new MethodVisitor(ASM9) {
                private Label last;

                @Override
                public void visitLabel(Label label) {
                    seen.add(label);
                    last = label;
                }

                @Override
                public void visitJumpInsn(int opcode, Label label) {
                    if (seen.contains(label)) loopHeaders.add(label);
                    last = null;
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                    if (opcode == GETSTATIC && owner.equals(POLLS) && name.equals("SITE")) {
                        polls++;
                        if (last != null) afterLabel.add(last);
                    }
                    last = null;
                }

                @Override
                public void visitInsn(int opcode) {
                    last = null;
                }

                @Override
                public void visitVarInsn(int opcode, int varIndex) {
                    last = null;
                }

                @Override
                public void visitIincInsn(int varIndex, int increment) {
                    last = null;
                }

                @Override
                public void visitIntInsn(int opcode, int operand) {
                    last = null;
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                    last = null;
                }
            };
        }
    }
}
