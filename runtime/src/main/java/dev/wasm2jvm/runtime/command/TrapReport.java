package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.WasmTrap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What tells the user which trap ended the program and where: one line naming the trap and the
 * wasm function, then, unless turned off, a wasm backtrace as wasmtime prints it: one line per wasm
 * frame, innermost first, with the source file and line when the module has DWARF line information.
 */
final class TrapReport {
    /**
     * The call_indirect dispatchers the code generator adds to the module class, and their helpers:
     * a trap in one of them belongs to the wasm function that called it. A wasm function of such a
     * name would have been renamed, so the pattern matches dispatchers only.
     */
    private static final Pattern DISPATCHER = Pattern.compile("call_indirect\\$\\d+\\$\\d+(\\$[\\w$]+)?");
    /** The constructor, the static initialiser, and the helper methods they run in. */
    private static final Pattern INSTANTIATION = Pattern.compile("<init>|<clinit>|init\\$\\d+|clinit\\$\\d+");

    /**
     * Generated methods that are not wasm functions: those the instance's exports and tables use to
     * make function references, the jump tables of large {@code br_table}s, and the method through
     * which the runner calls a command's {@code _start} ({@code WasiCommand}).
     */
    private static final Pattern HELPER =
            Pattern.compile("br_table\\$\\p{XDigit}+|newFuncRef\\$.*|hostFunctions\\$.*|wasiStart");
    /**
     * The suffix of a method that holds a construct outlined from a large function (the compiler's
     * {@code GeneratedNames.outlinedPart}): its frame is the function's.
     */
    private static final Pattern OUTLINED = Pattern.compile("\\$(block|loop|if|states|groups|seq)_\\p{XDigit}+$");
    /**
     * The suffix of the body of a function that makes tail calls (the compiler's
     * {@code ModuleLayout.bodyName}): its frame is the function's, as is the frame of the function's
     * own method, the wrapper that runs the body's tail calls, which the backtrace lists too.
     */
    private static final Pattern TAIL_BODY = Pattern.compile("\\$tail\\$*$");
    /** The module class's method returning its table of source files (the compiler's {@code SourceFileTable}). */
    private static final String SOURCE_FILES_METHOD = "wasm2jvm$sourceFiles";

    /** The most frames a backtrace shows: enough for any program's logic, few enough for a runaway recursion. */
    private static final int MAX_FRAMES = 50;
    /** How many frames the JVM records of a stack at most, by default ({@code -XX:MaxJavaStackTraceDepth}). */
    private static final int JVM_STACK_TRACE_DEPTH = 1024;

    private TrapReport() {}

    /**
     * The trap's wasm backtrace: {@code wasm backtrace:}, then {@code   N: FUNCTION} per wasm
     * frame, innermost first, followed by {@code  at FILE:LINE} when the module has DWARF line
     * information. The source files come from the module class's table rather than the frames,
     * whose class file can name only one. Without {@code moduleClass} (a trap while instantiating
     * a module the runner knows only by name), frames have no source position. Empty when no frame
     * is a wasm function's.
     */
    static List<String> backtrace(WasmTrap trap, String moduleClassName, Class<?> moduleClass) {
        Pattern codeClass = Pattern.compile(Pattern.quote(moduleClassName) + "(\\$Code\\d+)?");
        SourceFiles files = SourceFiles.of(moduleClass);
        List<String> lines = new ArrayList<>();
        for (Throwable t = trap; t != null && lines.isEmpty(); t = t.getCause()) {
            StackTraceElement[] stack = t.getStackTrace();
            int frames = 0;
            for (StackTraceElement frame : stack) {
                String method = frame.getMethodName();
                if (!codeClass.matcher(frame.getClassName()).matches() || DISPATCHER.matcher(method).matches()
                        || INSTANTIATION.matcher(method).matches() || HELPER.matcher(method).matches()) {
                    continue;
                }
                String function = function(method);
                if (frames++ >= MAX_FRAMES) continue;
                String file = files.file(function, frame.getLineNumber());
                lines.add("  " + lines.size() + ": " + function
                        + (file != null && frame.getLineNumber() > 0 ? " at " + file + ":" + frame.getLineNumber() : ""));
            }
            if (frames > MAX_FRAMES) {
                // The JVM keeps only the innermost frames of a deep stack, so a full trace means more were cut.
                boolean cut = stack.length >= JVM_STACK_TRACE_DEPTH;
                lines.add("  ... " + (cut ? "at least " : "") + (frames - MAX_FRAMES) + " more frames");
            }
        }
        if (!lines.isEmpty()) lines.addFirst("wasm backtrace:");
        return lines;
    }

    /** The module's table of the source file of each function's lines; empty without DWARF. */
    private record SourceFiles(List<String> files, Map<String, Integer> home, Map<String, Map<Integer, Integer>> others) {
        static SourceFiles of(Class<?> moduleClass) {
            SourceFiles none = new SourceFiles(List.of(), Map.of(), Map.of());
            if (moduleClass == null) return none;
            String table;
            try {
                table = (String) moduleClass.getMethod(SOURCE_FILES_METHOD).invoke(null);
            } catch (ReflectiveOperationException e) {
                // No DWARF, so no table: the backtrace names the functions only.
                return none;
            }
            String[] rows = table.split("\n");
            // A module whose DWARF covers none of its functions has a table of no rows.
            if (rows.length < 2) return none;
            List<String> files = List.of(rows[0].split("\t"));
            Map<String, Integer> home = new HashMap<>();
            Map<String, Map<Integer, Integer>> others = new HashMap<>();
            for (int r = 1; r < rows.length; r++) {
                String[] fields = rows[r].split("\t");
                home.put(fields[0], Integer.parseInt(fields[1]));
                if (fields.length > 2) {
                    Map<Integer, Integer> byLine = new HashMap<>();
                    for (int f = 2; f < fields.length; f++) {
                        int colon = fields[f].indexOf(':');
                        byLine.put(Integer.parseInt(fields[f].substring(0, colon)), Integer.parseInt(fields[f].substring(colon + 1)));
                    }
                    others.put(fields[0], byLine);
                }
            }
            return new SourceFiles(files, home, others);
        }

        /** The file of {@code function}'s line {@code line}, or {@code null} if the table has none. */
        String file(String function, int line) {
            Integer index = others.getOrDefault(function, Map.of()).get(line);
            if (index == null) index = home.get(function);
            return index == null ? null : files.get(index);
        }
    }

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
    /** The wasm function whose code the generated method {@code method} holds. */
    private static String function(String method) {
        return TAIL_BODY.matcher(OUTLINED.matcher(method).replaceFirst("")).replaceFirst("");
    }

    private static String wasmFunction(Throwable trap, String moduleClassName) {
        Pattern codeClass = Pattern.compile(Pattern.quote(moduleClassName) + "(\\$Code\\d+)?");
        for (Throwable t = trap; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (codeClass.matcher(frame.getClassName()).matches() && !DISPATCHER.matcher(frame.getMethodName()).matches()) {
                    return function(frame.getMethodName());
                }
            }
        }
        return null;
    }
}
