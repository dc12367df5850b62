package dev.wasm2jvm.compiler.emit.layout;

import java.util.List;

/**
 * Every synthetic name of generated classes: the classes nested in a module class, the fields that
 * hold a module's entities, and the helper methods that splitting, dispatch and instantiation add
 * beside the wasm functions. Function methods are named after the wasm functions
 * ({@link ModuleLayout}); the typed API's names are {@code facade.Facade}'s.
 *
 * <p>Synthetic method names contain {@code $}, which no legal function name gets, so they cannot
 * clash with a function's method; a function named like a synthetic field or method prefix is
 * renamed ({@link #isReserved}). The runtime's {@code TrapReport} recognises several of these names
 * by pattern to hide helpers from a wasm backtrace ({@code call_indirect$}, {@code br_table$},
 * {@code newFuncRef$}, {@code hostFunctions$}, {@code init$}, {@code clinit$}, a command's
 * {@code wasiStart}, the suffixes of outlined parts, {@code $Code}{@code <k>});
 * {@code GeneratedNamesTest} holds both sides together.
 */
public final class GeneratedNames {
    private GeneratedNames() {}

    /** The module class's {@code FuncRef[]} of its functions' references, made on first use. */
    public static final String FUNC_REFS_FIELD = "funcRefs";
    /** The instance's data segments ({@code byte[][]}), which {@code data.drop} empties. */
    public static final String DATA_FIELD = "data";
    /** The data segments as decoded once per class, which each instance copies. */
    public static final String DATA_STATIC = "DATA";
    /** The instance's evaluated element segments ({@code Object[][]}), which {@code elem.drop} empties. */
    public static final String ELEMS_FIELD = "elems";
    /** The static method returning a module's table of source files; the runtime calls it by this name. */
    public static final String SOURCE_FILES_METHOD = "wasm2jvm$sourceFiles";
    /** The prefix of the constructor's instantiation steps. */
    public static final String INIT_STEPS = "init$";
    /** The prefix of the static initialiser's steps. */
    public static final String CLINIT_STEPS = "clinit$";
    /** The prefix of the facade's steps that add host functions to the imports. */
    public static final String HOST_FUNCTION_STEPS = "hostFunctions$";
    /** The dispatcher over the chunks of {@code newFuncRef} factories. */
    public static final String NEW_FUNC_REF_FIND = "newFuncRef$find";
    /** The dispatcher over the chunks of factories of function handles, which references bind on first use. */
    public static final String FUNCTION_HANDLE_FIND = "newFuncRef$handleFind";

    private static final String CODE_CLASS = "$Code";
    private static final String FRAME_CLASS = "$Frame";
    private static final String REFS_CLASS = "$Refs";
    private static final String CALL_INDIRECT = "call_indirect$";
    private static final String BR_TABLE = "br_table$";
    private static final String NEW_FUNC_REF = "newFuncRef$";

    /** Code class {@code k} of a module too large for one class. */
    public static String codeClass(String owner, int k) {
        return owner + CODE_CLASS + k;
    }

    /** The class of the references to the functions of code class {@code k}, beside it. */
    static String refsClass(String owner, int k) {
        return owner + REFS_CLASS + k;
    }

    /**
     * The class of the frame in which the outlined parts of function {@code funcidx} share its
     * locals. Named by index, not by the function's name as its methods are: a class is a file when
     * classes are written out or a jar extracted, and a name from the name section may pass the 255
     * bytes file systems allow in a name (libc++'s {@code money_get::__do_get} takes 449), hold
     * characters Windows refuses ({@code :} and {@code *}) or differ from another only in case.
     */
    public static String frameClass(String owner, int funcidx) {
        return owner + FRAME_CLASS + funcidx;
    }

    /** The {@code Runnable} that starts a wasi-threads thread. */
    public static String threadStartClass(String owner) {
        return owner + "$WasiThreadStart";
    }

    /** The field of imported function {@code funcidx}'s {@code FuncRef}. */
    static String importField(int funcidx) {
        return "import" + funcidx;
    }

    static String memoryField(int memidx) {
        return "memory" + memidx;
    }

    static String tableField(int tableidx) {
        return "table" + tableidx;
    }

    static String globalField(int globalidx) {
        return "global" + globalidx;
    }

    /** The field of tag {@code tagidx}'s {@code Tag}, which a module with tags has per tag. */
    static String tagField(int tagidx) {
        return "tag" + tagidx;
    }

    /** The static {@code int[]} of the {@code br_table} at module offset {@code offset}. */
    static String brTableMap(int offset) {
        return BR_TABLE + Integer.toHexString(offset);
    }

    /** The dispatcher of {@code call_indirect} with type {@code typeidx} through table {@code tableidx}. */
    static String callIndirect(int typeidx, int tableidx) {
        return CALL_INDIRECT + typeidx + "$" + tableidx;
    }

    /** Chunk {@code k} of the factories of references to the module's functions. */
    public static String newFuncRefChunk(int k) {
        return NEW_FUNC_REF + k;
    }

    /** Chunk {@code k} of the factories of function handles. */
    public static String functionHandleChunk(int k) {
        return NEW_FUNC_REF + "handle" + k;
    }

    /** Part {@code k} of a method too large for one: a step, a dispatch group, a dispatcher's direct calls. */
    public static String part(String name, int k) {
        return name + "$" + k;
    }

    /**
     * The prefix of the methods that group the parts of a {@code call_indirect} dispatcher's direct
     * calls when they are more than the dispatcher's own search of them holds ({@code body.RangeDispatch}).
     */
    public static String directCalls(String dispatcher) {
        return dispatcher + "$direct";
    }

    /** The method that turns a host function's record of several results into an array. */
    public static String resultsToArray(String record) {
        return "toArray$" + record;
    }

    /** The method of an outlined part of {@code function}: its kind and the module offset where it starts. */
    public static String outlinedPart(String function, String kind, int offset) {
        return function + "$" + kind + "_" + Integer.toHexString(offset);
    }

    /** {@code name} made unique by the function's index, for a name that is taken or reserved. */
    static String uniqueFunction(String name, int funcidx) {
        return name + "$" + funcidx;
    }

    /** Whether a function may not have its own {@code name}: it starts like a synthetic member's. */
    static boolean isReserved(String name) {
        for (String prefix : List.of(CALL_INDIRECT, BR_TABLE, NEW_FUNC_REF, INIT_STEPS, CLINIT_STEPS, HOST_FUNCTION_STEPS)) {
            if (name.startsWith(prefix)) return true;
        }
        return name.equals(RuntimeRefs.INSTANCE_FUNC_REF.name()) || name.equals(RuntimeRefs.INSTANCE_FUNCTION_HANDLE.name())
                || name.equals(RuntimeRefs.WASI_COMMAND_START.name()) || name.startsWith("export");
    }
}
