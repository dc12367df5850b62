package dev.wasm2jvm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The C kernels of {@code kernels/}: {@code <name>.wasm} (committed) with its
 * {@code <name>.stdout.expected}, and the native build {@code <native>/<name>} made by run.sh; a
 * kernel built a second time with SIMD, {@code <name>-simd.wasm}, shares the expectation and the
 * native build of {@code <name>}.
 */
final class KernelSuite {
    static final String GROUP = "C kernels";

    private KernelSuite() {}

    static List<Workload> load(Path kernels, Path nativeBuilds) throws IOException {
        try (Stream<Path> files = Files.list(kernels)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".wasm"))
                    .sorted()
                    .map(wasm -> {
                        String name = wasm.getFileName().toString().replaceFirst("\\.wasm$", "");
                        // A kernel's SIMD build (-msimd128) shares its source's output and native build.
                        String source = name.replaceFirst("-simd$", "");
                        return new Workload(GROUP, name, wasm, kernels,
                                kernels.resolve(source + ".stdout.expected"), null, nativeBuilds.resolve(source));
                    })
                    .toList();
        }
    }
}
