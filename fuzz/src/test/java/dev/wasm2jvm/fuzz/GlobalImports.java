package dev.wasm2jvm.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The global imports of a module, read from its import section: the generator names its externref
 * global imports ({@code extern$}, {@code global$_8}, ...) per module, and both engines give each
 * one host object. Only what the harness needs; the module is valid (the generator's output).
 */
final class GlobalImports {
    private final byte[] wasm;
    private int at;

    private GlobalImports(byte[] wasm) {
        this.wasm = wasm;
    }

    /** The module and field name of each global import, in order. */
    static List<String[]> of(byte[] wasm) {
        GlobalImports r = new GlobalImports(wasm);
        r.at = 8;
        List<String[]> globals = new ArrayList<>();
        while (r.at < wasm.length) {
            int id = wasm[r.at++];
            int size = r.u32();
            int end = r.at + size;
            if (id == 2) {
                for (int n = r.u32(); n > 0; n--) {
                    String module = r.name();
                    String name = r.name();
                    switch (wasm[r.at++]) {
                        case 0 -> r.u32();
                        case 1 -> {
                            r.at++;
                            r.limits();
                        }
                        case 2 -> r.limits();
                        case 3 -> {
                            r.at += 2;
                            globals.add(new String[] {module, name});
                        }
                        default -> r.u32();
                    }
                }
                return globals;
            }
            r.at = end;
        }
        return globals;
    }

    private void limits() {
        int flags = wasm[at++];
        u32();
        if ((flags & 1) != 0) u32();
    }

    private String name() {
        int length = u32();
        String s = new String(wasm, at, length, StandardCharsets.UTF_8);
        at += length;
        return s;
    }

    private int u32() {
        int result = 0;
        for (int shift = 0; ; shift += 7) {
            int b = wasm[at++];
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }
}
