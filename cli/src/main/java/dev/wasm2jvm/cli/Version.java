package dev.wasm2jvm.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version Maven wrote into {@code version.properties} when it built the CLI. */
final class Version {
    private Version() {}

    /** {@code wasm2jvm} and the version, as {@code --version} prints it. */
    static String text() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            p.load(in);
            return "wasm2jvm " + p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The version for picocli's {@code --version}. A class of its own, so that a cached run, which
     * reads the version for its cache key without picocli, does not load picocli's interface.
     */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {text()};
        }
    }
}
