package dev.wasm2jvm.runtime.internal;

import jdk.internal.misc.VM;

/**
 * What the JVM was started with, as far as the runtime must know: its options, which only the JDK's
 * internal {@code VM} gives without the management API (whose start costs more than a program's).
 */
public final class VmOptions {
    private VmOptions() {}

    /**
     * Whether the JVM was started with a cache of application classes ({@code -XX:AOTCache},
     * {@code -XX:SharedArchiveFile}), on its command line or through {@code JAVA_TOOL_OPTIONS} or
     * {@code JDK_JAVA_OPTIONS}; false where {@code jdk.internal.misc} is not exported to the runtime,
     * which cannot tell then.
     */
    public static boolean classCache() {
        return anyOption("-XX:AOTCache=", "-XX:SharedArchiveFile=");
    }

    /**
     * Whether the JVM was started with a cache of application classes ({@link #classCache}) or
     * records or writes one ({@code -XX:AOTMode}, {@code -XX:AOTConfiguration},
     * {@code -XX:AOTCacheOutput}, {@code -XX:ArchiveClassesAtExit}, {@code -XX:+AutoCreateSharedArchive},
     * {@code -XX:DumpLoadedClassList}, {@code -Xshare:dump}): the JDK caches only classes its
     * class loaders found on the class path, so such a JVM must load them the usual way.
     */
    public static boolean classArchive() {
        return anyOption("-XX:AOTCache=", "-XX:SharedArchiveFile=", "-XX:AOTMode=", "-XX:AOTConfiguration=",
                "-XX:AOTCacheOutput=", "-XX:ArchiveClassesAtExit=", "-XX:+AutoCreateSharedArchive",
                "-XX:DumpLoadedClassList=", "-Xshare:dump");
    }

    /** Whether an option the JVM was started with begins with one of {@code prefixes}. */
    private static boolean anyOption(String... prefixes) {
        if (!Object.class.getModule().isExported("jdk.internal.misc", VmOptions.class.getModule())) return false;
        // Null, not an empty array, when the JVM was given no option at all.
        String[] options = VM.getRuntimeArguments();
        if (options == null) return false;
        for (String option : options) {
            for (String prefix : prefixes) {
                if (option.startsWith(prefix)) return true;
            }
        }
        return false;
    }
}
