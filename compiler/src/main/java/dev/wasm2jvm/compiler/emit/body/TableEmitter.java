package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.Instruction;
import dev.wasm2jvm.compiler.code.Instructions;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.TableType;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import java.util.List;

import static org.objectweb.asm.Opcodes.AASTORE;
import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.ANEWARRAY;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.I2L;
import static org.objectweb.asm.Opcodes.ICONST_0;

/**
 * The {@code table.*} and {@code elem.drop} instructions, as calls to the runtime's {@code Table}.
 * A 64-bit table's (table64) i64 operands are narrowed to the helpers' unsigned ints first
 * ({@code Table.index64}), and its i64 results widened from them.
 */
public final class TableEmitter {
    private final MethodVisitor mv;
    private final ModuleLayout layout;
    private final Locals locals;

    public TableEmitter(MethodVisitor mv, ModuleLayout layout, Locals locals) {
        this.mv = mv;
        this.layout = layout;
        this.locals = locals;
    }

    public void visitTableInsn(int opcode, int index, int index2, OperandStack stack) {
        Instruction insn = Instructions.of(opcode);
        FuncType type = type(insn, index, index2);
        if (type.params().contains(ValType.I64)) narrowOperands(type.params());
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
        // An i64 size or previous size is the int result widened: -1 stays -1.
        if (type.results().equals(List.of(ValType.I64))) mv.visitInsn(I2L);
        // Its operands replaced by its results.
        stack.pop(type.params().size());
        stack.pushAll(type.results());
    }

    /**
     * The stack type: t is the element type of the table the instruction names, and each table's
     * address type types its indices, sizes and lengths.
     */
    private FuncType type(Instruction insn, int index, int index2) {
        if (insn.opcode() == Opcodes.ELEM_DROP) return insn.type();
        int table = insn.opcode() == Opcodes.TABLE_INIT ? index2 : index;
        TableType named = layout.module.tableType(table);
        ValType source = insn.opcode() == Opcodes.TABLE_COPY ? layout.module.tableType(index2).addressType() : named.addressType();
        return insn.type(insn.signature().generic() ? named.elemType() : ValType.I32, named.addressType(), source);
    }

    /** Replaces the operands of types {@code params} on the JVM stack by the same with each i64 narrowed to an int. */
    private void narrowOperands(List<ValType> params) {
        int mark = locals.mark();
        int[] slots = new int[params.size()];
        for (int i = params.size() - 1; i >= 0; i--) {
            slots[i] = locals.borrow(params.get(i));
            JvmType.store(mv, params.get(i), slots[i]);
        }
        for (int i = 0; i < params.size(); i++) {
            JvmType.load(mv, params.get(i), slots[i]);
            if (params.get(i) == ValType.I64) RuntimeRefs.TABLE_INDEX64.invoke(mv);
        }
        locals.release(mark);
    }

    void loadTable(int tableidx) {
        locals.loadInstance(mv);
        mv.visitFieldInsn(GETFIELD, layout.owner, layout.tableField(tableidx), RuntimeRefs.TABLE_DESCRIPTOR);
    }

    private void loadElements(int elemidx) {
        locals.loadInstance(mv);
        mv.visitFieldInsn(GETFIELD, layout.owner, GeneratedNames.ELEMS_FIELD, "[[Ljava/lang/Object;");
        Push.intConst(mv, elemidx);
        mv.visitInsn(AALOAD);
    }
}
