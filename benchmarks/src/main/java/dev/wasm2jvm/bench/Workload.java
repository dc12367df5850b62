package dev.wasm2jvm.bench;

import java.nio.file.Path;

/**
 * One program to time: a WASI command module run in {@code directory} (preopened as {@code "."}),
 * with the output it must produce and, for the C kernels, the native build of the same source.
 *
 * @param group            the table section it belongs to
 * @param name             its row name
 * @param wasm             the module
 * @param directory        its working folder, preopened as {@code "."}
 * @param expectedStdout   what stdout must equal, or {@code null} when unchecked
 * @param expectedStderr   what stderr must equal, or {@code null} when unchecked
 * @param nativeExecutable the native build, or {@code null} when there is none
 */
record Workload(String group, String name, Path wasm, Path directory, Path expectedStdout, Path expectedStderr,
        Path nativeExecutable) {}
