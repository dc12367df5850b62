package dev.wasm2jvm.cli;

import dev.wasm2jvm.runtime.Instance;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The runtime's files, read from where the CLI loaded the runtime from: its classes directory
 * (in a build), its own jar, or the CLI's jar, which contains it. Its {@code META-INF/LICENSE} and
 * {@code NOTICE} come along: a jar that redistributes the runtime must carry them (a runtime built
 * outside Maven, by an IDE, may lack them).
 */
final class RuntimeClasses {
    private static final String PACKAGE = "dev/wasm2jvm/runtime";
    private static final List<String> LEGAL_FILES = List.of("META-INF/LICENSE", "META-INF/NOTICE");

    private RuntimeClasses() {}

    /** Every file of the runtime's packages, by jar entry name, in name order. */
    static Map<String, byte[]> read() throws IOException {
        Path location;
        try {
            location = Path.of(Instance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the wasm2jvm runtime", e);
        }
        if (Files.isDirectory(location)) return readUnder(location);
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return readUnder(jar.getPath("/"));
        }
    }

    private static Map<String, byte[]> readUnder(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root.resolve(PACKAGE))) {
            paths = walk.filter(Files::isRegularFile).toList();
        }
        for (Path p : paths) files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
        for (String name : LEGAL_FILES) {
            Path p = root.resolve(name);
            if (Files.isRegularFile(p)) files.put(name, Files.readAllBytes(p));
        }
        return files;
    }
}
