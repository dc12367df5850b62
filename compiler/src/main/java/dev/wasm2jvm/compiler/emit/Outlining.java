package dev.wasm2jvm.compiler.emit;

import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The constructs of one function that are outlined into methods of their own, and how to call them. */
final class Outlining {
    final ModuleLayout layout;
    final int funcidx;
    final FunctionBody body;
    final RegionFrame frame;
    final List<ValType> functionResults;
    final boolean hasRefs;
    private final Map<Integer, Region> outlined = new HashMap<>();

    Outlining(ModuleLayout layout, int funcidx, FunctionBody body, Region root, Set<Integer> starts, List<ValType> locals) {
        this.layout = layout;
        this.funcidx = funcidx;
        this.body = body;
        this.functionResults = root.type.results();
        collect(root, starts);
        this.frame = new RegionFrame(locals, Math.max(root.maxArity(), functionResults.size()));
        this.hasRefs = locals.stream().anyMatch(ValType::isRef) || usesRefs(root);
    }

    private void collect(Region r, Set<Integer> starts) {
        for (Region child : r.children) {
            if (starts.contains(child.start)) outlined.put(child.start, child);
            collect(child, starts);
        }
    }

    private static boolean usesRefs(Region r) {
        if (r.type.params().stream().anyMatch(ValType::isRef) || r.type.results().stream().anyMatch(ValType::isRef)) return true;
        for (Region c : r.children) if (usesRefs(c)) return true;
        return false;
    }

    /** The outlined construct starting at {@code position} of the body, or {@code null}. */
    Region at(int position) {
        return outlined.get(position);
    }

    Iterable<Region> regions() {
        return outlined.values();
    }

    String methodName(Region r) {
        return layout.functionName(funcidx) + "$" + Integer.toHexString(body.offset() + r.start);
    }

    String methodDescriptor(Region r) {
        StringBuilder sb = new StringBuilder("(");
        for (ValType t : r.operands()) sb.append(JvmType.descriptor(t));
        return sb.append("[J[Ljava/lang/Object;").append(layout.ownerDescriptor()).append(")I").toString();
    }

    /** The types carried by a branch from inside {@code r} to the label {@code depth} frames out of it. */
    List<ValType> outerLabelTypes(Region r, int depth) {
        Region frame = r.parent;
        for (int i = 0; i < depth; i++) frame = frame.parent;
        return frame.parent == null ? functionResults : frame.labelTypes();
    }

    /** The outlined constructs' exit codes a call site of {@code r} must dispatch on, besides fallthrough. */
    static List<Integer> exitCodes(Region r) {
        List<Integer> codes = new ArrayList<>();
        if (r.returns) codes.add(RegionFrame.RETURN);
        for (int depth : r.escapes) codes.add(1 + depth);
        return codes;
    }
}
