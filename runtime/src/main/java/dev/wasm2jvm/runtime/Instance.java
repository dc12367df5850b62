package dev.wasm2jvm.runtime;

import dev.wasm2jvm.runtime.internal.TailCalls;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import jdk.internal.misc.Unsafe;

/**
 * An instantiated module. Every class that wasm2jvm generates for a module extends this class; its
 * constructor resolves the imports, initialises memories, tables and globals, applies the active
 * segments and runs the start function.
 *
 * <h2>Threads</h2>
 *
 * <p><b>An instance runs wasm code on one thread at a time.</b> Its globals, tables and unshared
 * memories belong to whoever is running it: a C or Rust program keeps its stack pointer in a
 * global, so two calls at once would use the same stack and corrupt each other's frames. A call
 * into an instance (a method of the generated class, or {@link FuncRef#call} of one of its
 * functions) while another thread is running it throws an {@link IllegalStateException} naming
 * that thread; nothing of the instance has changed then. Calls from the thread that is running it
 * (a host function calling back into an export) are fine, and so are calls from different threads
 * one after the other, provided the hand-over orders them (a lock, a queue, {@code Thread.join}).
 * Only these entries are checked: wasm code calling functions of another instance, and a host
 * invoking {@link FuncRef#handle()} itself, are not.
 *
 * <p>To run wasm code on several threads, give each thread its own instance:
 *
 * <pre>{@code
 * ThreadLocal<Hello> perThread = ThreadLocal.withInitial(Hello::instantiate);
 * executor.submit(() -> perThread.get().work(42));
 * }</pre>
 *
 * <p>Instances share data as wasm threads do (and as wasi-threads programs run): through a shared
 * memory that each instance imports. Made with the same {@link Imports}, which
 * {@link Imports#provideMemories() provide} the memory, every instance gets the one memory and its
 * own globals; {@code memory.atomic.wait} and {@code notify} work across them:
 *
 * <pre>{@code
 * Imports shared = new Imports().provideMemories();   // or add a new Memory(min, max, true)
 * CompiledModule worker = WasmCompiler.compile(wasm, "com.example.Worker");
 * for (int t = 0; t < 4; t++) {
 *     int id = t;
 *     Thread.ofPlatform().start(() -> worker.instantiate(shared).function("run").call(id));
 * }
 * }</pre>
 */
public abstract class Instance {
    /**
     * The internal {@code Unsafe} where {@code java.base} exports {@code jdk.internal.misc} to the
     * runtime (a compiled jar's {@code Add-Exports}, see {@code MemoryAccess}), else null: then
     * {@link #caller} is reached through a var handle ({@link CallerHandle}), which every program's
     * start made before. Measured in a fresh JVM started as a compiled jar is (its attribute, its
     * first memory segment made), wall time of the handle's lookup, a compare-and-exchange and a
     * release store, medians of 11 runs on a loaded machine: 1.03 ms through the handle, 0.03 ms
     * through {@code Unsafe}. Also measured and not kept: an {@code AtomicReferenceFieldUpdater}
     * (0.64 ms against the handle's 0.85 in an earlier round), whose reflection on this class loads
     * the type of every field, {@link TailCalls} among them, which a module without tail calls
     * otherwise never reads from its jar.
     */
    private static final Unsafe UNSAFE =
            Object.class.getModule().isExported("jdk.internal.misc", Instance.class.getModule()) ? Unsafe.getUnsafe() : null;
    /** The offset of {@link #caller} where {@link #UNSAFE} is exported. */
    private static final long CALLER_OFFSET = UNSAFE != null ? UNSAFE.objectFieldOffset(Instance.class, "caller") : -1;

    private final Map<String, Object> exports = new LinkedHashMap<>();
    /** The thread running wasm code of this instance, or null; see {@link #enter()}. */
    @SuppressWarnings("unused") // accessed through Unsafe or CallerHandle
    private volatile Thread caller;
    /**
     * The program's termination flag, polled by generated code; public because a module's code may be
     * spread over classes that are not subclasses of this one.
     */
    public final Termination termination;
    /**
     * The pending tail call of this instance's code (see {@link TailCalls}), made at its first tail
     * call: most modules make none, and their start then reads no class for it from the jar. Only
     * the thread running the instance touches it.
     */
    private TailCalls tailCalls;

    protected Instance(Imports imports) {
        this.termination = imports.termination();
    }

    /**
     * The state of this instance's tail calls, made at the first call of {@link TailCalls}, which
     * only the code of a module with tail calls makes.
     */
    public final TailCalls tailCalls() {
        TailCalls state = tailCalls;
        if (state == null) tailCalls = state = new TailCalls();
        return state;
    }

