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
    private final Map<Integer, Region> sequences = new HashMap<>();

    Outlining(ModuleLayout layout, int funcidx, FunctionBody body, Region root, SplitPlan.Plan plan, List<ValType> locals) {
        this.layout = layout;
        this.funcidx = funcidx;
        this.body = body;
        this.functionResults = root.type.results();
        collect(root, plan.constructs());
        for (Region s : plan.sequences()) sequences.put(s.start, s);
        this.frame = new RegionFrame(locals, Math.max(root.maxArity(), functionResults.size()));
        this.hasRefs = locals.stream().anyMatch(ValType::isRef) || usesRefs(root);
    }

    private void collect(Region root, Set<Integer> starts) {
        for (Region r : root.subtree()) {
            if (r != root && starts.contains(r.start)) outlined.put(r.start, r);
        }
    }

    private static boolean usesRefs(Region root) {
        for (Region r : root.subtree()) {
            if (r.type.params().stream().anyMatch(ValType::isRef) || r.type.results().stream().anyMatch(ValType::isRef)) {
                return true;
            }
        }
        return false;
    }

    /** The outlined construct starting at {@code position} of the body, or {@code null}. */
    Region at(int position) {
        return outlined.get(position);
    }

    /** The outlined sequence starting at {@code position} of the body, or {@code null}. */
    Region sequenceAt(int position) {
        return sequences.get(position);
    }

    /** Every outlined construct and sequence. */
    List<Region> regions() {
        List<Region> all = new ArrayList<>(outlined.values());
        all.addAll(sequences.values());
        return all;
    }

    String methodName(Region r) {
        return layout.functionName(funcidx) + r.methodSuffix(body.offset());
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
