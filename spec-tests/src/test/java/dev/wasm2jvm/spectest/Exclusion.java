package dev.wasm2jvm.spectest;

/** A known failure that should not fail the build: one line ({@code line > 0}) or all of the matching scripts. */
record Exclusion(ScriptPattern scripts, int line, String reason) {
    boolean coversScript(Script script) {
        return scripts.matches(script);
    }

    boolean covers(Script script, Failure failure) {
        return coversScript(script) && (line == 0 || line == failure.line()) && !failure.invalidBytecode();
    }

    @Override
    public String toString() {
        return scripts + (line == 0 ? "" : ":" + line) + " (" + reason + ")";
    }
}
