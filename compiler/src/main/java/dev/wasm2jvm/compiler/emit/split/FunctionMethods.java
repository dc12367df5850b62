package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.emit.body.BranchFusion;
import dev.wasm2jvm.compiler.emit.body.CallEmitter;
import dev.wasm2jvm.compiler.emit.body.EntryWrites;
import dev.wasm2jvm.compiler.emit.body.FunctionEmitter;
import dev.wasm2jvm.compiler.emit.body.HeapCharge;
import dev.wasm2jvm.compiler.emit.body.LineEntries;
import dev.wasm2jvm.compiler.emit.body.Locals;
import dev.wasm2jvm.compiler.emit.body.Multi3;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.body.StackMapFrames;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.objectweb.asm.Opcodes.ACC_STATIC;

/**
 * The methods of one defined function: its own, and those of its outlined parts and nests'
 * dispatchers when it is split. The final emission and the planner's trials emit them alike, so
 * that what a trial measures is what the classes get.
 */
public final class FunctionMethods {
    private FunctionMethods() {}

    /**
     * Emits function {@code funcidx}'s method and the methods of its outlined constructs, each into
     * the class that {@code classOf} gives for the internal name of the class holding it, with value
     * arrays that hold {@code spill}, telling {@code probe}, if not {@code null}, of the states of the
     * function's own method; returns what the spills of the function's own method need.
     */
    public static OperandStack.Spill emit(Function<String, ClassVisitor> classOf, ModuleLayout layout, int funcidx,
                                          Outlining outlining, OperandStack.Spill spill, FunctionEmitter.StackProbe probe) {
        return emit(classOf, layout, funcidx, outlining, spill, probe, null, null);
    }

    /**
     * Emits the methods as {@link #emit(Function, ModuleLayout, int, Outlining, OperandStack.Spill, FunctionEmitter.StackProbe)}
     * does, for a trial that only measures their bytecode: without the line numbers and local names
     * of debuggers, which take none; {@code end} is placed at the end of the function's own method,
     * so its offset is that method's bytecode as first written (a class writer widens jumps that a
     * short offset cannot reach only when it writes the class).
     */
    static OperandStack.Spill measure(Function<String, ClassVisitor> classOf, ModuleLayout layout, int funcidx,
                                      Outlining outlining, OperandStack.Spill spill, FunctionEmitter.StackProbe probe,
                                      Label end) {
        return emit(classOf, layout, funcidx, outlining, spill, probe, null, null, false, end);
    }

    /**
     * As {@link #emit(Function, ModuleLayout, int, Outlining, OperandStack.Spill, FunctionEmitter.StackProbe)},
     * with the locals that the entry code of the function, if not split, sets before reading them
     * ({@link EntryWrites}), found by a pass over its body that had to be made anyway, or
     * {@code null} to find them here; and if {@code sizes} is not {@code null}, putting into it the
     * bytecode of the function's method and of each outlined construct's by method name, for a plan
     * whose methods no trial measured: each as the offset of a label at the method's end, which is
     * exact within a short jump's reach (a class writer widens jumps only past it), and past it
     * already above {@link dev.wasm2jvm.compiler.emit.layout.JvmLimits#HUGE_METHOD}, the one limit
     * the sizes are compared with.
     */
    public static OperandStack.Spill emit(Function<String, ClassVisitor> classOf, ModuleLayout layout, int funcidx,
                                          Outlining outlining, OperandStack.Spill spill, FunctionEmitter.StackProbe probe,
                                          BitSet entryWrites, Map<String, Integer> sizes) {
        return emit(classOf, layout, funcidx, outlining, spill, probe, entryWrites, sizes, true, new Label());
    }

