package dev.wasm2jvm.spectest;

/** What went wrong with one command: {@code subject} is the function, global, file or name it concerns. */
record Failure(int line, String command, String subject, String detail) {
    /** {@code core/i32.json:45: assert_return add(i32:1, i32:2): expected [i32:3] got [i32:4]}. */
    String format(String script) {
        return script + ".json:" + line + ": " + command + " " + subject + ": " + detail;
    }
}
