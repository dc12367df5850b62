package dev.wasm2jvm.compiler.emit.instance;

import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.body.FunctionEmitter;
import dev.wasm2jvm.compiler.emit.body.Locals;
import dev.wasm2jvm.compiler.emit.body.MemoryEmitter;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.body.Push;
import dev.wasm2jvm.compiler.emit.body.TableEmitter;
import dev.wasm2jvm.compiler.emit.body.VariableEmitter;
import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.emit.layout.StringConstant;
import dev.wasm2jvm.compiler.emit.split.StepMethods;
import dev.wasm2jvm.compiler.module.ConstExpr;
import dev.wasm2jvm.compiler.module.DataSegment;
import dev.wasm2jvm.compiler.module.ElemSegment;
import dev.wasm2jvm.compiler.module.Export;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.Global;
import dev.wasm2jvm.compiler.module.Import;
import dev.wasm2jvm.compiler.module.Limits;
import dev.wasm2jvm.compiler.module.MemoryType;
import dev.wasm2jvm.compiler.module.SegmentMode;
import dev.wasm2jvm.compiler.module.TableType;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;

import java.util.List;

import static org.objectweb.asm.Opcodes.AASTORE;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ANEWARRAY;
import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.NEW;
import static org.objectweb.asm.Opcodes.PUTFIELD;
import static org.objectweb.asm.Opcodes.RETURN;

/**
 * The generated constructor, which instantiates the module as the spec orders it: resolve and check
 * the imports, create memories and tables, evaluate globals, evaluate the element segments, apply
 * the active element and data segments (then drop them), register the exports, run the start
 * function. It does so in steps, one per entity, which {@link StepMethods} spreads over helper
 * methods {@code init$<k>(instance, imports)}; the fields those steps set therefore are not final,
 * which costs nothing, as HotSpot does not trust the final instance fields of ordinary classes.
 */
public final class InstanceEmitter {
    private static final String IMPORTS = "L" + RuntimeRefs.IMPORTS + ";";
    /** Slots of the constructor: this, the imports, then scratch. */
    private static final int THIS = 0;
    private static final int FIRST_FREE = 2;

    private final ClassVisitor cv;
    private final ModuleLayout layout;
    private final WasmModule module;
    private MethodVisitor mv;
    private Locals locals;
    private StepMethods steps;

    public InstanceEmitter(ClassVisitor cv, ModuleLayout layout) {
        this.cv = cv;
        this.layout = layout;
        this.module = layout.module;
    }

    public void emit() {
        MethodVisitor init = cv.visitMethod(ACC_PUBLIC, "<init>", "(" + IMPORTS + ")V", null, null);
        mv = init;
        locals = Locals.expression(THIS, FIRST_FREE);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitVarInsn(ALOAD, 1);
        RuntimeRefs.INSTANCE_INIT.invoke(mv);
        newArray(GeneratedNames.FUNC_REFS_FIELD, module.functionCount(), JvmType.FUNC_REF);
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitFieldInsn(GETSTATIC, layout.owner, GeneratedNames.DATA_STATIC, "[[B");
        mv.visitMethodInsn(INVOKEVIRTUAL, "[[B", "clone", "()Ljava/lang/Object;", false);
        mv.visitTypeInsn(CHECKCAST, "[[B");
        mv.visitFieldInsn(PUTFIELD, layout.owner, GeneratedNames.DATA_FIELD, "[[B");
        newArray(GeneratedNames.ELEMS_FIELD, module.elements().size(), "[Ljava/lang/Object;");
        steps = new StepMethods(cv, layout.owner, GeneratedNames.INIT_STEPS, "(" + layout.ownerDescriptor() + IMPORTS + ")V");
        resolveImports();
        createMemories();
        createTables();
        createTags();
        initGlobals();
        evaluateElements();
        applyElements();
        applyData();
        registerExports();
        if (module.start() >= 0) {
            step();
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitMethodInsn(INVOKESTATIC, layout.functionOwner(module.start()), layout.functionName(module.start()),
                    layout.functionDescriptor(module.start()), false);
        }
        steps.callAll(init);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
    }

