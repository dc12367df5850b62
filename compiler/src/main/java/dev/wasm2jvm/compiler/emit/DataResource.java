package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.DataSegment;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The data segments of a module as a resource file beside its class, rather than constants in the
 * class: a class file would hold them as strings that its static initialiser decodes with bytecode,
 * which for a module of megabytes of data makes a class of as many megabytes for the JVM to parse and
 * verify, and doubles the heap the compiler needs for them. The runtime's reader ({@link RuntimeRefs#CONSTANTS_SEGMENTS}) is
 * the only code that knows the format: the number of segments, each one's length (big-endian
 * {@code u32}s), then their bytes one after the other.
 */
public final class DataResource {
    private DataResource() {}

    /** The resource path of the data of module class {@code owner} (an internal name). */
    static String path(String owner) {
        return owner + ".data";
    }

    static byte[] encode(List<DataSegment> segments) {
        // Not more than the module's own bytes, which fit in an array.
        int total = 4 + 4 * segments.size();
        for (DataSegment segment : segments) total += segment.init().length;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(total);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(segments.size());
            for (DataSegment segment : segments) out.writeInt(segment.init().length);
            for (DataSegment segment : segments) out.write(segment.init());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }
}
