package dev.wasm2jvm.runtime;

import dev.wasm2jvm.runtime.internal.BoxedArguments;
import dev.wasm2jvm.runtime.internal.Simd;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A function reference: a wasm function of some instance, or a host function, with its type.
 *
 * <p>The type is a signature string: one letter per type ({@code i l f d v r e x} for i32, i64, f32,
 * f64, v128, funcref, externref, exnref), the parameters, a colon, the results; {@code (i32, i64) -> f64} is
 * {@code "il:d"}. The handle takes the parameters as {@code int}, {@code long}, {@code float},
 * {@code double}, two {@code long}s (the low half, then the high half) for a v128, {@link FuncRef}
 * and {@code Object} (an exnref is its {@link WasmException}), or, for a wide signature, all of them boxed in one {@code Object[]} (see
 * {@link BoxedArguments}); it returns nothing, the one result (a v128 as a {@link V128}), or an
 * {@code Object[]} of boxed results when there are several. {@link #call} and host functions see
 * a v128 as a {@link V128}.
 */
public final class FuncRef {
    /** The handles {@link #host} adapts, made when the first host function is wrapped. */
    private static final class Host {
        static final MethodHandle CALL;
        static final MethodHandle FIRST;
        static final MethodHandle BOX;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                CALL = lookup.findVirtual(HostFunction.class, "call",
                        MethodType.methodType(Object[].class, Object[].class));
                FIRST = lookup.findStatic(FuncRef.class, "first", MethodType.methodType(Object.class, Object[].class));
                BOX = lookup.findStatic(Simd.class, "box", MethodType.methodType(V128.class, long.class, long.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** The signature string; interned, so equal types are the same object. */
    public final String type;
    /**
     * The handle, or {@code null} until {@link #handle()} first makes the handle of a wasm function.
     * Volatile so that a thread that sees a handle sees it whole; two threads racing to make it make
     * equal handles, and either may be kept.
     */
    private volatile MethodHandle handle;
    /**
     * The instance whose function this is, or {@code null} for a host function. Generated
     * {@code call_indirect} code calls its own instance's functions directly, by {@link #funcidx}.
     */
    public final Instance owner;
    /** The function's index in its instance's module, or -1 for a host function. */
    public final int funcidx;
    /**
     * For a function of the runtime's own hosts ({@link #builtin}), the object implementing it,
     * else {@code null}. Generated code that imports the function checks this object's interface
     * and {@link #builtinName} and then calls the method itself, which is what the handle does.
     */
    public final Object builtin;
    /** The name of {@link #builtin}'s method that is this function, interned; {@code null} when there is none. */
    public final String builtinName;
    /** The interface declaring that method, through which the handle is made. */
    private final Class<?> builtinApi;

    /** Makes a reference from a handle whose type is exactly {@code methodType(type)}. */
    public FuncRef(String type, MethodHandle handle) {
        this(type, handle, null, -1, null, null, null);
    }

    private FuncRef(String type, MethodHandle handle, Instance owner, int funcidx, Class<?> builtinApi,
                    Object builtin, String builtinName) {
        this.type = type.intern();
        this.handle = handle == null ? null : checked(type, handle);
        this.owner = owner;
        this.funcidx = funcidx;
        this.builtinApi = builtinApi;
        this.builtin = builtin;
        this.builtinName = builtinName == null ? null : builtinName.intern();
    }

    /**
     * The reference to wasm function {@code funcidx} of {@code instance}, for generated code. Its
     * handle is made on the first call of {@link #handle()}: making a handle links the class of
     * the function's method, and an instance's tables may hold thousands of references of which a
     * run calls few through a handle ({@code call_indirect} calls its own instance's functions
     * directly, by {@link #funcidx}).
     */
    public static FuncRef function(String type, Instance instance, int funcidx) {
        return new FuncRef(type, null, instance, funcidx, null, null, null);
    }

    /**
     * A function of the runtime's own hosts (WASI preview 1 and snapshot 0, wasi-threads): method
     * {@code name} of interface {@code api} (in {@code dev.wasm2jvm.runtime.internal}), implemented
     * by {@code implementation}, with signature {@code type}. Generated code calls the method
     * directly; the handle, the method bound to {@code implementation}, is made only when something
     * asks for it, so a program that calls nothing else through handles spins none.
     *
     * @throws IllegalArgumentException if {@code implementation} does not implement {@code api}
     */
    public static FuncRef builtin(String type, Class<?> api, Object implementation, String name) {
        if (!api.isInterface() || !api.isInstance(implementation)) {
            throw new IllegalArgumentException(implementation.getClass() + " does not implement the interface " + api);
        }
        return new FuncRef(type, null, null, -1, api, implementation, name);
    }

    private static MethodHandle checked(String type, MethodHandle handle) {
        MethodType expected = methodType(type);
        if (!handle.type().equals(expected)) {
            throw new IllegalArgumentException("handle type " + handle.type() + " is not " + expected);
        }
        return handle;
    }

    /**
     * The handle, of type {@link #methodType(String)} of {@link #type}. Invoking it skips the check
     * of {@link #call} that the instance runs on one thread at a time.
     */
    public MethodHandle handle() {
        MethodHandle h = handle;
        if (h == null) {
            if (builtin != null) {
                h = checked(type, builtinHandle());
            } else {
                // The generated static method takes the instance last; it is bound here.
                MethodHandle method = owner.functionHandle(funcidx);
                h = checked(type, MethodHandles.insertArguments(method, method.type().parameterCount() - 1, owner));
            }
            handle = h;
        }
        return h;
    }

    private MethodHandle builtinHandle() {
        try {
            return MethodHandles.lookup().findVirtual(builtinApi, builtinName, methodType(type)).bindTo(builtin);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no method " + builtinName + " of type " + type + " in " + builtinApi, e);
        }
    }

    /** Wraps a host function of the given signature. */
    public static FuncRef host(String type, HostFunction function) {
        MethodType target = methodType(type);
        MethodHandle h = Host.CALL.bindTo(function);
        int colon = type.indexOf(':');
        if (!BoxedArguments.isWide(type)) {
            Class<?>[] boxed = new Class<?>[colon];
            for (int i = 0; i < colon; i++) boxed[i] = javaType(type.charAt(i));
            h = h.asCollector(Object[].class, colon).asType(MethodType.methodType(Object[].class, boxed));
            // Each v128 parameter arrives as two longs, from the last so that earlier positions hold.
            for (int i = colon - 1; i >= 0; i--) {
                if (type.charAt(i) == 'v') h = MethodHandles.collectArguments(h, i, Host.BOX);
            }
        }
        Class<?> r = target.returnType();
        if (r == void.class) {
            h = h.asType(h.type().changeReturnType(void.class));
        } else if (r != Object[].class) {
            h = MethodHandles.filterReturnValue(h, Host.FIRST);
        }
        return new FuncRef(type, h.asType(target));
    }

    /**
     * Calls the function with boxed arguments; returns its boxed results (an empty array for none).
     *
     * @throws IllegalArgumentException if a function of a wide signature gets the wrong number or
     *     types of arguments (see {@link BoxedArguments#check})
     * @throws IllegalStateException if the function's instance is running on another thread (see
     *     {@link Instance})
     */
    public Object[] call(Object... args) {
        MethodHandle h = handle();
        Thread previous = owner == null ? null : owner.enter();
        Object result;
        try {
            result = BoxedArguments.isWide(type)
                    ? h.invoke(BoxedArguments.check(type, args))
                    : h.invokeWithArguments(halves(args));
        } catch (Throwable t) {
            throw WasmTrap.propagate(t);
        } finally {
            if (owner != null) owner.exit(previous);
        }
        if (h.type().returnType() == void.class) return new Object[0];
        if (h.type().returnType() == Object[].class) return (Object[]) result;
        return new Object[] {result};
    }

    /** {@code args} with each {@link V128} replaced by its two halves, as the handle takes them. */
    private static Object[] halves(Object[] args) {
        int vectors = 0;
        for (Object a : args) if (a instanceof V128) vectors++;
        if (vectors == 0) return args;
        Object[] spread = new Object[args.length + vectors];
        int j = 0;
        for (Object a : args) {
            if (a instanceof V128 v) {
                spread[j++] = v.low();
                spread[j++] = v.high();
            } else {
                spread[j++] = a;
            }
        }
        return spread;
    }

    /** The Java method type of functions with signature {@code type}. */
    public static MethodType methodType(String type) {
        int colon = type.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("not a signature: " + type);
        int results = type.length() - colon - 1;
        Class<?> ret = results == 0 ? void.class : results == 1 ? javaType(type.charAt(colon + 1)) : Object[].class;
        if (BoxedArguments.isWide(type)) return MethodType.methodType(ret, Object[].class);
        List<Class<?>> params = new ArrayList<>(colon);
        for (int i = 0; i < colon; i++) {
            char c = type.charAt(i);
            if (c == 'v') {
                params.add(long.class);
                params.add(long.class);
            } else {
                params.add(javaType(c));
            }
        }
        return MethodType.methodType(ret, params);
    }

    /** The Java type that carries one value of the type letter {@code c}: a result, a boxed argument, a host function's value. */
    public static Class<?> javaType(char c) {
        return switch (c) {
            case 'i' -> int.class;
            case 'l' -> long.class;
            case 'f' -> float.class;
            case 'd' -> double.class;
            case 'r' -> FuncRef.class;
            case 'e', 'x' -> Object.class;
            case 'v' -> V128.class;
            default -> throw new IllegalArgumentException("unknown type letter " + c);
        };
    }

    private static Object first(Object[] results) {
        if (results == null || results.length != 1) {
            throw new WasmTrap("host function returned " + (results == null ? "null" : Arrays.toString(results))
                    + " where one result was expected");
        }
        return results[0];
    }

    @Override
    public String toString() {
        return "funcref " + type;
    }
}
