package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.debug.SourceLine;
import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FunctionBody;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SYNTHETIC;
import static org.objectweb.asm.Opcodes.ARETURN;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;

/**
 * The source file of each line of each function, for wasm backtraces. A class file has one
 * {@code SourceFile}, so a Java stack trace names the module's primary file (often a C runtime's
 * {@code crt1-command.c}) for every function; the runtime's trap report reads the right file from
 * this table instead, which the module class returns from {@value #GeneratedNames.SOURCE_FILES_METHOD}.
 *
 * <p>The table is text: a first line of the file names, separated by tabs, then a line per function
 * with line information: its method's name, the index of its file, and for each of its lines from
 * another file (code inlined from a header, say) {@code line:index}, all separated by tabs.
 */
final class SourceFileTable {
    /** Characters per string constant: at most 3 bytes each in a class file's modified UTF-8, within {@link JvmLimits#MAX_UTF8_BYTES}. */
    private static final int CHUNK = 20_000;

    private SourceFileTable() {}

    /** Adds {@value #GeneratedNames.SOURCE_FILES_METHOD} to {@code cv} when the module has DWARF line information. */
    static void emit(ClassVisitor cv, ModuleLayout layout) {
        if (layout.lines == null) return;
        Map<String, Integer> files = new LinkedHashMap<>();
        StringBuilder functions = new StringBuilder();
        int imported = layout.module.importCount(ExternKind.FUNC);
        for (int i = 0; i < layout.module.codes().size(); i++) {
            FunctionBody body = layout.module.codes().get(i);
            List<SourceLine> lines = layout.lines.linesIn(body.offset(), body.offset() + body.code().length);
            String method = layout.functionName(imported + i);
            // A name section may hold any character; a method named with a separator is left out
            // (its frames show no position) rather than break the table.
            if (lines.isEmpty() || method.indexOf('\t') >= 0 || method.indexOf('\n') >= 0) continue;
            int home = files.computeIfAbsent(printable(lines.getFirst().fileName()), f -> files.size());
            Map<Integer, Integer> others = new TreeMap<>();
            for (SourceLine l : lines) {
                int file = files.computeIfAbsent(printable(l.fileName()), f -> files.size());
                if (file != home) others.putIfAbsent(l.line(), file);
            }
            functions.append(method).append('\t').append(home);
            others.forEach((line, file) -> functions.append('\t').append(line).append(':').append(file));
            functions.append('\n');
        }
        String table = String.join("\t", files.keySet()) + "\n" + functions;

        MethodVisitor mv = cv.visitMethod(ACC_PUBLIC | ACC_STATIC | ACC_SYNTHETIC, GeneratedNames.SOURCE_FILES_METHOD, "()Ljava/lang/String;", null, null);
        mv.visitCode();
        mv.visitLdcInsn(table.substring(0, Math.min(CHUNK, table.length())));
        for (int at = CHUNK; at < table.length(); at += CHUNK) {
            mv.visitLdcInsn(table.substring(at, Math.min(at + CHUNK, table.length())));
            mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/String", "concat", "(Ljava/lang/String;)Ljava/lang/String;", false);
        }
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code file} with the table's separators, which a DWARF file name may hold, made spaces. */
    private static String printable(String file) {
        return file.replace('\t', ' ').replace('\n', ' ');
    }
}
