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
        if (!Object.class.getModule().isExported("jdk.internal.misc", VmOptions.class.getModule())) return false;
        // Null, not an empty array, when the JVM was given no option at all.
        String[] options = VM.getRuntimeArguments();
        if (options == null) return false;
        for (String option : options) {
            if (option.startsWith("-XX:AOTCache=") || option.startsWith("-XX:SharedArchiveFile=")) return true;
        }
        return false;
    }
}
