package dev.wasm2jvm.runtime;

/**
 * Instantiation failed while resolving imports: {@code "unknown import"} or
 * {@code "incompatible import type"}, with the import's module and name; or a memory needs more
 * than the limit set by {@link Imports#maxMemory}.
 */
public class LinkException extends RuntimeException {
    private final String reason;

    public LinkException(String reason, String module, String name) {
        super(reason + ": \"" + module + "\" \"" + name + "\"");
        this.reason = reason;
    }

    /** A failure that concerns no one import: {@code reason} is the whole message. */
    public LinkException(String reason) {
        super(reason);
        this.reason = reason;
    }

    /** The spec's text alone, without the import's name. */
    public String reason() {
        return reason;
    }
}
