package dev.wasm2jvm.bench;

import java.nio.file.Path;
import java.util.List;

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
 * @param args             the arguments after the program name (the programs group only)
 * @param stdin            the file read as standard input, or {@code null} for none
 * @param outputs          the files and folders the program creates in {@code directory}, removed
 *                         before each run so that none starts from what another left (a killed
 *                         run's lock, say)
 */
record Workload(String group, String name, Path wasm, Path directory, Path expectedStdout, Path expectedStderr,
        Path nativeExecutable, List<String> args, Path stdin, List<String> outputs) {

    /** A workload run without arguments or input, as the Sightglass programs and timed kernels are. */
    Workload(String group, String name, Path wasm, Path directory, Path expectedStdout, Path expectedStderr,
            Path nativeExecutable) {
        this(group, name, wasm, directory, expectedStdout, expectedStderr, nativeExecutable, List.of(), null, List.of());
    }

    /** The same program, run from another module (one whose {@code bench} imports are defined inside). */
    Workload withWasm(Path other) {
        return new Workload(group, name, other, directory, expectedStdout, expectedStderr, nativeExecutable, args, stdin,
                outputs);
    }
}
