package dev.wasm2jvm.compiler.decode;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.binary.ByteReader;
import dev.wasm2jvm.compiler.module.Names;

import java.util.HashMap;
import java.util.Map;

/**
 * Parses the content of the {@code name} custom section: the module name (subsection 0), function
 * names (1) and local names (2); other subsections are skipped. Names only help debugging, so a
 * malformed name section is ignored rather than rejected, as the spec's appendix recommends.
 */
final class NameSection {
    private static final int MODULE = 0;
    private static final int FUNCTIONS = 1;
    private static final int LOCALS = 2;

    private NameSection() {}

    /**
     * @param content the section's bytes after its name
     * @param offset the byte offset of {@code content[0]} in the module
     * @return the names, or {@link Names#NONE} if the content is malformed
     */
    static Names parse(byte[] content, int offset) {
        try {
            return read(new ByteReader(content, 0, offset));
        } catch (CompileException malformed) {
            return Names.NONE;
        }
    }

    private static Names read(ByteReader in) {
        String module = null;
        Map<Integer, String> functions = new HashMap<>();
        Map<Integer, Map<Integer, String>> locals = new HashMap<>();
        while (!in.atEnd()) {
            int id = in.u8();
            int size = in.length();
            int start = in.pos();
            switch (id) {
                case MODULE -> module = in.name();
                case FUNCTIONS -> functions = nameMap(in);
                case LOCALS -> {
                    int n = in.length();
                    for (int i = 0; i < n; i++) {
                        int funcidx = in.u32();
                        locals.put(funcidx, nameMap(in));
                    }
                }
                default -> in.skip(size);
            }
            if (in.pos() != start + size) throw in.error("section size mismatch", start);
        }
        return new Names(module, functions, locals);
    }

    private static Map<Integer, String> nameMap(ByteReader in) {
        Map<Integer, String> names = new HashMap<>();
        int n = in.length();
        for (int i = 0; i < n; i++) {
            int idx = in.u32();
            names.put(idx, in.name());
        }
        return names;
    }
}
