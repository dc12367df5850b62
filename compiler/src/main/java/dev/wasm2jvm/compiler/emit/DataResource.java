package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.DataSegment;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The data segments of a module as a resource file beside its class, rather than constants in the
 * class: a class file would hold them as strings that its static initialiser decodes with bytecode,
 * which for a module of megabytes of data makes a class of as many megabytes for the JVM to parse and
 * verify, and doubles the heap the compiler needs for them. The runtime's reader ({@link RuntimeRefs#CONSTANTS_SEGMENTS}) is
 * the only code that knows the format: the number of segments, each one's length (big-endian
 * {@code u32}s), then their bytes one after the other.
 *
 * <p>Data of at most {@link #IN_CLASS_BYTES} in that format stays in the class as a string constant
 * of one char per byte ({@link RuntimeRefs#CONSTANTS_SEGMENTS_IN_CLASS}), because looking a
 * resource up costs a small program's start more than the data: the class loader asks every module
 * of the JDK first, which sets up the boot loader's image reader (reflectively, spinning a method
 * handle form) and then opens a jar URL connection: a plain Java hello world that reads a resource
 * of 142 bytes takes 13% more CPU (paired whole-process runs). Most Sightglass programs have less
 * data than that, the largest programs more.
 */
public final class DataResource {
    private DataResource() {}

    /** The resource path of the data of module class {@code owner} (an internal name). */
    static String path(String owner) {
        return owner + ".data";
    }

    /**
     * The most bytes of encoded data a class keeps: at most twice as many in its modified UTF-8
     * (a zero byte or one above 127 takes two), a few constants of {@link StringConstant#CHUNK}.
     */
    static final int IN_CLASS_BYTES = 64 * 1024;

    /** Whether the class keeps {@code segments} itself rather than in a resource. */
    static boolean inClass(List<DataSegment> segments) {
        return encodedSize(segments) <= IN_CLASS_BYTES;
    }

    /** {@code segments} encoded as the string constant a class keeps: one char, 0 to 255, per byte. */
    static String inClassString(List<DataSegment> segments) {
        return new String(encode(segments), StandardCharsets.ISO_8859_1);
    }

    private static long encodedSize(List<DataSegment> segments) {
        long total = 4 + 4L * segments.size();
        for (DataSegment segment : segments) total += segment.init().length;
        return total;
    }

    static byte[] encode(List<DataSegment> segments) {
        // Not more than the module's own bytes, which fit in an array.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) encodedSize(segments));
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
