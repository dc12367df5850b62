package dev.wasm2jvm.compiler.emit.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LRETURN;
import static org.objectweb.asm.Opcodes.V22;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.runtime.WasmTrap;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

/**
 * Runs the spec test scripts whose exported functions each apply one numeric instruction to their
 * parameters. Every such function becomes a static method whose body is the bytecode
 * {@link NumericEmitter} emits for that instruction, and every {@code assert_return} and
 * {@code assert_trap} of the script is checked against it.
 */
class NumericEmitterTest {
    private static final Path CORE =
            Path.of(System.getProperty("wasm2jvm.shared", "../shared"), "wasm-testsuite", "core");
    private static final List<String> SCRIPTS = List.of(
            "i32", "i64", "f32", "f32_bitwise", "f32_cmp", "f64", "f64_bitwise", "f64_cmp", "conversions",
            "float_misc");

    private static final Pattern EXPORTED_INSTRUCTION = Pattern.compile(
            "\\(func \\(export \"([^\"]+)\"\\)((?: \\(param \\$\\w+ \\w+\\))*) \\(result (\\w+)\\) \\(([a-z0-9_.]+) ");
    private static final Pattern PARAM = Pattern.compile("\\(param \\$\\w+ (\\w+)\\)");

    /** An exported function of a script: {@code instruction} applied to parameters of {@code params}. */
    private record Export(String name, String instruction, List<String> params, String result) {
        int opcode() {
            try {
                return Opcodes.class.getField(instruction.toUpperCase().replace('.', '_')).getInt(null);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("no opcode for " + instruction, e);
            }
        }
    }

    static List<String> scripts() {
        return SCRIPTS;
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void passesEverySpecAssertion(String script) throws Throwable {
        Map<String, MethodHandle> functions = compile(exports(script));
        JsonNode commands = new ObjectMapper()
                .readTree(CORE.resolve("json").resolve(script).resolve(script + ".json").toFile())
                .get("commands");

        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (JsonNode command : commands) {
            String type = command.get("type").asText();
            if (!type.equals("assert_return") && !type.equals("assert_trap")) continue;
            JsonNode action = command.get("action");
            MethodHandle function = functions.get(action.get("field").asText());
            assertTrue(function != null, script + ":" + command.get("line") + " invokes an unknown export");
            List<Object> args = new ArrayList<>();
            List<String> argTexts = new ArrayList<>();
            for (JsonNode arg : action.get("args")) {
                args.add(value(arg));
                argTexts.add(arg.get("value").asText());
            }
            String where = script + ":" + command.get("line") + " " + action.get("field").asText() + argTexts;

            Object actual;
            try {
                actual = function.invokeWithArguments(args);
            } catch (WasmTrap trap) {
                actual = "trap " + trap.getMessage();
            }
            String failure = type.equals("assert_trap")
                    ? check("trap " + command.get("text").asText(), actual)
                    : check(command.get("expected").get(0), actual);
            if (failure != null) failures.add(where + ": " + failure);
            checked++;
        }
        assertEquals(List.of(), failures);
        assertTrue(checked > 0, script + " has no assertions");
    }

    @Test
    void specScriptsCoverEveryNumericInstruction() throws IOException {
        Set<Integer> covered = new TreeSet<>();
        for (String script : SCRIPTS) {
            for (Export export : exports(script)) covered.add(export.opcode());
        }
        Set<Integer> numeric = new TreeSet<>();
        for (int opcode = Opcodes.I32_EQZ; opcode <= Opcodes.I64_EXTEND32_S; opcode++) numeric.add(opcode);
        for (int opcode = Opcodes.I32_TRUNC_SAT_F32_S; opcode <= Opcodes.I64_TRUNC_SAT_F64_U; opcode++) {
            numeric.add(opcode);
        }
        assertEquals(numeric, covered);
    }

    @Test
    void declinesOtherInstructions() throws IllegalAccessException {
        for (Field field : Opcodes.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != int.class) continue;
            if (field.getName().startsWith("PREFIX_")) continue;
            int opcode = field.getInt(null);
            boolean numeric = (opcode >= Opcodes.I32_EQZ && opcode <= Opcodes.I64_EXTEND32_S)
                    || (opcode >= Opcodes.I32_TRUNC_SAT_F32_S && opcode <= Opcodes.I64_TRUNC_SAT_F64_U);
            if (numeric) continue;
            // Without a MethodVisitor, emitting anything at all would throw.
            assertFalse(new NumericEmitter(null, 0).visitInsn(opcode), Opcodes.name(opcode));
        }
    }

