package dev.wasm2jvm.runtime.command;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory given to the guest under a guest path, written {@code HOST[::GUEST]} on command
 * lines and in settings; without {@code ::GUEST} the guest sees the directory under the host path
 * as written.
 *
 * @param host the host directory, relative to the working directory when not absolute
 * @param guest the name the guest opens it by
 */
public record Preopen(String host, String guest) {
    private static final String SEPARATOR = "::";

    public Preopen {
        Objects.requireNonNull(host);
        Objects.requireNonNull(guest);
    }

    /**
     * Parses {@code HOST[::GUEST]}.
     *
     * @throws IllegalArgumentException if the host or the guest path is empty
     */
    public static Preopen parse(String spec) {
        int at = spec.indexOf(SEPARATOR);
        String host = at < 0 ? spec : spec.substring(0, at);
        String guest = at < 0 ? spec : spec.substring(at + SEPARATOR.length());
        if (host.isEmpty() || guest.isEmpty()) {
            throw new IllegalArgumentException("invalid directory \"" + spec + "\": expected HOST[::GUEST]");
        }
        return new Preopen(host, guest);
    }

    Path hostPath() {
        return Path.of(host);
    }

    @Override
    public String toString() {
        return host + SEPARATOR + guest;
    }
}
