package dev.wasm2jvm.spectest;

/** What went wrong with one command: {@code subject} is the function, global, file or name it concerns. */
record Failure(int line, String command, String subject, String detail) {
    /**
     * Whether the compiler wrote classes that the JVM or ASM's verification rejects: a defect of the
     * compiler whatever the script tests, which no exclusion covers (a script excluded for a feature
     * it needs still must not make invalid bytecode).
     */
    boolean invalidBytecode() {
        return detail.contains("generated classes fail verification") || detail.contains("VerifyError")
                || detail.contains("ClassFormatError");
    }

    /** {@code core/i32.json:45: assert_return add(i32:1, i32:2): expected [i32:3] got [i32:4]}. */
    String format(String script) {
        return script + ".json:" + line + ": " + command + " " + subject + ": " + detail;
    }

    /** As {@link #format(String)}, naming the script's own file ({@code wasm-3.0/block.wast:12: ...}). */
    String format(Script script) {
        if (!script.isWast()) return format(script.id());
        return script.id() + ".wast:" + line + ": " + command + " " + subject + ": " + detail;
    }
}
