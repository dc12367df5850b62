package dev.wasm2jvm.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.runtime.FuncRef;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The calling convention of functions with more parameter slots than a method handle call takes. */
class BoxedArgumentsTest {
    /** A signature of {@code count} parameters of type letter {@code letter} and one i64 result. */
    private static String signature(int count, char letter) {
        return String.valueOf(letter).repeat(count) + ":l";
    }

    @Test
    void aSignatureIsWidePast253ParameterSlots() {
        assertFalse(BoxedArguments.isWide(signature(253, 'i')));
        assertTrue(BoxedArguments.isWide(signature(254, 'i')));
        assertFalse(BoxedArguments.isWide(signature(126, 'd') + "i"));
        assertTrue(BoxedArguments.isWide(signature(127, 'l')));
        assertFalse(BoxedArguments.isWide(":" + "i".repeat(1000)));
    }

    @Test
    void wideHandlesTakeOneArrayAndNarrowOnesTheValues() {
        assertEquals(MethodType.methodType(long.class, Object[].class), FuncRef.methodType(signature(300, 'i')));
        assertEquals(253, FuncRef.methodType(signature(253, 'i')).parameterCount());
    }

    @Test
    void checkNamesTheArgumentThatIsNotBoxedAsItsTypeRequires() {
        String type = "ilfdre:";
        Object[] args = {1, 2L, 3f, 4d, null, "anything"};
        assertSame(args, BoxedArguments.check(type, args));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> BoxedArguments.check(type, new Object[] {1}));
        assertEquals("6 arguments expected, 1 given", count.getMessage());
        IllegalArgumentException widened = assertThrows(IllegalArgumentException.class,
                () -> BoxedArguments.check(type, new Object[] {1, 2, 3f, 4d, null, null}));
        assertEquals("argument 1 is java.lang.Integer where Long is expected", widened.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> BoxedArguments.check(type, new Object[] {null, 2L, 3f, 4d, null, null}));
        assertEquals("argument 0 is null where Integer is expected", missing.getMessage());
    }

    @Test
    void unpackFillsEachTypesArrayInOrderFromTheGivenArgument() {
        int[] i32s = new int[2];
        long[] i64s = new long[1];
        float[] f32s = new float[1];
        double[] f64s = new double[1];
        Object[] refs = new Object[2];
        FuncRef ref = FuncRef.host(":", args -> null);
        BoxedArguments.unpack("iildifre:i", new Object[] {0, 1, 2L, 3d, 4, 5f, ref, "e"}, 1, i32s, i64s, f32s, f64s, refs);
        assertArrayEquals(new int[] {1, 4}, i32s);
        assertArrayEquals(new long[] {2}, i64s);
        assertArrayEquals(new float[] {5f}, f32s);
        assertArrayEquals(new double[] {3d}, f64s);
        assertEquals(Arrays.asList(ref, "e"), Arrays.asList(refs));
    }

    @Test
    void aWideHostFunctionGetsTheCallersArray() {
        String type = signature(300, 'i');
        FuncRef host = FuncRef.host(type, args -> new Object[] {Arrays.stream(args).mapToLong(a -> (Integer) a).sum()});
        Object[] args = new Object[300];
        Arrays.setAll(args, i -> i);
        assertArrayEquals(new Object[] {300L * 299 / 2}, host.call(args));
        assertThrows(IllegalArgumentException.class, () -> host.call(1, 2));
    }
}
