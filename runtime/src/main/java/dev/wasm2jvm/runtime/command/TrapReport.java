package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.WasmTrap;

import java.util.regex.Pattern;

/** The one line that tells the user which trap ended the program and where. */
final class TrapReport {
    /**
     * The call_indirect dispatchers the code generator adds to the module class, and their helpers:
     * a trap in one of them belongs to the wasm function that called it. A wasm function of such a
     * name would have been renamed, so the pattern matches dispatchers only.
     */
    private static final Pattern DISPATCHER = Pattern.compile("call_indirect\\$\\d+\\$\\d+(\\$[\\w$]+)?");
    /** The constructor, the static initialiser, and the helper methods they run in. */
    private static final Pattern INSTANTIATION = Pattern.compile("<init>|<clinit>|init\\$\\d+|clinit\\$\\d+");

    private TrapReport() {}

    static String describe(WasmTrap trap, String moduleClassName) {
        String function = wasmFunction(trap, moduleClassName);
        String where;
        if (function == null) {
            where = "";
        } else if (INSTANTIATION.matcher(function).matches()) {
            where = " during instantiation";
        } else {
            where = " in wasm function " + function;
        }
        return "wasm2jvm: trap" + where + ": " + trap.getMessage();
    }

    /**
     * The innermost generated method on the trap's stack, in the module class or in one of the code
     * classes {@code <module class>$Code<k>} that the functions of a large module are spread over.
     * Traps that stand for JVM errors carry the trace where the error was thrown as their cause, so
     * the causes are searched too.
     */
    private static String wasmFunction(Throwable trap, String moduleClassName) {
        Pattern codeClass = Pattern.compile(Pattern.quote(moduleClassName) + "(\\$Code\\d+)?");
        for (Throwable t = trap; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (codeClass.matcher(frame.getClassName()).matches() && !DISPATCHER.matcher(frame.getMethodName()).matches()) {
                    return frame.getMethodName();
                }
            }
        }
        return null;
    }
}
