package dev.wasm2jvm.bench;

import java.nio.file.Path;
import java.util.List;

/** Node's {@code node:wasi} as a whole process, through {@code node/wasi-command.mjs}. */
final class NodeCommandEngine implements Engine {
    private final Path node;
    private final Path runner;
    private final ProcessRun processes;

    /** @param node the node executable, found on the PATH by the caller (the runs get no environment) */
    NodeCommandEngine(Path node, Path runner, ProcessRun processes) {
        this.node = node;
        this.runner = runner;
        this.processes = processes;
    }

    @Override
    public String name() {
        return "node";
    }

    @Override
    public Prepared prepare(Workload workload) {
        // --no-warnings: node warns on stderr that WASI is experimental, which the output check would see.
        List<String> command = List.of(node.toString(), "--no-warnings", runner.toString(), workload.wasm().toString());
        return () -> processes.run(name(), command, workload);
    }
}
