package dev.wasm2jvm.runtime.internal;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Instance;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.IdentityHashMap;

/**
 * The trampoline of {@code return_call} and {@code return_call_indirect}, one per instance (an
 * instance runs on one thread at a time, so its pending call needs no synchronization).
 *
 * <p>A function that contains a tail call is compiled as a body and a wrapper of the function's
 * name and descriptor. A tail call in the body records its callee and arguments here and returns a
 * default value; the wrapper, which every other call site calls as before, sees the pending call
 * and runs pending calls one after the other, each from the same JVM frame, until one returns
 * without recording another: mutual tail recursion runs in constant JVM stack. The callees run are
 * bodies, never wrappers, so a tail call never nests a trampoline. Functions without tail calls,
 * and their callers, are compiled as they were.
 */
public final class TailCalls {
    /** The handle of the pending callee, taking its JVM parameters and then the instance, or null. */
    private MethodHandle target;
    /** The pending callee's arguments, the instance last. */
    private Object[] arguments;
    /**
     * The handle of each callee run so far adapted to take its arguments as one array and return its
     * result boxed, made on its first tail call, or null until then: {@code invokeExact} of the
     * adaptation costs a fraction of {@code invokeWithArguments}, which adapts the handle on every
     * call. Callee handles are constants of generated code or cached in their references, so they
     * are few and the same objects on every call.
     */
    private IdentityHashMap<MethodHandle, MethodHandle> spreaders;

    /** Records the tail call of {@code target} with {@code arguments}, which end with the instance. */
    public static void call(MethodHandle target, Object[] arguments, Instance instance) {
        TailCalls state = instance.tailCalls();
        state.target = target;
        state.arguments = arguments;
    }

    /**
     * Records the tail call of {@code ref} with {@code arguments} (without the instance); a function
     * of this instance is called through its body, so that it returns its own tail calls here.
     */
    public static void callIndirect(FuncRef ref, Object[] arguments, Instance instance) {
        if (ref.owner == instance) {
            Object[] withInstance = Arrays.copyOf(arguments, arguments.length + 1);
            withInstance[arguments.length] = instance;
            call(instance.tailHandle(ref.funcidx), withInstance, instance);
        } else {
            call(ref.handle(), arguments, instance);
        }
    }

    /** Runs the pending calls until one returns a result, boxed (a v128 as a {@code V128}, several as an {@code Object[]}). */
    private static Object run(Instance instance) {
        TailCalls state = instance.tailCalls();
        Object result;
        do {
            MethodHandle target = state.target;
            Object[] arguments = state.arguments;
            state.target = null;
            state.arguments = null;
            try {
                result = (Object) state.spreader(target).invokeExact(arguments);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                // Generated code and host functions throw no checked exception.
                throw new IllegalStateException(e);
            }
        } while (state.target != null);
        return result;
    }

    private MethodHandle spreader(MethodHandle target) {
        if (spreaders == null) spreaders = new IdentityHashMap<>();
        MethodHandle spreader = spreaders.get(target);
        if (spreader == null) {
            spreader = target.asSpreader(Object[].class, target.type().parameterCount())
                    .asType(MethodType.methodType(Object.class, Object[].class));
            spreaders.put(target, spreader);
        }
        return spreader;
    }

    /** The result of a function's body, {@code result} unless it made a tail call, whose result this returns. */
    public static int resultI(int result, Instance instance) {
        return instance.tailCalls().target == null ? result : (Integer) run(instance);
    }

    /** As {@link #resultI} for an i64 result. */
    public static long resultJ(long result, Instance instance) {
        return instance.tailCalls().target == null ? result : (Long) run(instance);
    }

    /** As {@link #resultI} for an f32 result. */
    public static float resultF(float result, Instance instance) {
        return instance.tailCalls().target == null ? result : (Float) run(instance);
    }

    /** As {@link #resultI} for an f64 result. */
    public static double resultD(double result, Instance instance) {
        return instance.tailCalls().target == null ? result : (Double) run(instance);
    }

    /** As {@link #resultI} for a reference, a v128 or several results, all objects. */
    public static Object resultA(Object result, Instance instance) {
        return instance.tailCalls().target == null ? result : run(instance);
    }

    /** As {@link #resultI} for no result. */
    public static void resultV(Instance instance) {
        if (instance.tailCalls().target != null) run(instance);
    }
}