    /** Directs the next step's code to the helper method that takes it. */
    private void step() {
        mv = steps.next();
    }

    private void newArray(String field, int length, String elementType) {
        mv.visitVarInsn(ALOAD, THIS);
        Push.intConst(mv, length);
        mv.visitTypeInsn(ANEWARRAY, elementType);
        String element = elementType.startsWith("[") ? elementType : "L" + elementType + ";";
        mv.visitFieldInsn(PUTFIELD, layout.owner, field, "[" + element);
    }

    private void resolveImports() {
        int funcidx = 0;
        int tableidx = 0;
        int memidx = 0;
        int globalidx = 0;
        int tagidx = 0;
        for (Import imp : module.imports()) {
            step();
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitVarInsn(ALOAD, 1);
            mv.visitLdcInsn(imp.module());
            mv.visitLdcInsn(imp.name());
            switch (imp.kind()) {
                case FUNC -> {
                    mv.visitLdcInsn(module.types().get(imp.typeidx()).signature());
                    mv.visitVarInsn(ALOAD, THIS);
                    RuntimeRefs.LINKING_FUNC.invoke(mv);
                    mv.visitFieldInsn(PUTFIELD, layout.owner, layout.importField(funcidx++), "L" + JvmType.FUNC_REF + ";");
                }
                case TABLE -> {
                    Push.intConst(mv, imp.table().elemType().letter());
                    pushLimits(imp.table().limits());
                    (imp.table().address64() ? RuntimeRefs.LINKING_TABLE64 : RuntimeRefs.LINKING_TABLE).invoke(mv);
                    mv.visitFieldInsn(PUTFIELD, layout.owner, layout.tableField(tableidx++), RuntimeRefs.TABLE_DESCRIPTOR);
                }
                case MEMORY -> {
                    pushLimits(imp.memory().limits());
                    Push.intConst(mv, imp.memory().limits().shared() ? 1 : 0);
                    (imp.memory().address64() ? RuntimeRefs.LINKING_MEMORY64 : RuntimeRefs.LINKING_MEMORY).invoke(mv);
                    mv.visitFieldInsn(PUTFIELD, layout.owner, layout.memoryField(memidx++), RuntimeRefs.MEMORY_DESCRIPTOR);
                }
                case GLOBAL -> {
                    Push.intConst(mv, imp.global().valType().letter());
                    Push.intConst(mv, imp.global().mutable() ? 1 : 0);
                    RuntimeRefs.LINKING_GLOBAL.invoke(mv);
                    mv.visitFieldInsn(PUTFIELD, layout.owner, layout.globalField(globalidx), layout.globalDescriptor(globalidx));
                    globalidx++;
                }
                case TAG -> {
                    mv.visitLdcInsn(module.types().get(imp.typeidx()).signature());
                    RuntimeRefs.LINKING_TAG.invoke(mv);
                    mv.visitFieldInsn(PUTFIELD, layout.owner, layout.tagField(tagidx++), RuntimeRefs.TAG_DESCRIPTOR);
                }
            }
        }
    }

    private void pushLimits(Limits limits) {
        Push.longConst(mv, limits.min());
        Push.longConst(mv, limits.max());
    }

    private void createMemories() {
        int memidx = module.memoryCount() - module.memories().size();
        for (MemoryType type : module.memories()) {
            step();
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitVarInsn(ALOAD, 1);
            Push.intConst(mv, memidx);
            pushLimits(type.limits());
            Push.intConst(mv, type.limits().shared() ? 1 : 0);
            (type.address64() ? RuntimeRefs.LINKING_DEFINE_MEMORY64 : RuntimeRefs.LINKING_DEFINE_MEMORY).invoke(mv);
            mv.visitFieldInsn(PUTFIELD, layout.owner, layout.memoryField(memidx++), RuntimeRefs.MEMORY_DESCRIPTOR);
        }
    }

