package com.example.threads;

import dev.wasm2jvm.runtime.command.CommandRunner;
import dev.wasm2jvm.runtime.wasi.WasiOptions;

/**
 * Runs the two wasi-threads programs that the Maven plugin compiled into {@code Sum} (freestanding
 * C) and {@code ThreadsZig} (Zig's std.Thread), one after the other, and exits with the first
 * non-zero exit code.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int sum = CommandRunner.of(Sum.class).run(WasiOptions.builder().args("sum.wasm").build(), System.err);
        int zig = CommandRunner.of(ThreadsZig.class).run(WasiOptions.builder().args("threads.wasm").build(), System.err);
        System.exit(sum != 0 ? sum : zig);
    }
}
