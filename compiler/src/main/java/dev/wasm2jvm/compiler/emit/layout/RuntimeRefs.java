package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Global;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.LinkException;
import dev.wasm2jvm.runtime.Linking;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.Table;
import dev.wasm2jvm.runtime.Tag;
import dev.wasm2jvm.runtime.Termination;
import dev.wasm2jvm.runtime.V128;
import dev.wasm2jvm.runtime.WasmException;
import dev.wasm2jvm.runtime.WasmTrap;
import dev.wasm2jvm.runtime.command.CommandRunner;
import dev.wasm2jvm.runtime.command.CommandSettings;
import dev.wasm2jvm.runtime.command.StartClasses;
import dev.wasm2jvm.runtime.internal.Simd;
import dev.wasm2jvm.runtime.internal.AtomicAccess;
import dev.wasm2jvm.runtime.internal.CompactAccess;
import dev.wasm2jvm.runtime.internal.CompactUncheckedAccess;
import dev.wasm2jvm.runtime.internal.BoxedArguments;
import dev.wasm2jvm.runtime.internal.Constants;
import dev.wasm2jvm.runtime.internal.Exceptions;
import dev.wasm2jvm.runtime.internal.FrameBudget;
import dev.wasm2jvm.runtime.internal.JarResources;
import dev.wasm2jvm.runtime.internal.MemoryAccess;
import dev.wasm2jvm.runtime.internal.MemoryAccess64;
import dev.wasm2jvm.runtime.internal.UncheckedAccess;
import dev.wasm2jvm.runtime.internal.Numerics;
import dev.wasm2jvm.runtime.internal.Polls;
import dev.wasm2jvm.runtime.internal.TailCalls;
import dev.wasm2jvm.runtime.internal.Traps;
import dev.wasm2jvm.runtime.internal.WasiCommand;
import dev.wasm2jvm.runtime.threads.WasiThreadStart;
import dev.wasm2jvm.runtime.wasi.WasiPreview1;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MutableCallSite;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Every class, method and field of the runtime that generated code names, derived from the
 * runtime's own classes: internal names by {@link Type#getInternalName}, descriptors from the
 * reflected members, each interned (see {@link RuntimeMethod}). A member renamed, retyped or made
 * inaccessible in the runtime therefore fails here, when the compiler first emits code (and in
 * {@code RuntimeRefsTest}), instead of as a {@link NoSuchMethodError} in a generated class at run
 * time. Emitters name runtime members only through this class.
 *
 * <p>Helpers named after a wasm instruction ({@code Numerics.i32DivS}, {@code
 * MemoryAccess.i64Load8U}) have the instruction's constant name ({@code I32_DIV_S}, {@code
 * I64_LOAD8_U}).
 */
public final class RuntimeRefs {
    private RuntimeRefs() {}