    /**
     * Marks the start of a call into this instance from outside its wasm code, for the generated
     * methods of exported functions and {@link FuncRef#call}: the check costs a call from the host
     * one compare-and-set, and calls within wasm code nothing. Pass what it returns to
     * {@link #exit} when the call ends, however it ends.
     *
     * @return {@code null} when the current thread now runs the instance, or the current thread
     *     when it already did (a nested call)
     * @throws IllegalStateException if another thread is running the instance
     */
    protected final Thread enter() {
        Thread current = Thread.currentThread();
        Thread running = UNSAFE != null ? (Thread) UNSAFE.compareAndExchangeReference(this, CALLER_OFFSET, null, current)
                : (Thread) CallerHandle.CALLER.compareAndExchange(this, (Thread) null, current);
        if (running == null || running == current) return running;
        throw new IllegalStateException("instance of " + getClass().getName() + " is running on thread \""
                + running.getName() + "\": an instance runs wasm code on one thread at a time (its globals, such as a"
                + " C program's stack pointer, belong to the running call); give each thread its own instance,"
                + " sharing a memory if they must share data (see dev.wasm2jvm.runtime.Instance)");
    }

    /** Ends a call begun by {@link #enter()}, which returned {@code previous}. */
    protected final void exit(Thread previous) {
        if (previous != null) return;
        if (UNSAFE != null) UNSAFE.putReferenceRelease(this, CALLER_OFFSET, null);
        else CallerHandle.CALLER.setRelease(this, (Thread) null);
    }

    /** The var handle of {@link #caller}, made only where {@code Unsafe} is not exported. */
    private static final class CallerHandle {
        static final VarHandle CALLER;

        static {
            try {
                CALLER = MethodHandles.lookup().findVarHandle(Instance.class, "caller", Thread.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** Called by the generated constructor, once per export, in the export section's order. */
    protected final void export(String name, Object value) {
        exports.put(name, value);
    }

    /**
     * Registers a run of exported functions, for generated constructors: each is encoded as its
     * funcidx and its name's length, two chars each (high half, low half), then its name.
     */
    protected final void exportFunctions(String encoded) {
        for (int at = 0; at < encoded.length(); ) {
            int funcidx = encoded.charAt(at) << 16 | encoded.charAt(at + 1);
            int length = encoded.charAt(at + 2) << 16 | encoded.charAt(at + 3);
            at += 4;
            export(encoded.substring(at, at + length), funcRef(funcidx));
            at += length;
        }
    }

    /**
     * The reference to function {@code funcidx} of this instance, created once and then shared, so
     * that references to the same function are the same object.
     */
    protected abstract FuncRef funcRef(int funcidx);

    /**
     * The handle of the static method of this module's function {@code funcidx}, which takes the
     * instance as its last parameter; {@link FuncRef#handle()} binds it on first use.
     */
    protected abstract MethodHandle functionHandle(int funcidx);

    /**
     * The handle that a tail call of function {@code funcidx} runs: the body of a function that makes
     * tail calls itself (see {@link TailCalls}), which a module with such functions overrides this to
     * return, or else the function's method. For generated code.
     */
    public MethodHandle tailHandle(int funcidx) {
        return functionHandle(funcidx);
    }

    /**
     * An element segment of function references, for generated constructors: the function indices
     * are encoded two chars each (high half, low half), {@code 0xFFFF 0xFFFF} standing for null.
     */
    protected final Object[] funcRefs(String encoded) {
        Object[] refs = new Object[encoded.length() / 2];
        for (int i = 0; i < refs.length; i++) {
            int funcidx = encoded.charAt(2 * i) << 16 | encoded.charAt(2 * i + 1);
            refs[i] = funcidx == -1 ? null : funcRef(funcidx);
        }
        return refs;
    }

    /** Every export by name: {@link FuncRef}, {@link Memory}, {@link Table}, {@link Global} or {@link Tag}. */
    public final Map<String, Object> exports() {
        return Collections.unmodifiableMap(exports);
    }

    /** The export named {@code name}, or {@code null}. */
    public final Object export(String name) {
        return exports.get(name);
    }

    /** The exported function {@code name}; throws if there is no such function export. */
    public final FuncRef function(String name) {
        return exportOf(name, FuncRef.class);
    }

    /** The exported memory {@code name}; throws if there is no such memory export. */
    public final Memory memory(String name) {
        return exportOf(name, Memory.class);
    }

    /** The exported table {@code name}; throws if there is no such table export. */
    public final Table table(String name) {
        return exportOf(name, Table.class);
    }

    /** The exported global {@code name}; throws if there is no such global export. */
    public final Global global(String name) {
        return exportOf(name, Global.class);
    }

    /** The exported tag {@code name}; throws if there is no such tag export. */
    public final Tag tag(String name) {
        return exportOf(name, Tag.class);
    }

    private <T> T exportOf(String name, Class<T> kind) {
        Object value = exports.get(name);
        if (!kind.isInstance(value)) {
            throw new IllegalArgumentException("no " + kind.getSimpleName() + " export named \"" + name + "\"");
        }
        return kind.cast(value);
    }
}