    private void createTables() {
        int tableidx = module.tableCount() - module.tables().size();
        for (TableType type : module.tables()) {
            step();
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitVarInsn(ALOAD, 1);
            Push.intConst(mv, tableidx);
            Push.intConst(mv, type.elemType().letter());
            pushLimits(type.limits());
            (type.address64() ? RuntimeRefs.LINKING_DEFINE_TABLE64 : RuntimeRefs.LINKING_DEFINE_TABLE).invoke(mv);
            mv.visitFieldInsn(PUTFIELD, layout.owner, layout.tableField(tableidx++), RuntimeRefs.TABLE_DESCRIPTOR);
        }
    }

    /** Each tag the module defines is a new one, distinct from those of other instances. */
    private void createTags() {
        int tagidx = module.importCount(ExternKind.TAG);
        for (int typeidx : module.tags()) {
            step();
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitTypeInsn(NEW, RuntimeRefs.TAG);
            mv.visitInsn(DUP);
            mv.visitLdcInsn(module.types().get(typeidx).signature());
            RuntimeRefs.TAG_NEW.invoke(mv);
            mv.visitFieldInsn(PUTFIELD, layout.owner, layout.tagField(tagidx++), RuntimeRefs.TAG_DESCRIPTOR);
        }
    }

    private void initGlobals() {
        int globalidx = module.globalCount() - module.globals().size();
        for (Global global : module.globals()) {
            step();
            ValType type = global.type().valType();
            if (layout.isGlobalBoxed(globalidx)) {
                mv.visitVarInsn(ALOAD, THIS);
                mv.visitTypeInsn(NEW, RuntimeRefs.GLOBAL);
                mv.visitInsn(DUP);
                Push.intConst(mv, type.letter());
                Push.intConst(mv, global.type().mutable() ? 1 : 0);
                RuntimeRefs.GLOBAL_NEW.invoke(mv);
                mv.visitFieldInsn(PUTFIELD, layout.owner, layout.globalField(globalidx), layout.globalDescriptor(globalidx));
            }
            OperandStack stack = constant(mv, locals, global.init(), type);
            new VariableEmitter(mv, layout, locals).visitVariable(Opcodes.GLOBAL_SET, globalidx, stack);
            globalidx++;
        }
    }

    /** Emits constant expression {@code expr} of type {@code type}; returns the stack holding its value. */
    private OperandStack constant(MethodVisitor mv, Locals locals, ConstExpr expr, ValType type) {
        FunctionEmitter emitter = new FunctionEmitter(mv, layout, locals, new FuncType(List.of(), List.of(type)), true, -1, -1);
        CodeReader.read(expr.code(), expr.offset(), emitter);
        OperandStack stack = new OperandStack(mv, locals);
        stack.push(type);
        return stack;
    }

    /**
     * {@code elems[i]}, the evaluated elements of segment i: a segment of plain function references
     * (the common case) is one string constant decoded at run time, so that large function tables
     * need little code; any other segment takes a step per element.
     */
    private void evaluateElements() {
        for (int i = 0; i < module.elements().size(); i++) {
            ElemSegment segment = module.elements().get(i);
            String encoded = FuncRefList.encode(segment);
            step();
            loadElems(i);
            if (encoded != null) {
                mv.visitVarInsn(ALOAD, THIS);
                StringConstant.push(mv, encoded);
                RuntimeRefs.INSTANCE_FUNC_REFS.invokeOn(mv, layout.owner);
                mv.visitInsn(AASTORE);
                continue;
            }
            Push.intConst(mv, segment.init().size());
            mv.visitTypeInsn(ANEWARRAY, JvmType.OBJECT);
            mv.visitInsn(AASTORE);
            for (int j = 0; j < segment.init().size(); j++) {
                step();
                loadElems(i);
                mv.visitInsn(AALOAD);
                Push.intConst(mv, j);
                constant(mv, locals, segment.init().get(j), segment.type());
                mv.visitInsn(AASTORE);
            }
        }
    }