    /**
     * As the public {@code emit}, writing the debuggers' line numbers and local names if
     * {@code debugInfo}, and placing {@code end} at the end of the function's own method.
     */
    private static OperandStack.Spill emit(Function<String, ClassVisitor> classOf, ModuleLayout layout, int funcidx,
                                           Outlining outlining, OperandStack.Spill spill, FunctionEmitter.StackProbe probe,
                                           BitSet entryWrites, Map<String, Integer> sizes, boolean debugInfo, Label end) {
        WasmModule module = layout.module;
        FuncType type = module.funcType(funcidx);
        FunctionBody body = module.codes().get(funcidx - module.importCount(ExternKind.FUNC));
        List<ValType> all = allLocals(module, funcidx, body);
        boolean cachesMemory = module.memoryCount() > 0;
        ClassVisitor functionClass = classOf.apply(layout.functionOwner(funcidx));
        if (layout.makesTailCalls(funcidx)) CallEmitter.tailWrapper(functionClass, layout, funcidx);
        String name = layout.bodyName(funcidx);
        String descriptor = layout.functionDescriptor(funcidx);
        // The emitters give the frames of the function's methods, unless the handler of a legacy try jumps
        // back to its clauses.
        boolean givesFrames = !body.effects().catchClauses();
        Locals locals = Locals.function(type, all, cachesMemory, outlining != null, spill);
        MethodVisitor mv = new BranchFusion(new LineEntries(method(functionClass, givesFrames, name, descriptor, locals),
                debugInfo));
        mv.visitCode();
        boolean multi3 = outlining == null && Multi3.matches(type, body);
        HeapCharge charge = multi3 ? null : HeapCharge.of(locals, outlining == null ? 0 : outlining.frame.bytes());
        if (charge != null) charge.enter(mv);
        // A self tail call jumps back here, past the charge.
        Label start = body.effects().tailCalls() ? new StackMapFrames.LoopStart() : new Label();
        mv.visitLabel(start);
        if (multi3) {
            Multi3.emit(mv, layout, locals, body);
            finish(mv, layout, funcidx, locals, start, end, debugInfo);
            if (sizes != null) sizes.put(name, end.getOffset());
            return OperandStack.Spill.NONE;
        }
        // A split function's parts read and write its locals through the frame, so all start zeroed.
        BitSet setFirst = outlining != null ? new BitSet() : entryWrites != null ? entryWrites : EntryWrites.of(body);
        locals.initialize(mv, type, setFirst);
        FunctionEmitter emitter = outlining == null
                ? new FunctionEmitter(mv, layout, locals, type, false, funcidx, body.offset())
                : new FunctionEmitter(mv, layout, locals, funcidx, outlining.method(null), type);
        if (probe != null) emitter.probe(probe);
        if (outlining == null) emitter.selfTailCallEntry(start);
        if (charge != null) emitter.releaseOnReturn(charge);
        emitter.enterFunction(type.params().size());
        CodeReader.read(body.code(), body.offset(), emitter);
        if (charge != null) charge.releaseOnThrow(mv);
        finish(mv, layout, funcidx, locals, start, end, debugInfo);
        if (sizes != null) sizes.put(name, end.getOffset());
        if (outlining != null) {
            Set<BlockNest> nests = new LinkedHashSet<>();
            for (Region r : outlining.regions()) {
                region(classOf.apply(outlining.owner(layout, r)), layout, funcidx, outlining, r, all, cachesMemory, spill,
                        givesFrames, sizes, emitter, debugInfo);
                Outlining.NestGroup group = outlining.group(r);
                if (group != null && !GroupDispatch.inNestMethod(group.nest())) nests.add(group.nest());
            }
            for (BlockNest nest : nests) GroupDispatch.emit(classOf, layout, outlining, nest);
        }
        return emitter.spillNeeds();
    }

    /**
     * Static method {@code name} of {@code cv}, whose frames, if {@code givesFrames} and {@code cv}
     * is a class writer that computes them, the emitters give rather than the writer
     * ({@link StackMapFrames}); the planner's trials, which write no frames, get the method as it is,
     * as does a class writer seen through another visitor, which computes the frames itself: that is
     * how a function whose frames the emitters could not give is written again
     * ({@code ModuleClasses.computingFrames}).
     */
    private static MethodVisitor method(ClassVisitor cv, boolean givesFrames, String name, String descriptor, Locals locals) {
        return givesFrames && cv instanceof ClassWriter cw && cw.hasFlags(ClassWriter.COMPUTE_FRAMES)
                ? StackMapFrames.method(cw, ACC_STATIC, name, descriptor, locals.referenceSlots())
                : cv.visitMethod(ACC_STATIC, name, descriptor, null, null);
    }

    /**
     * Ends at {@code end} the method of function {@code funcidx}, which began at {@code start},
     * naming its locals if {@code debugInfo}.
     */
    private static void finish(MethodVisitor mv, ModuleLayout layout, int funcidx, Locals locals, Label start, Label end,
                               boolean debugInfo) {
        mv.visitLabel(end);
        if (debugInfo) localNames(mv, layout, funcidx, locals, start, end);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** The function's parameters, then its declared locals. */
    static List<ValType> allLocals(WasmModule module, int funcidx, FunctionBody body) {
        List<ValType> all = new ArrayList<>(module.funcType(funcidx).params());
        all.addAll(body.locals());
        return all;
    }

    /**
     * The method of outlined construct {@code r}: the construct's code read on its own, with the
     * analyses of {@code function}'s emitter, and its line numbers if {@code debugInfo}; its bytecode
     * put into {@code sizes} under its name if {@code sizes} is not {@code null}.
     */
    private static void region(ClassVisitor cw, ModuleLayout layout, int funcidx, Outlining outlining, Region r,
                               List<ValType> all, boolean cachesMemory, OperandStack.Spill spill, boolean givesFrames,
                               Map<String, Integer> sizes, FunctionEmitter function, boolean debugInfo) {
        Locals locals = Locals.region(r.operands(), all, r.touched(), cachesMemory, spill);
        String name = outlining.methodName(r);
        MethodVisitor mv = new BranchFusion(new LineEntries(method(cw, givesFrames, name, outlining.methodDescriptor(r), locals),
                debugInfo));
        mv.visitCode();
        FunctionEmitter emitter = new FunctionEmitter(mv, layout, locals, funcidx, outlining.method(r), r.type);
        emitter.partOf(function);
        outlining.lowerPart(r, emitter);
        if (sizes != null) {
            Label end = new Label();
            mv.visitLabel(end);
            sizes.put(name, end.getOffset());
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** A LocalVariableTable from the name section's local names, so debuggers show them. */
    private static void localNames(MethodVisitor mv, ModuleLayout layout, int funcidx, Locals locals, Label start, Label end) {
        Map<Integer, String> names = layout.module.names().locals().get(funcidx);
        if (names == null) return;
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            int l = e.getKey();
            if (l < 0 || l >= locals.count() || locals.slot(l) < 0) continue;
            // A v128 local is two long slots, which no one entry describes: its low half is shown.
            String descriptor = locals.type(l) == ValType.V128 ? "J" : JvmType.descriptor(locals.type(l));
            mv.visitLocalVariable(ModuleLayout.legal(e.getValue()), descriptor, null, start, end, locals.slot(l));
        }
    }
}