    /**
     * The unsigned comparisons make no call (the interpreter runs a seldom called function's
     * comparisons until it is compiled), and order values across the sign bit as unsigned values,
     * both as a 0/1 result and fused by {@link BranchFusion} into the jump of a following test.
     */
    @Test
    void unsignedComparisonsCallNothingAndOrderAsUnsigned() throws Throwable {
        int[] opcodes = {Opcodes.I32_LT_U, Opcodes.I32_GT_U, Opcodes.I32_LE_U, Opcodes.I32_GE_U,
                Opcodes.I64_LT_U, Opcodes.I64_GT_U, Opcodes.I64_LE_U, Opcodes.I64_GE_U};
        String className = NumericEmitterTest.class.getPackageName().replace('.', '/') + "/UnsignedComparisons";
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        cw.visit(V22, ACC_FINAL, className, null, "java/lang/Object", null);
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < opcodes.length; i++) {
            boolean wide = i >= 4;
            for (boolean fused : new boolean[] {false, true}) {
                MethodVisitor raw = cw.visitMethod(ACC_STATIC, (fused ? "branch" : "value") + i, wide ? "(JJ)I" : "(II)I", null, null);
                MethodVisitor mv = new MethodVisitor(org.objectweb.asm.Opcodes.ASM9, fused ? new BranchFusion(raw) : raw) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                        calls.add(owner + "." + name);
                        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                    }
                };
                mv.visitCode();
                mv.visitVarInsn(wide ? LLOAD : ILOAD, 0);
                mv.visitVarInsn(wide ? LLOAD : ILOAD, wide ? 2 : 1);
                assertTrue(new NumericEmitter(mv, wide ? 4 : 2).visitInsn(opcodes[i]), Opcodes.name(opcodes[i]));
                if (fused) {
                    // As br_if would test it: 7 when the comparison holds, else 3.
                    org.objectweb.asm.Label holds = new org.objectweb.asm.Label();
                    mv.visitJumpInsn(org.objectweb.asm.Opcodes.IFNE, holds);
                    mv.visitIntInsn(org.objectweb.asm.Opcodes.BIPUSH, 3);
                    mv.visitInsn(IRETURN);
                    mv.visitLabel(holds);
                    mv.visitIntInsn(org.objectweb.asm.Opcodes.BIPUSH, 7);
                }
                mv.visitInsn(IRETURN);
                mv.visitMaxs(0, 0);
                mv.visitEnd();
            }
        }
        cw.visitEnd();
        assertEquals(List.of(), calls);
        MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(cw.toByteArray(), true);
        long[] values = {0, 1, 2, 0x7FFF_FFFEL, 0x7FFF_FFFFL, 0x8000_0000L, 0x8000_0001L, 0xFFFF_FFFEL, 0xFFFF_FFFFL,
                0x1_0000_0000L, Long.MAX_VALUE - 1, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, -2, -1};
        // An i32 comparison takes each value's low 32 bits.
        for (int i = 0; i < opcodes.length; i++) {
            boolean wide = i >= 4;
            MethodType type = wide ? MethodType.methodType(int.class, long.class, long.class)
                    : MethodType.methodType(int.class, int.class, int.class);
            MethodHandle value = lookup.findStatic(lookup.lookupClass(), "value" + i, type);
            MethodHandle branch = lookup.findStatic(lookup.lookupClass(), "branch" + i, type);
            for (long a : values) {
                for (long b : values) {
                    int c = wide ? Long.compareUnsigned(a, b) : Integer.compareUnsigned((int) a, (int) b);
                    boolean expected = switch (opcodes[i] - (wide ? Opcodes.I64_LT_U - Opcodes.I32_LT_U : 0)) {
                        case Opcodes.I32_LT_U -> c < 0;
                        case Opcodes.I32_GT_U -> c > 0;
                        case Opcodes.I32_LE_U -> c <= 0;
                        default -> c >= 0;
                    };
                    String where = Opcodes.name(opcodes[i]) + " " + Long.toHexString(a) + " " + Long.toHexString(b);
                    int asValue = wide ? (int) value.invokeExact(a, b) : (int) value.invokeExact((int) a, (int) b);
                    int asBranch = wide ? (int) branch.invokeExact(a, b) : (int) branch.invokeExact((int) a, (int) b);
                    assertEquals(expected ? 1 : 0, asValue, where);
                    assertEquals(expected ? 7 : 3, asBranch, where + ", fused");
                }
            }
        }
    }

    /** The exported functions of the script's module, read from its source. */
    private static List<Export> exports(String script) throws IOException {
        List<Export> exports = new ArrayList<>();
        boolean inModule = false;
        for (String line : Files.readAllLines(CORE.resolve("wast").resolve(script + ".wast"))) {
            if (line.startsWith("(module")) inModule = true;
            else if (line.startsWith(")")) inModule = false;
            if (!inModule) continue;
            Matcher m = EXPORTED_INSTRUCTION.matcher(line);
            if (!m.find()) continue;
            List<String> params = new ArrayList<>();
            for (Matcher p = PARAM.matcher(m.group(2)); p.find(); ) params.add(p.group(1));
            exports.add(new Export(m.group(1), m.group(4), params, m.group(3)));
        }
        return exports;
    }

    /**
     * Compiles each export to a static method of one hidden class. Floats cross the method boundary
     * as their raw bits, so that NaN payloads are compared exactly.
     */
    private static Map<String, MethodHandle> compile(List<Export> exports) throws ReflectiveOperationException {
        String className = NumericEmitterTest.class.getPackageName().replace('.', '/') + "/SpecFunctions";
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        cw.visit(V22, ACC_FINAL, className, null,
                "java/lang/Object", null);
        for (int i = 0; i < exports.size(); i++) emitFunction(cw, "f" + i, exports.get(i));
        cw.visitEnd();

        MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(cw.toByteArray(), true);
        Map<String, MethodHandle> functions = new LinkedHashMap<>();
        for (int i = 0; i < exports.size(); i++) {
            Export export = exports.get(i);
            functions.put(export.name(), lookup.findStatic(lookup.lookupClass(), "f" + i, methodType(export)));
        }
        return functions;
    }

    private static void emitFunction(ClassWriter cw, String name, Export export) {
        MethodVisitor mv = cw.visitMethod(ACC_STATIC, name,
                methodType(export).toMethodDescriptorString(), null, null);
        mv.visitCode();
        int slot = 0;
        for (String param : export.params()) {
            boolean wide = param.equals("i64") || param.equals("f64");
            mv.visitVarInsn(wide ? LLOAD : ILOAD, slot);
            slot += wide ? 2 : 1;
            if (param.equals("f32")) invoke(mv, "java/lang/Float", "intBitsToFloat", "(I)F");
            if (param.equals("f64")) invoke(mv, "java/lang/Double", "longBitsToDouble", "(J)D");
        }
        assertTrue(new NumericEmitter(mv, slot).visitInsn(export.opcode()), export.instruction());
        switch (export.result()) {
            case "f32" -> invoke(mv, "java/lang/Float", "floatToRawIntBits", "(F)I");
            case "f64" -> invoke(mv, "java/lang/Double", "doubleToRawLongBits", "(D)J");
            default -> {}
        }
        boolean wide = export.result().equals("i64") || export.result().equals("f64");
        mv.visitInsn(wide ? LRETURN : IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void invoke(MethodVisitor mv, String owner, String name, String descriptor) {
        mv.visitMethodInsn(INVOKESTATIC, owner, name, descriptor, false);
    }

    private static MethodType methodType(Export export) {
        return MethodType.methodType(carrier(export.result()),
                export.params().stream().map(NumericEmitterTest::carrier).toArray(Class<?>[]::new));
    }

    /** The JVM type carrying a wasm value (or, for a float, its bits) across the method boundary. */
    private static Class<?> carrier(String type) {
        return type.equals("i64") || type.equals("f64") ? long.class : int.class;
    }

    /** An argument or result value of the JSON script: decimal strings of the unsigned value or bits. */
    private static Object value(JsonNode value) {
        String text = value.get("value").asText();
        return switch (value.get("type").asText()) {
            case "i32", "f32" -> (int) Long.parseLong(text);
            case "i64", "f64" -> Long.parseUnsignedLong(text);
            default -> throw new AssertionError("not a numeric value: " + value);
        };
    }

    /** Why {@code actual} does not match the expected value, or null if it does. */
    private static String check(JsonNode expected, Object actual) {
        String text = expected.get("value").asText();
        boolean matches = switch (text) {
            case "nan:canonical" -> isNaN(actual, true);
            case "nan:arithmetic" -> isNaN(actual, false);
            default -> value(expected).equals(actual);
        };
        return matches ? null : "expected " + text + " but got " + describe(actual);
    }

    /** Whether the bits {@code actual} are a canonical, or else an arithmetic (quiet), NaN. */
    private static boolean isNaN(Object actual, boolean canonical) {
        return switch (actual) {
            case Integer bits -> (bits & (canonical ? 0x7FFF_FFFF : 0x7FC0_0000)) == 0x7FC0_0000;
            case Long bits -> (bits & (canonical ? Long.MAX_VALUE : 0x7FF8_0000_0000_0000L))
                    == 0x7FF8_0000_0000_0000L;
            default -> false;
        };
    }

    private static String check(String expectedTrap, Object actual) {
        return expectedTrap.equals(actual) ? null : "expected " + expectedTrap + " but got " + describe(actual);
    }

    private static String describe(Object actual) {
        return switch (actual) {
            case Integer i -> Integer.toUnsignedString(i) + " (0x" + Integer.toHexString(i) + ")";
            case Long l -> Long.toUnsignedString(l) + " (0x" + Long.toHexString(l) + ")";
            default -> String.valueOf(actual);
        };
    }
}