    /** Pushes {@code elems} and {@code i}, ready for the store of {@code elems[i]}. */
    private void loadElems(int i) {
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitFieldInsn(GETFIELD, layout.owner, GeneratedNames.ELEMS_FIELD, "[[Ljava/lang/Object;");
        Push.intConst(mv, i);
    }

    private void applyElements() {
        for (int i = 0; i < module.elements().size(); i++) {
            ElemSegment segment = module.elements().get(i);
            step();
            if (segment.mode() == SegmentMode.ACTIVE) {
                ValType address = module.tableType(segment.tableidx()).addressType();
                constant(mv, locals, segment.offset(), address);
                mv.visitInsn(ICONST_0);
                Push.intConst(mv, segment.init().size());
                new TableEmitter(mv, layout, locals).visitTableInsn(Opcodes.TABLE_INIT, i, segment.tableidx(),
                        stackOf(address, ValType.I32, ValType.I32));
            }
            if (segment.mode() != SegmentMode.PASSIVE) {
                new TableEmitter(mv, layout, locals).visitTableInsn(Opcodes.ELEM_DROP, i, 0, stackOf());
            }
        }
    }

    private void applyData() {
        for (int i = 0; i < module.data().size(); i++) {
            DataSegment segment = module.data().get(i);
            if (segment.mode() != SegmentMode.ACTIVE) continue;
            step();
            ValType address = module.memoryType(segment.memidx()).addressType();
            constant(mv, locals, segment.offset(), address);
            mv.visitInsn(ICONST_0);
            Push.intConst(mv, segment.init().length);
            MemoryEmitter memory = new MemoryEmitter(mv, layout, locals);
            memory.visitMemoryInsn(Opcodes.MEMORY_INIT, i, segment.memidx(), stackOf(address, ValType.I32, ValType.I32));
            memory.visitMemoryInsn(Opcodes.DATA_DROP, i, 0, stackOf());
        }
    }

    private OperandStack stackOf(ValType... types) {
        OperandStack stack = new OperandStack(mv, locals);
        stack.pushAll(List.of(types));
        return stack;
    }

    /**
     * Registers the exports in their order: each run of function exports by one string constant
     * that {@code Instance.exportFunctions} decodes, so that a module exporting thousands of
     * functions needs few constants; each other export by itself.
     */
    private void registerExports() {
        List<Export> exports = module.exports();
        int i = 0;
        while (i < exports.size()) {
            step();
            mv.visitVarInsn(ALOAD, THIS);
            if (exports.get(i).kind() != ExternKind.FUNC) {
                registerExport(exports.get(i++));
                continue;
            }
            StringBuilder run = new StringBuilder();
            for (; i < exports.size() && exports.get(i).kind() == ExternKind.FUNC; i++) {
                Export f = exports.get(i);
                run.append(StringConstant.ofInts(new int[] {f.index(), f.name().length()})).append(f.name());
            }
            StringConstant.push(mv, run.toString());
            RuntimeRefs.INSTANCE_EXPORT_FUNCTIONS.invokeOn(mv, layout.owner);
        }
    }

    /** With the instance on the stack, registers a memory, table, global or tag export. */
    private void registerExport(Export export) {
        mv.visitLdcInsn(export.name());
        mv.visitVarInsn(ALOAD, THIS);
        switch (export.kind()) {
            case TABLE -> mv.visitFieldInsn(GETFIELD, layout.owner, layout.tableField(export.index()), RuntimeRefs.TABLE_DESCRIPTOR);
            case MEMORY -> mv.visitFieldInsn(GETFIELD, layout.owner, layout.memoryField(export.index()), RuntimeRefs.MEMORY_DESCRIPTOR);
            case TAG -> layout.getTag(mv, export.index());
            default -> mv.visitFieldInsn(GETFIELD, layout.owner, layout.globalField(export.index()), layout.globalDescriptor(export.index()));
        }
        RuntimeRefs.INSTANCE_EXPORT.invokeOn(mv, layout.owner);
    }
}
