package dev.wasm2jvm.spectest;

import java.util.List;

/**
 * The outcome of one script. {@code passed + skipped} plus the failed assertions is the script's
 * assertion count; {@code failed} also includes failed non-assertion commands (modules, registers,
 * actions, waits). {@code notes} are message mismatches of rejections that otherwise passed.
 */
record ScriptResult(Script script, int passed, int failed, int skipped, List<Failure> failures, List<Failure> notes) {}
