package dev.wasm2jvm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** The native build of a program (C kernels, the SQLite shell) as a whole process. */
final class NativeCommandEngine implements Engine {
    private final ProcessRun processes;

    NativeCommandEngine(ProcessRun processes) {
        this.processes = processes;
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public boolean appliesTo(Workload workload) {
        return workload.nativeExecutable() != null;
    }

    @Override
    public Prepared prepare(Workload workload) throws IOException {
        if (!Files.isExecutable(workload.nativeExecutable())) {
            throw new IOException("no native build at " + workload.nativeExecutable());
        }
        List<String> command = List.of(workload.nativeExecutable().toString());
        return () -> processes.run(name(), command, workload);
    }
}
