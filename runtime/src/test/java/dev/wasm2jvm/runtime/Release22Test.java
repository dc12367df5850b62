package dev.wasm2jvm.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime runs on JDK 22: its sources compile with {@code --release 22}. The build cannot say
 * so itself, because the classes that reach {@code jdk.internal.misc.Unsafe} need
 * {@code --add-exports}, which javac refuses with {@code --release}; so the build compiles with
 * source and target 22 against the running JDK, and this test compiles every other source with
 * {@code --release 22}, against the built classes, so that no newer API slips in.
 */
class Release22Test {
    private static final Set<String> NEED_INTERNAL_EXPORT = Set.of("module-info.java", "MemoryAccess.java",
            "MemoryAccess64.java", "UncheckedAccess.java", "CompactAccess.java", "CompactUncheckedAccess.java", "BulkMemory.java", "ChannelFiles.java", "JdkStat.java", "LazyPages.java", "FdTable.java", "Instance.java",
            "StartClasses.java");

    @Test
    void everySourceButTheUnsafeAccessCompilesForRelease22(@TempDir Path out) throws IOException {
        List<String> sources;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            sources = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !NEED_INTERNAL_EXPORT.contains(p.getFileName().toString()))
                    .map(Path::toString)
                    .toList();
        }
        assertTrue(sources.size() > 50, "runtime sources not found from " + Path.of("").toAbsolutePath());
        List<String> arguments = new ArrayList<>(List.of("--release", "22", "-implicit:none", "-sourcepath", "",
                "-classpath", "target/classes", "-d", out.toString(), "-Xlint:-options"));
        arguments.addAll(sources);
        StringWriter messages = new StringWriter();
        PrintWriter writer = new PrintWriter(messages);
        int status = ToolProvider.findFirst("javac").orElseThrow()
                .run(writer, writer, arguments.toArray(String[]::new));
        writer.flush();
        assertEquals(0, status, messages.toString());
    }
}
