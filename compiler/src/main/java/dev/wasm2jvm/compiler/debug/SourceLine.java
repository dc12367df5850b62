package dev.wasm2jvm.compiler.debug;

/**
 * A position in the program's source.
 *
 * @param file the file's path as the line table records it, often relative to a directory
 * @param line the line, from 1
 */
public record SourceLine(String file, int line) {
    /** The file's name without its directories, as a Java stack trace names source files. */
    public String fileName() {
        return file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
    }
}
