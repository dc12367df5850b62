package dev.wasm2jvm.spectest;

import java.io.IOException;

/**
 * Where a script's modules come from, by the name its commands give them: files beside a
 * wast2json script, or the module forms of a {@code .wast} script turned into binary on demand
 * (so a malformed one is rejected where the assertion expects it).
 */
@FunctionalInterface
interface ModuleFiles {
    byte[] read(String filename) throws IOException;
}
