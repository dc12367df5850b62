package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the host process runs out of file descriptors, path_open fails with {@code EMFILE}, never
 * {@code EIO}, whichever of its host opens runs out: the walk's, the file's or its channel's. Run
 * in a child JVM whose descriptor limit ({@code ulimit -n}) is small, so that the host's limit is
 * reached before any limit of the guest's own.
 */
class DescriptorExhaustionTest {
    @TempDir
    Path dir;

    @Test
    void runningOutOfHostDescriptorsIsEmfile() throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/f"), "x");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -n 256 && exec \"$0\" --enable-native-access=ALL-UNNAMED -cp \"$1\" \"$2\" \"$3\"";
        Process child = new ProcessBuilder("sh", "-c", command, java, System.getProperty("java.class.path"),
                Probe.class.getName(), dir.toString()).redirectErrorStream(true).start();
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the probe did not finish");
        }
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, child.exitValue(), output);
        assertEquals("errno " + Errno.MFILE + " for files and directories", output);
    }

    /** Opens {@code a/b/f}, then {@code a/b} as a directory, until it fails; prints the errnos. */
    static final class Probe {
        public static void main(String[] args) throws IOException {
            Guest g = new Guest(WasiOptions.builder().preopenDirectory(Path.of(args[0]), ".").build());
            int file = openUntilFailure(g, "a/b/f", 0, Rights.FD_READ);
            int directory = openUntilFailure(g, "a/b", Abi.OFLAGS_DIRECTORY, Rights.DIRECTORY);
            System.out.println(file == directory ? "errno " + file + " for files and directories"
                    : "errno " + file + " for files, " + directory + " for directories");
        }

        private static int openUntilFailure(Guest g, String path, int oflags, long rights) {
            int opened = g.alloc(4);
            int name = g.string(path);
            for (int i = 0; i < 1_000; i++) {
                int errno = g.call("path_open", 3, 0, name, Guest.length(path), oflags, rights, 0L, 0, opened);
                if (errno != 0) return errno;
            }
            return 0;
        }
    }
}
