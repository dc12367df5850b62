package dev.wasm2jvm.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two text logs of HotSpot's JIT that the compilation check reads: {@code -XX:+PrintCompilation}
 * (one line per compilation task and per nmethod made not entrant) and
 * {@code -Xlog:deoptimization=debug} (one line per uncommon trap taken in compiled code).
 */
final class JitLog {
    private JitLog() {}

    /**
     * A {@code -XX:+PrintCompilation} line, e.g.
     * {@code 3600 1488 %     3       wasm.Module::func6 @ 92 (1430 bytes)   made not entrant: uncommon trap}.
     *
     * @param millis  milliseconds since the JVM started
     * @param id      the compile id, shared by the task and its nmethod's later events
     * @param level   the tier: 1-3 C1 (3 with full profiling), 4 C2
     * @param method  {@code class::name}
     * @param osrBci  the loop's bytecode index for an on-stack-replacement compilation, else -1
     * @param note    what happened to it ({@code made not entrant: uncommon trap}, {@code COMPILE
     *                SKIPPED: ...}), or {@code ""} for the task itself
     */
    record Compilation(long millis, int id, int level, String method, int osrBci, String note) {
        boolean skipped() {
            return note.startsWith("COMPILE SKIPPED");
        }

        boolean madeNotEntrant() {
            return note.startsWith("made not entrant");
        }

        /** The method and, for OSR code, the loop: what one nmethod at a time serves. */
        String entry() {
            return osrBci < 0 ? method : method + " @ " + osrBci;
        }
    }

    /**
     * A {@code -Xlog:deoptimization=debug} line, e.g. {@code [4.839s][debug][deoptimization]
     * cid=1513 osr level=4 wasm.Module.func6(Lwasm/Module;)I trap_bci=611 osr_bci=350 unstable_if
     * reinterpret pc=...}.
     *
     * @param id      the compile id of the code that trapped
     * @param level   its tier
     * @param method  {@code class::name}
     * @param osrBci  its loop for OSR code, else -1
     * @param trapBci where it trapped
     * @param reason  why (the JVM's name: {@code unstable_if}, {@code class_check}, ...)
     * @param action  what the JVM did about it ({@code reinterpret} discards the code, {@code none} keeps it)
     */
    record Deoptimization(long millis, int id, int level, String method, int osrBci, int trapBci, String reason,
            String action) {}

    private static final Pattern COMPILATION = Pattern.compile(
            "^\\s*(\\d+)\\s+(\\d+) ([%s!bn ]{5}) +(\\d) +(\\S+::\\S+)(?: @ (\\d+))? +\\(\\d+ bytes\\)\\s*(.*)$");

    private static final Pattern DEOPTIMIZATION = Pattern.compile(
            "^\\[(\\d+(?:\\.\\d+)?)s\\].*\\bcid=\\s*(\\d+) +(?:osr +)?level=(\\d) +([^\\s(]+)\\(\\S* +trap_bci=(\\d+)"
                    + "(?: +osr_bci=(\\d+))? +(\\S+) +(\\S+)");

    /** The compilation lines among {@code lines}; anything else (the program's or the JVM's other output) is skipped. */
    static List<Compilation> compilations(List<String> lines) {
        List<Compilation> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = COMPILATION.matcher(unescape(line));
            if (m.matches()) {
                out.add(new Compilation(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(4)), m.group(5), m.group(6) == null ? -1 : Integer.parseInt(m.group(6)),
                        m.group(7).strip()));
            }
        }
        return out;
    }

    /** The uncommon-trap lines among {@code lines}. */
    static List<Deoptimization> deoptimizations(List<String> lines) {
        List<Deoptimization> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = DEOPTIMIZATION.matcher(line);
            if (m.find()) {
                String qualified = m.group(4);
                int dot = qualified.lastIndexOf('.');
                out.add(new Deoptimization(Math.round(Double.parseDouble(m.group(1)) * 1000), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), qualified.substring(0, dot) + "::" + qualified.substring(dot + 1),
                        m.group(6) == null ? -1 : Integer.parseInt(m.group(6)), Integer.parseInt(m.group(5)), m.group(7),
                        m.group(8)));
            }
        }
        return out;
    }

    /** The JVM's log file holds what it printed as XML text. */
    private static String unescape(String line) {
        return line.indexOf('&') < 0 ? line
                : line.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                        .replace("&amp;", "&");
    }
}