    /** A runtime method or constructor and the instruction that calls it. */
    public record RuntimeMethod(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        /**
         * Interns the strings: dozens of helpers share a descriptor ({@code MemoryAccess}' loads
         * and stores, {@code Numerics}), and {@code StackMapFrames}' table of descriptors and ASM's
         * constant pool find each string by identity only when it is the instance they met first;
         * otherwise they compare it char by char, 0.5% of the SQLite shell's compiling thread.
         */
        public RuntimeMethod {
            owner = owner.intern();
            name = name.intern();
            descriptor = descriptor.intern();
        }

        /** Emits the call. */
        public void invoke(MethodVisitor mv) {
            mv.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        /**
         * Emits the call of this inherited method through {@code receiverClass}, a module class that
         * extends its owner, as {@code javac} compiles {@code this.m()}.
         */
        public void invokeOn(MethodVisitor mv, String receiverClass) {
            mv.visitMethodInsn(opcode, receiverClass, name, descriptor, isInterface);
        }

        /** A constant method handle of a static method. */
        Handle handle() {
            return new Handle(Opcodes.H_INVOKESTATIC, owner, name, descriptor, isInterface);
        }
    }

    /** A runtime field. */
    public record RuntimeField(boolean isStatic, String owner, String name, String descriptor) {
        /** Interns the strings, as {@link RuntimeMethod} does. */
        public RuntimeField {
            owner = owner.intern();
            name = name.intern();
            descriptor = descriptor.intern();
        }

        /** Emits the read of the field (of the object on the stack unless static). */
        public void get(MethodVisitor mv) {
            mv.visitFieldInsn(isStatic ? Opcodes.GETSTATIC : Opcodes.GETFIELD, owner, name, descriptor);
        }

        /** Emits the write of the field (of the object under the value unless static). */
        public void put(MethodVisitor mv) {
            mv.visitFieldInsn(isStatic ? Opcodes.PUTSTATIC : Opcodes.PUTFIELD, owner, name, descriptor);
        }
    }

    // The classes generated code extends, implements, instantiates, casts to or types fields with.
    public static final String INSTANCE = internalName(Instance.class);
    public static final String MEMORY = internalName(Memory.class);
    public static final String TABLE = internalName(Table.class);
    public static final String GLOBAL = internalName(Global.class);
    public static final String TAG = internalName(Tag.class);
    /** The exception that handlers catch: a wasm exception, never a trap. */
    public static final String WASM_EXCEPTION = internalName(WasmException.class);
    public static final String FUNC_REF = internalName(FuncRef.class);
    public static final String V128_CLASS = internalName(V128.class);
    /** The SIMD lane helpers and the boxing of a v128 where it must be one object. */
    public static final String SIMD = internalName(Simd.class);
    public static final String IMPORTS = internalName(Imports.class);
    public static final String WASM_TRAP = internalName(WasmTrap.class);
    public static final String LINK_EXCEPTION = internalName(LinkException.class);
    public static final String WASI_PREVIEW1 = internalName(WasiPreview1.class);
    public static final String WASI_THREAD_START_INTERFACE = internalName(WasiThreadStart.class);
    public static final String WASI_COMMAND_INTERFACE = internalName(WasiCommand.class);
    /** The field descriptors of the classes whose objects a module's fields hold. */
    public static final String MEMORY_DESCRIPTOR = descriptor(MEMORY);
    public static final String TABLE_DESCRIPTOR = descriptor(TABLE);
    public static final String GLOBAL_DESCRIPTOR = descriptor(GLOBAL);
    public static final String TAG_DESCRIPTOR = descriptor(TAG);

    // Instance: the superclass of every module class.
    public static final RuntimeMethod INSTANCE_INIT = constructor(Instance.class, Imports.class);
    public static final RuntimeField INSTANCE_TERMINATION = field(Instance.class, "termination");
    public static final RuntimeMethod INSTANCE_EXPORT = method(Instance.class, "export", String.class, Object.class);
    /** The start and end of a host's call into an instance, which one thread at a time may make. */
    public static final RuntimeMethod INSTANCE_ENTER = method(Instance.class, "enter");
    public static final RuntimeMethod INSTANCE_EXIT = method(Instance.class, "exit");
    public static final RuntimeMethod INSTANCE_EXPORT_FUNCTIONS = method(Instance.class, "exportFunctions");
    public static final RuntimeMethod INSTANCE_FUNC_REFS = method(Instance.class, "funcRefs");
    /** Abstract: each module class implements it. */
    public static final RuntimeMethod INSTANCE_FUNC_REF = method(Instance.class, "funcRef");
    /** Abstract: each module class implements it. */
    public static final RuntimeMethod INSTANCE_FUNCTION_HANDLE = method(Instance.class, "functionHandle");

    // Instantiation.
    public static final RuntimeMethod IMPORTS_INIT = constructor(Imports.class);
    public static final RuntimeMethod IMPORTS_ADD = method(Imports.class, "add", String.class, String.class, Object.class);
    public static final RuntimeMethod LINKING_FUNC = method(Linking.class, "func");
    public static final RuntimeMethod LINKING_BINDING = method(Linking.class, "binding");
    public static final RuntimeMethod LINKING_TABLE = method(Linking.class, "table", Imports.class, String.class, String.class,
            char.class, long.class, long.class);
    public static final RuntimeMethod LINKING_TABLE64 = method(Linking.class, "table64");
    public static final RuntimeMethod LINKING_MEMORY = method(Linking.class, "memory", Imports.class, String.class, String.class,
            long.class, long.class, boolean.class);
    public static final RuntimeMethod LINKING_GLOBAL = method(Linking.class, "global");
    public static final RuntimeMethod LINKING_DEFINE_MEMORY = method(Linking.class, "defineMemory");
    public static final RuntimeMethod LINKING_TAG = method(Linking.class, "tag");
    public static final RuntimeMethod TAG_NEW = constructor(Tag.class, String.class);
    public static final RuntimeMethod LINKING_DEFINE_TABLE = method(Linking.class, "defineTable");
    public static final RuntimeMethod LINKING_DEFINE_TABLE64 = method(Linking.class, "defineTable64");
    public static final RuntimeMethod GLOBAL_NEW = constructor(Global.class, char.class, boolean.class);
    /** Reads a module class's data segments from the resource beside it ({@code emit.DataResource}). */
    public static final RuntimeMethod CONSTANTS_SEGMENTS = method(Constants.class, "segments");
    /** Opens that resource from the jar the module class came from, without the class loader's URL machinery. */
    public static final RuntimeMethod JAR_RESOURCES_OPEN = method(JarResources.class, "open");
    /** Decodes the data segments that a module class keeps as a string constant ({@code DataResource.inClass}). */
    public static final RuntimeMethod CONSTANTS_SEGMENTS_IN_CLASS = method(Constants.class, "segmentsInClass");
    public static final RuntimeMethod CONSTANTS_INTS = method(Constants.class, "ints");

    // Traps and termination.
    public static final RuntimeMethod TRAPS_UNREACHABLE = method(Traps.class, "unreachable");
    public static final RuntimeMethod TRAPS_INDIRECT_CALL_TYPE_MISMATCH = method(Traps.class, "indirectCallTypeMismatch");
    public static final RuntimeMethod WASM_TRAP_PROPAGATE = method(WasmTrap.class, "propagate");
    public static final RuntimeMethod TERMINATION_POLL = method(Termination.class, "poll");
    /** The call site every poll compares the target of before it calls {@link #TERMINATION_POLL}. */
    public static final RuntimeField POLLS_SITE = field(Polls.class, "SITE");
    /** The target of {@link #POLLS_SITE} while no program has ended. */
    public static final RuntimeField POLLS_DISARMED = field(Polls.class, "DISARMED");
    /** {@code MutableCallSite.getTarget}, on {@link #POLLS_SITE}. */
    public static final RuntimeMethod CALL_SITE_TARGET = method(MutableCallSite.class, "getTarget");
    /** The charge of a function's entry that allocates, and the bytes it releases at each way out. */
    public static final RuntimeMethod FRAME_BUDGET_CHARGE = method(FrameBudget.class, "charge");
    public static final RuntimeField FRAME_BUDGET_HELD = field(FrameBudget.class, "held");

    // Exceptions.
    public static final RuntimeMethod EXCEPTIONS_CREATE = method(Exceptions.class, "create");
    public static final RuntimeMethod EXCEPTIONS_RETHROW = method(Exceptions.class, "rethrow");
    public static final RuntimeMethod WASM_EXCEPTION_TAG = method(WasmException.class, "tag");
    public static final RuntimeMethod WASM_EXCEPTION_VALUE = method(WasmException.class, "value");

    // Function references and calls.
    public static final RuntimeMethod FUNC_REF_NEW = constructor(FuncRef.class, String.class, MethodHandle.class);
    public static final RuntimeMethod FUNC_REF_FUNCTION = method(FuncRef.class, "function");
    public static final RuntimeMethod FUNC_REF_HANDLE = method(FuncRef.class, "handle");
    public static final RuntimeField FUNC_REF_TYPE = field(FuncRef.class, "type");
    public static final RuntimeField FUNC_REF_OWNER = field(FuncRef.class, "owner");
    public static final RuntimeField FUNC_REF_FUNCIDX = field(FuncRef.class, "funcidx");
    public static final RuntimeField FUNC_REF_BUILTIN = field(FuncRef.class, "builtin");
    public static final RuntimeField FUNC_REF_BUILTIN_NAME = field(FuncRef.class, "builtinName");
    public static final RuntimeMethod BOXED_ARGUMENTS_CHECK = method(BoxedArguments.class, "check");
    public static final RuntimeMethod BOXED_ARGUMENTS_UNPACK = method(BoxedArguments.class, "unpack");

    // Globals.
    public static final RuntimeField GLOBAL_BITS = field(Global.class, "bits");
    public static final RuntimeField GLOBAL_REF = field(Global.class, "ref");

    // Tables: the instructions table.get, table.set, table.size, table.grow, table.fill, table.copy, table.init.
    public static final RuntimeMethod TABLE_GET = method(Table.class, "get", int.class, Table.class);
    public static final RuntimeMethod TABLE_SET = method(Table.class, "set", int.class, Object.class, Table.class);
    public static final RuntimeMethod TABLE_SIZE = method(Table.class, "size", Table.class);
    public static final RuntimeMethod TABLE_GROW = method(Table.class, "grow", Object.class, int.class, Table.class);
    public static final RuntimeMethod TABLE_FILL = method(Table.class, "fill", int.class, Object.class, int.class, Table.class);
    public static final RuntimeMethod TABLE_COPY = method(Table.class, "copy", int.class, int.class, int.class, Table.class, Table.class);
    public static final RuntimeMethod TABLE_INIT = method(Table.class, "init", int.class, int.class, int.class, Table.class, Object[].class);
    public static final RuntimeMethod TABLE_FUNC_FOR_CALL = method(Table.class, "funcForCall");
    /** Narrows an i64 index, size or length of a 64-bit table (table64) to the int the helpers take. */
    public static final RuntimeMethod TABLE_INDEX64 = method(Table.class, "index64");

    // Tail calls: recording the pending call, and the wrapper's run of the pending calls by result kind.
    public static final RuntimeMethod TAIL_CALL = method(TailCalls.class, "call");
    public static final RuntimeMethod TAIL_CALL_INDIRECT = method(TailCalls.class, "callIndirect");
    public static final RuntimeMethod TAIL_RESULT_V = method(TailCalls.class, "resultV");
    public static final RuntimeMethod TAIL_RESULT_I = method(TailCalls.class, "resultI");
    public static final RuntimeMethod TAIL_RESULT_J = method(TailCalls.class, "resultJ");
    public static final RuntimeMethod TAIL_RESULT_F = method(TailCalls.class, "resultF");
    public static final RuntimeMethod TAIL_RESULT_D = method(TailCalls.class, "resultD");
    public static final RuntimeMethod TAIL_RESULT_A = method(TailCalls.class, "resultA");

    // Memories: memory.size, memory.grow, memory.fill, memory.copy, memory.init, the atomic wait and notify.
    /** The memory's contents as a segment, which atomic accesses take: made on first use ({@code Memory.segment()}). */
    public static final RuntimeMethod MEMORY_SEGMENT = method(Memory.class, "segment");
    public static final RuntimeMethod MEMORY_SIZE = method(Memory.class, "size", Memory.class);
    public static final RuntimeMethod MEMORY_GROW = method(Memory.class, "grow", int.class, Memory.class);
    public static final RuntimeMethod MEMORY_FILL = method(Memory.class, "fill", int.class, int.class, int.class, Memory.class);
    public static final RuntimeMethod MEMORY_COPY = method(Memory.class, "copy", int.class, int.class, int.class, Memory.class);
    public static final RuntimeMethod MEMORY_INIT = method(Memory.class, "init", int.class, int.class, int.class, Memory.class, byte[].class);
    public static final RuntimeMethod MEMORY_ATOMIC_WAIT32 = method(Memory.class, "wait32", int.class, int.class, long.class, Memory.class);
    public static final RuntimeMethod MEMORY_ATOMIC_WAIT64 = method(Memory.class, "wait64", int.class, long.class, long.class, Memory.class);
    public static final RuntimeMethod MEMORY_ATOMIC_NOTIFY = method(Memory.class, "notify", int.class, int.class, Memory.class);
    /** {@code memory.copy} between two memories, by address types of destination and source. */
    public static final RuntimeMethod MEMORY_COPY_BETWEEN = method(Memory.class, "copy", int.class, int.class, int.class, Memory.class, Memory.class);
    public static final RuntimeMethod MEMORY_COPY_64_32 = method(Memory.class, "copy", long.class, int.class, int.class, Memory.class, Memory.class);
    public static final RuntimeMethod MEMORY_COPY_32_64 = method(Memory.class, "copy", int.class, long.class, int.class, Memory.class, Memory.class);
    public static final RuntimeMethod MEMORY_COPY_64_64 = method(Memory.class, "copy", long.class, long.class, long.class, Memory.class, Memory.class);

    // The memory instructions of a 64-bit memory (memory64), whose addresses and sizes are i64.
    public static final RuntimeMethod MEMORY_SIZE64 = method(Memory.class, "size64", Memory.class);
    public static final RuntimeMethod MEMORY_GROW64 = method(Memory.class, "grow64", long.class, Memory.class);
    public static final RuntimeMethod MEMORY_FILL64 = method(Memory.class, "fill", long.class, int.class, long.class, Memory.class);
    public static final RuntimeMethod MEMORY_INIT64 = method(Memory.class, "init", long.class, int.class, int.class, Memory.class, byte[].class);
    public static final RuntimeMethod MEMORY_ATOMIC_WAIT32_64 = method(Memory.class, "wait32", long.class, int.class, long.class, Memory.class);
    public static final RuntimeMethod MEMORY_ATOMIC_WAIT64_64 = method(Memory.class, "wait64", long.class, long.class, long.class, Memory.class);
    public static final RuntimeMethod MEMORY_ATOMIC_NOTIFY64 = method(Memory.class, "notify", long.class, int.class, Memory.class);
    public static final RuntimeMethod LINKING_MEMORY64 = method(Linking.class, "memory64");
    public static final RuntimeMethod LINKING_DEFINE_MEMORY64 = method(Linking.class, "defineMemory64");
    public static final RuntimeMethod EFFECTIVE_ADDRESS64 = method(MemoryAccess64.class, "effectiveAddress");

    // Loads and stores (MemoryAccess), one helper per instruction.
    public static final RuntimeMethod I32_LOAD = method(MemoryAccess.class, "i32Load");
    public static final RuntimeMethod I64_LOAD = method(MemoryAccess.class, "i64Load");
    public static final RuntimeMethod F32_LOAD = method(MemoryAccess.class, "f32Load");
    public static final RuntimeMethod F64_LOAD = method(MemoryAccess.class, "f64Load");
    public static final RuntimeMethod I32_LOAD8_S = method(MemoryAccess.class, "i32Load8S");
    public static final RuntimeMethod I32_LOAD8_U = method(MemoryAccess.class, "i32Load8U");
    public static final RuntimeMethod I32_LOAD16_S = method(MemoryAccess.class, "i32Load16S");
    public static final RuntimeMethod I32_LOAD16_U = method(MemoryAccess.class, "i32Load16U");
    public static final RuntimeMethod I64_LOAD8_S = method(MemoryAccess.class, "i64Load8S");
    public static final RuntimeMethod I64_LOAD8_U = method(MemoryAccess.class, "i64Load8U");
    public static final RuntimeMethod I64_LOAD16_S = method(MemoryAccess.class, "i64Load16S");
    public static final RuntimeMethod I64_LOAD16_U = method(MemoryAccess.class, "i64Load16U");
    public static final RuntimeMethod I64_LOAD32_S = method(MemoryAccess.class, "i64Load32S");
    public static final RuntimeMethod I64_LOAD32_U = method(MemoryAccess.class, "i64Load32U");
    public static final RuntimeMethod I32_STORE = method(MemoryAccess.class, "i32Store");
    public static final RuntimeMethod I64_STORE = method(MemoryAccess.class, "i64Store");
    public static final RuntimeMethod F32_STORE = method(MemoryAccess.class, "f32Store");
    public static final RuntimeMethod F64_STORE = method(MemoryAccess.class, "f64Store");
    public static final RuntimeMethod I32_STORE8 = method(MemoryAccess.class, "i32Store8");
    public static final RuntimeMethod I32_STORE16 = method(MemoryAccess.class, "i32Store16");
    public static final RuntimeMethod I64_STORE8 = method(MemoryAccess.class, "i64Store8");
    public static final RuntimeMethod I64_STORE16 = method(MemoryAccess.class, "i64Store16");
    public static final RuntimeMethod I64_STORE32 = method(MemoryAccess.class, "i64Store32");
    public static final RuntimeMethod V128_LOAD_LOW = method(MemoryAccess.class, "v128LoadLow");
    public static final RuntimeMethod V128_LOAD_HIGH = method(MemoryAccess.class, "v128LoadHigh");
    public static final RuntimeMethod V128_STORE_LOW = method(MemoryAccess.class, "v128StoreLow");
    public static final RuntimeMethod V128_STORE_HIGH = method(MemoryAccess.class, "v128StoreHigh");

    /** The {@code MemoryAccess64} helpers of a 64-bit memory, by the name of their {@code MemoryAccess} twin. */
    private static final Map<String, RuntimeMethod> ACCESS64 = Arrays.stream(MemoryAccess64.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.getName().equals("effectiveAddress"))
            .collect(Collectors.toUnmodifiableMap(Method::getName, m -> method(MemoryAccess64.class, m.getName())));

    /** The helper of {@code helper}'s load or store on a 64-bit memory: i64 address, u64 offset. */
    public static RuntimeMethod address64(RuntimeMethod helper) {
        return access64(helper.name());
    }

    /** The {@code MemoryAccess64} helper {@code name}: a load or store, or a half of {@code v128.load/store}. */
    static RuntimeMethod access64(String name) {
        return twin(ACCESS64, name, "64-bit");
    }

    /** The {@code UncheckedAccess} twins of the loads and stores of a 32-bit memory, by name. */
    private static final Map<String, RuntimeMethod> UNCHECKED = publicMethods(UncheckedAccess.class);
    /** The {@code CompactAccess} and {@code CompactUncheckedAccess} twins of the loads and stores of a 32-bit memory, by name. */
    private static final Map<String, RuntimeMethod> COMPACT = publicMethods(CompactAccess.class);
    private static final Map<String, RuntimeMethod> COMPACT_UNCHECKED = publicMethods(CompactUncheckedAccess.class);

    /**
     * The helper of {@code helper}'s load or store without a bounds check, for an access of a 32-bit
     * memory that an earlier access proved in bounds.
     */
    public static RuntimeMethod unchecked(RuntimeMethod helper) {
        return twin(UNCHECKED, helper.name(), "unchecked");
    }

    /**
     * The compact helper of {@code helper}'s load or store, which takes the memarg offset as a
     * zero-extended {@code long}, for a body without branches whose accesses would overrun C2's
     * inlining budget; {@code proven}: without a bounds check.
     */
    public static RuntimeMethod compact(RuntimeMethod helper, boolean proven) {
        return twin(proven ? COMPACT_UNCHECKED : COMPACT, helper.name(), "compact");
    }

    /** {@code __multi3}'s two stores, the high half's first, with one bounds check ({@code Multi3}). */
    public static final RuntimeMethod I128_STORE = method(CompactAccess.class, "i128Store");

    /** The public static methods of {@code owner}, by name (each name once: the access helpers are not overloaded). */
    private static Map<String, RuntimeMethod> publicMethods(Class<?> owner) {
        return Arrays.stream(owner.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .collect(Collectors.toUnmodifiableMap(Method::getName, m -> method(owner, m.getName())));
    }

    /** The helper {@code name} of {@code twins}, a family of access helpers called {@code family}. */
    private static RuntimeMethod twin(Map<String, RuntimeMethod> twins, String name, String family) {
        RuntimeMethod twin = twins.get(name);
        if (twin == null) throw new IllegalArgumentException("no " + family + " access helper " + name);
        return twin;
    }

    // Atomic accesses (AtomicAccess): the var handles of each width, and what they cannot do.
    public static final RuntimeField ATOMIC_I8 = field(AtomicAccess.class, "I8");
    public static final RuntimeField ATOMIC_I16 = field(AtomicAccess.class, "I16");
    public static final RuntimeField ATOMIC_I32 = field(AtomicAccess.class, "I32");
    public static final RuntimeField ATOMIC_I64 = field(AtomicAccess.class, "I64");
    public static final RuntimeMethod ATOMIC_UNALIGNED = method(AtomicAccess.class, "unaligned");
    public static final RuntimeMethod ATOMIC_ADDRESS32 = method(AtomicAccess.class, "address32");
    public static final RuntimeMethod RMW8_ADD = method(AtomicAccess.class, "rmw8Add");
    public static final RuntimeMethod RMW16_ADD = method(AtomicAccess.class, "rmw16Add");
    public static final RuntimeMethod RMW8_AND = method(AtomicAccess.class, "rmw8And");
    public static final RuntimeMethod RMW16_AND = method(AtomicAccess.class, "rmw16And");
    public static final RuntimeMethod RMW8_OR = method(AtomicAccess.class, "rmw8Or");
    public static final RuntimeMethod RMW16_OR = method(AtomicAccess.class, "rmw16Or");
    public static final RuntimeMethod RMW8_XOR = method(AtomicAccess.class, "rmw8Xor");
    public static final RuntimeMethod RMW16_XOR = method(AtomicAccess.class, "rmw16Xor");
    public static final RuntimeMethod RMW8_XCHG = method(AtomicAccess.class, "rmw8Xchg");
    public static final RuntimeMethod RMW16_XCHG = method(AtomicAccess.class, "rmw16Xchg");
    public static final RuntimeMethod RMW8_CMPXCHG = method(AtomicAccess.class, "rmw8Cmpxchg");
    public static final RuntimeMethod RMW16_CMPXCHG = method(AtomicAccess.class, "rmw16Cmpxchg");

    // Numeric instructions the JVM has no bytecode for (Numerics), one helper per instruction.
    public static final RuntimeMethod I32_DIV_S = method(Numerics.class, "i32DivS");
    public static final RuntimeMethod I32_DIV_U = method(Numerics.class, "i32DivU");
    public static final RuntimeMethod I32_REM_S = method(Numerics.class, "i32RemS");
    public static final RuntimeMethod I32_REM_U = method(Numerics.class, "i32RemU");
    public static final RuntimeMethod I64_DIV_S = method(Numerics.class, "i64DivS");
    public static final RuntimeMethod I64_DIV_U = method(Numerics.class, "i64DivU");
    public static final RuntimeMethod I64_REM_S = method(Numerics.class, "i64RemS");
    public static final RuntimeMethod I64_REM_U = method(Numerics.class, "i64RemU");
    public static final RuntimeMethod F32_ABS = method(Numerics.class, "f32Abs");
    public static final RuntimeMethod F32_NEG = method(Numerics.class, "f32Neg");
    public static final RuntimeMethod F32_CEIL = method(Numerics.class, "f32Ceil");
    public static final RuntimeMethod F32_FLOOR = method(Numerics.class, "f32Floor");
    public static final RuntimeMethod F32_TRUNC = method(Numerics.class, "f32Trunc");
    public static final RuntimeMethod F32_NEAREST = method(Numerics.class, "f32Nearest");
    public static final RuntimeMethod F32_SQRT = method(Numerics.class, "f32Sqrt");
    public static final RuntimeMethod F32_MIN = method(Numerics.class, "f32Min");
    public static final RuntimeMethod F32_MAX = method(Numerics.class, "f32Max");
    public static final RuntimeMethod F32_COPYSIGN = method(Numerics.class, "f32Copysign");
    public static final RuntimeMethod F64_ABS = method(Numerics.class, "f64Abs");
    public static final RuntimeMethod F64_NEG = method(Numerics.class, "f64Neg");
    public static final RuntimeMethod F64_CEIL = method(Numerics.class, "f64Ceil");
    public static final RuntimeMethod F64_FLOOR = method(Numerics.class, "f64Floor");
    public static final RuntimeMethod F64_TRUNC = method(Numerics.class, "f64Trunc");
    public static final RuntimeMethod F64_NEAREST = method(Numerics.class, "f64Nearest");
    public static final RuntimeMethod F64_SQRT = method(Numerics.class, "f64Sqrt");
    public static final RuntimeMethod F64_MIN = method(Numerics.class, "f64Min");
    public static final RuntimeMethod F64_MAX = method(Numerics.class, "f64Max");
    public static final RuntimeMethod F64_COPYSIGN = method(Numerics.class, "f64Copysign");
    public static final RuntimeMethod I32_TRUNC_F32_S = method(Numerics.class, "i32TruncF32S");
    public static final RuntimeMethod I32_TRUNC_F32_U = method(Numerics.class, "i32TruncF32U");
    public static final RuntimeMethod I32_TRUNC_F64_S = method(Numerics.class, "i32TruncF64S");
    public static final RuntimeMethod I32_TRUNC_F64_U = method(Numerics.class, "i32TruncF64U");
    public static final RuntimeMethod I64_TRUNC_F32_S = method(Numerics.class, "i64TruncF32S");
    public static final RuntimeMethod I64_TRUNC_F32_U = method(Numerics.class, "i64TruncF32U");
    public static final RuntimeMethod I64_TRUNC_F64_S = method(Numerics.class, "i64TruncF64S");
    public static final RuntimeMethod I64_TRUNC_F64_U = method(Numerics.class, "i64TruncF64U");
    public static final RuntimeMethod F32_CONVERT_I32_U = method(Numerics.class, "f32ConvertI32U");
    public static final RuntimeMethod F32_CONVERT_I64_U = method(Numerics.class, "f32ConvertI64U");
    public static final RuntimeMethod F32_DEMOTE_F64 = method(Numerics.class, "f32DemoteF64");
    public static final RuntimeMethod F64_CONVERT_I32_U = method(Numerics.class, "f64ConvertI32U");
    public static final RuntimeMethod F64_CONVERT_I64_U = method(Numerics.class, "f64ConvertI64U");
    public static final RuntimeMethod F64_PROMOTE_F32 = method(Numerics.class, "f64PromoteF32");
    public static final RuntimeMethod I32_TRUNC_SAT_F32_U = method(Numerics.class, "i32TruncSatF32U");
    public static final RuntimeMethod I32_TRUNC_SAT_F64_U = method(Numerics.class, "i32TruncSatF64U");
    public static final RuntimeMethod I64_TRUNC_SAT_F32_U = method(Numerics.class, "i64TruncSatF32U");
    public static final RuntimeMethod I64_TRUNC_SAT_F64_U = method(Numerics.class, "i64TruncSatF64U");

    // The facade: WASI reactors and commands, wasi-threads.
    public static final RuntimeMethod WASI_ADD_TO = method(WasiPreview1.class, "addTo");
    public static final RuntimeMethod WASI_BIND = method(WasiPreview1.class, "bind", Memory.class);
    public static final RuntimeMethod COMMAND_SETTINGS_DECODE = method(CommandSettings.class, "decode");
    public static final RuntimeMethod COMMAND_SETTINGS_INHERIT_ENVIRONMENT = method(CommandSettings.class, "inheritEnvironment");
    public static final RuntimeMethod COMMAND_RUNNER_MAIN =
            method(CommandRunner.class, "main", Class.class, CommandSettings.class, String[].class);
    /**
     * A compiled jar's launcher's {@code main}: the module class named, loaded by the launching
     * thread meanwhile, and constructed by the launcher.
     */
    public static final RuntimeMethod COMMAND_RUNNER_LAUNCH = method(CommandRunner.class, "main", Function.class, String.class,
            int.class, String.class, String[].class, String[].class, int.class, long.class, String[].class);
    /** A compiled jar's launcher's first call: the runtime's classes every start loads, from the jar's resource of them. */
    public static final RuntimeMethod START_CLASSES_DEFINE = method(StartClasses.class, "define");
    /** A compiled jar's launcher's second call: the class cache the JVM runs with, if any, must be the jar's. */
    public static final RuntimeMethod COMMAND_RUNNER_CHECK_CLASS_CACHE = method(CommandRunner.class, "checkClassCache");
    /** A command's {@code main} whose settings are the jar's resource: those too long for a constant. */
    public static final RuntimeMethod COMMAND_RUNNER_MAIN_WITH_RESOURCE =
            method(CommandRunner.class, "main", Class.class, String[].class);
    /** Implemented by a module class that exports {@code wasi_thread_start}. */
    public static final RuntimeMethod WASI_THREAD_START = method(WasiThreadStart.class, "wasiThreadStart");
    /** Implemented by a module class that exports {@code _start: [] -> []}. */
    public static final RuntimeMethod WASI_COMMAND_START = method(WasiCommand.class, "wasiStart");

    /** The Java source name of a runtime class, for the facade's source ({@code FacadeSource}). */
    public static String sourceName(String internalName) {
        return Type.getObjectType(internalName).getClassName();
    }

    /**
     * The method {@code name} of {@code owner}: the one of that name, or the one with these parameter
     * types when {@code parameters} are given (for a name the runtime overloads).
     */
    /** The internal name of {@code c}, interned as the members' (see {@link RuntimeMethod}). */
    private static String internalName(Class<?> c) {
        return Type.getInternalName(c).intern();
    }

    /** The field descriptor of internal name {@code internalName}, interned. */
    private static String descriptor(String internalName) {
        return ("L" + internalName + ";").intern();
    }

    private static RuntimeMethod method(Class<?> owner, String name, Class<?>... parameters) {
        List<Method> found = Arrays.stream(owner.getDeclaredMethods())
                .filter(m -> m.getName().equals(name) && !m.isSynthetic())
                .filter(m -> parameters.length == 0 || Arrays.equals(m.getParameterTypes(), parameters))
                .toList();
        if (found.size() != 1) {
            throw new IllegalStateException(found.size() + " methods " + owner.getName() + "." + name
                    + Arrays.toString(parameters) + " in the runtime where the compiler needs one");
        }
        Method m = found.getFirst();
        checkAccessible(m, m.getModifiers());
        int opcode = Modifier.isStatic(m.getModifiers()) ? Opcodes.INVOKESTATIC
                : owner.isInterface() ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL;
        return new RuntimeMethod(opcode, Type.getInternalName(owner), name, Type.getMethodDescriptor(m), owner.isInterface());
    }

    private static RuntimeMethod constructor(Class<?> owner, Class<?>... parameters) {
        try {
            var c = owner.getDeclaredConstructor(parameters);
            checkAccessible(c, c.getModifiers());
            return new RuntimeMethod(Opcodes.INVOKESPECIAL, Type.getInternalName(owner), "<init>",
                    Type.getConstructorDescriptor(c), false);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no constructor " + owner.getName() + Arrays.toString(parameters)
                    + " in the runtime", e);
        }
    }

    private static RuntimeField field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            checkAccessible(f, f.getModifiers());
            return new RuntimeField(Modifier.isStatic(f.getModifiers()), Type.getInternalName(owner), name,
                    Type.getDescriptor(f.getType()));
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("no field " + owner.getName() + "." + name + " in the runtime", e);
        }
    }

    /**
     * Generated classes live in packages of their own, so they reach public members of public
     * classes, and the protected members of {@link Instance}, which they extend.
     */
    private static void checkAccessible(Member member, int modifiers) {
        Class<?> owner = member.getDeclaringClass();
        boolean reachable = Modifier.isPublic(owner.getModifiers())
                && (Modifier.isPublic(modifiers) || owner == Instance.class && Modifier.isProtected(modifiers));
        if (!reachable) {
            throw new IllegalStateException(owner.getName() + "." + member.getName()
                    + " is not accessible to generated classes");
        }
    }
}
