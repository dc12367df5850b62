package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.code.Instruction;
import dev.wasm2jvm.compiler.code.Instructions;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.FuncType;
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
            }
            case Opcodes.TABLE_SET -> {
                loadTable(index);
                RuntimeRefs.TABLE_SET.invoke(mv);
            }
            case Opcodes.TABLE_SIZE -> {
                loadTable(index);
                RuntimeRefs.TABLE_SIZE.invoke(mv);
            }
            case Opcodes.TABLE_GROW -> {
                loadTable(index);
                RuntimeRefs.TABLE_GROW.invoke(mv);
            }
            case Opcodes.TABLE_FILL -> {
                loadTable(index);
                RuntimeRefs.TABLE_FILL.invoke(mv);
            }
            case Opcodes.TABLE_COPY -> {
                loadTable(index);
                loadTable(index2);
                RuntimeRefs.TABLE_COPY.invoke(mv);
            }
            case Opcodes.TABLE_INIT -> {
                loadTable(index2);
                loadElements(index);
                RuntimeRefs.TABLE_INIT.invoke(mv);
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
        // Its operands replaced by its results; t is the element type of the table it names.
        Instruction insn = Instructions.of(opcode);
        FuncType type = insn.signature().generic() ? insn.type(layout.module.tableType(index).elemType()) : insn.type();
        stack.pop(type.params().size());
        stack.pushAll(type.results());
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
