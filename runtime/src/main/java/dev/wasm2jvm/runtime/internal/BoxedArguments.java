package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.HostFunction;
import dev.wasm2jvm.runtime.V128;
import java.lang.invoke.MethodType;

/**
 * The calling convention of wide functions, whose parameters take more JVM slots than a method
 * handle call allows ({@link #MAX_SLOTS}; i64 and f64 take two, v128 four): their generated methods, their
 * {@link FuncRef} handles, their facade methods and their host implementations take all parameters
 * in one {@code Object[]}, boxed as {@link HostFunction} receives them: {@code Integer} for i32,
 * {@code Long} for i64, {@code Float} for f32, {@code Double} for f64, {@link V128} for v128,
 * {@link FuncRef} or {@code null} for funcref, any object for externref.
 */
public final class BoxedArguments {
    /**
     * The most parameter slots a function passes one by one. A JVM method type has at most 255; a
     * call through a method handle needs one for the handle and one for its invoker, and a
     * {@code call_indirect} dispatcher, which takes the parameters, the element index and the
     * instance, stays within 255 too.
     */
    public static final int MAX_SLOTS = 253;

    private BoxedArguments() {}

    /** Whether functions of signature {@code type} (see {@link FuncRef}) pass their parameters boxed. */
    public static boolean isWide(String type) {
        int slots = 0;
        for (int i = 0; type.charAt(i) != ':'; i++) slots += slots(type.charAt(i));
        return slots > MAX_SLOTS;
    }

    private static int slots(char letter) {
        return switch (letter) {
            case 'l', 'd' -> 2;
            case 'v' -> 4;
            default -> 1;
        };
    }

    /**
     * Checks that {@code args} are arguments of a function of signature {@code type}: one per
     * parameter, each boxed as its type requires.
     *
     * @return {@code args}
     * @throws IllegalArgumentException if they are not
     */
    public static Object[] check(String type, Object[] args) {
        int count = type.indexOf(':');
        if (args.length != count) {
            throw new IllegalArgumentException(count + " arguments expected, " + args.length + " given");
        }
        for (int i = 0; i < count; i++) {
            char letter = type.charAt(i);
            boolean boxed = args[i] == null ? letter == 'r' || letter == 'e' || letter == 'x' : boxClass(letter).isInstance(args[i]);
            if (!boxed) {
                throw new IllegalArgumentException("argument " + i + " is " + (args[i] == null ? "null" : args[i].getClass().getName())
                        + " where " + boxClass(letter).getSimpleName() + " is expected");
            }
        }
        return args;
    }

    /** The class of the boxes of type letter {@code letter}'s values: the wrapper of its Java type. */
    private static Class<?> boxClass(char letter) {
        return MethodType.methodType(FuncRef.javaType(letter)).wrap().returnType();
    }

    /**
     * For generated code: unboxes the arguments from {@code args[from]} on into the arrays that hold
     * a wide function's parameters past its first ones, each type's in order from index 0 of its
     * array (references of both kinds share {@code refs}).
     */
    public static void unpack(String type, Object[] args, int from, int[] i32s, long[] i64s, float[] f32s,
                              double[] f64s, Object[] refs) {
        int i32 = 0;
        int i64 = 0;
        int f32 = 0;
        int f64 = 0;
        int ref = 0;
        for (int i = from; type.charAt(i) != ':'; i++) {
            switch (type.charAt(i)) {
                case 'i' -> i32s[i32++] = (Integer) args[i];
                case 'l' -> i64s[i64++] = (Long) args[i];
                case 'f' -> f32s[f32++] = (Float) args[i];
                case 'd' -> f64s[f64++] = (Double) args[i];
                default -> refs[ref++] = args[i];
            }
        }
    }
}
