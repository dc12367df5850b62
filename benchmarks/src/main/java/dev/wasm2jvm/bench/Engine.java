package dev.wasm2jvm.bench;

/** A way to execute workloads: a wasm engine, or the native build of a kernel. */
interface Engine {
    /** The column name. */
    String name();

    /** Whether the engine runs in this JVM, so that its compile time and heap can be measured here. */
    default boolean inProcess() {
        return false;
    }

    /** Whether the engine applies to {@code workload} at all (native code exists only for kernels). */
    default boolean appliesTo(Workload workload) {
        return true;
    }

    /**
     * Does the one-time work for {@code workload} (reading, compiling), so that every run that
     * follows times execution only.
     *
     * @throws Exception when the engine cannot run the workload (reported as "not supported")
     */
    Prepared prepare(Workload workload) throws Exception;

    /** A workload ready to run; each run starts from a fresh instance. */
    interface Prepared {
        Run run() throws Exception;
    }
}
