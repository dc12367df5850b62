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

    /**
     * A new one, as {@link #LinkException(String, String, String)} makes it, typed so that the
     * verifier of the classes that every instantiation links ({@link Linking}, {@link Imports})
     * need not load this class to check what they throw: a {@code throw new} there loaded it from
     * the jar at every start (0.55 ms), though only a program that cannot start makes one.
     */
    static RuntimeException of(String reason, String module, String name) {
        return new LinkException(reason, module, name);
    }

    /** A new one, as {@link #LinkException(String)} makes it; see {@link #of(String, String, String)}. */
    static RuntimeException of(String reason) {
        return new LinkException(reason);
    }

    /** The spec's text alone, without the import's name. */
    public String reason() {
        return reason;
    }
}
