package dev.wasm2jvm.runtime;

/**
 * Instantiation failed while resolving imports: {@code "unknown import"} or
 * {@code "incompatible import type"}, with the import's module and name.
 */
public class LinkException extends RuntimeException {
    private final String reason;

    public LinkException(String reason, String module, String name) {
        super(reason + ": \"" + module + "\" \"" + name + "\"");
        this.reason = reason;
    }

    /** The spec's text alone, without the import's name. */
    public String reason() {
        return reason;
    }
}
