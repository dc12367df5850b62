package dev.wasm2jvm.spectest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host value a script means by {@code (ref.extern n)}. There is exactly one object per n, so an
 * externref that travels through wasm code and back is recognised by identity, not by an equal copy.
 */
final class HostRef {
    private static final Map<Long, HostRef> CANONICAL = new ConcurrentHashMap<>();

    private final long n;

    private HostRef(long n) {
        this.n = n;
    }

    static HostRef of(long n) {
        return CANONICAL.computeIfAbsent(n, HostRef::new);
    }

    @Override
    public String toString() {
        return "ref.extern " + n;
    }
}
