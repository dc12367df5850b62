package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.AASTORE;
import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.ANEWARRAY;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.ICONST_0;

/** The {@code table.*} and {@code elem.drop} instructions, as calls to the runtime's {@code Table}. */
final class TableEmitter {
    private static final String TABLE_DESC = "L" + RuntimeRefs.TABLE + ";";

    private final MethodVisitor mv;
    private final ModuleLayout layout;
    private final Locals locals;

    TableEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
    }

    void visitTableInsn(int opcode, int index, int index2, OperandStack stack) {
        switch (opcode) {
            case Opcodes.TABLE_GET -> {
                loadTable(index);
                RuntimeRefs.TABLE_GET.invoke(mv);
                ValType elem = layout.module.tableType(index).elemType();
                if (elem == ValType.FUNCREF) mv.visitTypeInsn(CHECKCAST, JvmType.FUNC_REF);
                stack.pop();
                stack.push(elem);
            }
            case Opcodes.TABLE_SET -> {
                loadTable(index);
                RuntimeRefs.TABLE_SET.invoke(mv);
                stack.pop(2);
            }
            case Opcodes.TABLE_SIZE -> {
                loadTable(index);
                RuntimeRefs.TABLE_SIZE.invoke(mv);
                stack.push(ValType.I32);
            }
            case Opcodes.TABLE_GROW -> {
                loadTable(index);
                RuntimeRefs.TABLE_GROW.invoke(mv);
                stack.pop(2);
                stack.push(ValType.I32);
            }
            case Opcodes.TABLE_FILL -> {
                loadTable(index);
                RuntimeRefs.TABLE_FILL.invoke(mv);
                stack.pop(3);
            }
            case Opcodes.TABLE_COPY -> {
                loadTable(index);
                loadTable(index2);
                RuntimeRefs.TABLE_COPY.invoke(mv);
                stack.pop(3);
            }
            case Opcodes.TABLE_INIT -> {
                loadTable(index2);
                loadElements(index);
                RuntimeRefs.TABLE_INIT.invoke(mv);
                stack.pop(3);
            }
            case Opcodes.ELEM_DROP -> {
                locals.loadInstance(mv);
                mv.visitFieldInsn(GETFIELD, layout.owner, GeneratedNames.ELEMS_FIELD, "[[Ljava/lang/Object;");
                Push.intConst(mv, index);
                mv.visitInsn(ICONST_0);
                mv.visitTypeInsn(ANEWARRAY, JvmType.OBJECT);
                mv.visitInsn(AASTORE);
            }
            default -> throw new IllegalArgumentException(Opcodes.name(opcode));
        }
    }

    void loadTable(int tableidx) {
        locals.loadInstance(mv);
        mv.visitFieldInsn(GETFIELD, layout.owner, layout.tableField(tableidx), TABLE_DESC);
    }

    private void loadElements(int elemidx) {
        locals.loadInstance(mv);
        mv.visitFieldInsn(GETFIELD, layout.owner, GeneratedNames.ELEMS_FIELD, "[[Ljava/lang/Object;");
        Push.intConst(mv, elemidx);
        mv.visitInsn(AALOAD);
    }
}
