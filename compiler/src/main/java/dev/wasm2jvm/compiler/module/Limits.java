package dev.wasm2jvm.compiler.module;

/**
 * The limits of a memory (in 64 KiB pages) or a table (in elements).
 *
 * @param min the initial size
 * @param max the maximum size, or {@code -1} when absent
 * @param shared whether the memory is shared (threads proposal; always false for tables)
 */
public record Limits(long min, long max, boolean shared) {
    public boolean hasMax() {
        return max >= 0;
    }
}
