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
    private final Map<Integer, Region> outlined = new HashMap<>();
    private final Map<Integer, Region> sequences = new HashMap<>();
    private final Map<Region, StackShape> shapes = new HashMap<>();

    /**
     * Where an outlined part's values sit on the function's operand stack: from position
     * {@code base}; and for a sequence, the values it finds spilled, the top {@code entryValues} of
     * {@code entry}, and leaves spilled, the top {@code exitValues} of {@code exit}: the values of a
     * deep frame (see {@link OperandStack}) that it reaches.
     */
    record StackShape(int base, OperandStack.Value entry, int entryValues, OperandStack.Value exit, int exitValues) {}

    /**
     * @param heights the stack heights of the unsplit function, as {@link SplitPlan#plan} takes them
     *     and with the lowest height of the operand stack since the reachable instruction before fourth
     * @param stacks the operand stack before each reachable instruction of the unsplit function
     */
    Outlining(ModuleLayout layout, int funcidx, FunctionBody body, Region root, SplitPlan.Plan plan, List<ValType> locals,
              Map<Integer, int[]> heights, Map<Integer, OperandStack.Value> stacks) {
        this.layout = layout;
        this.funcidx = funcidx;
        this.body = body;
        this.functionResults = root.type.results();
        collect(root, plan.constructs());
        for (Region s : plan.sequences()) sequences.put(s.start, s);
        for (Region r : regions()) shapes.put(r, shape(r, heights, stacks));
        this.frame = new RegionFrame(layout.owner + "$" + layout.functionName(funcidx) + "$Frame", locals,
                Math.max(root.maxArity(), functionResults.size()));
    }

    private static StackShape shape(Region r, Map<Integer, int[]> heights, Map<Integer, OperandStack.Value> stacks) {
        // A construct in unreachable code is never called.
        if (!heights.containsKey(r.start)) return new StackShape(0, null, 0, null, 0);
        OperandStack.Value start = stacks.get(r.start);
        int height = start == null ? 0 : start.height();
        if (r.opcode != Region.SEQUENCE) return new StackShape(height - r.operands().size(), null, 0, null, 0);
        OperandStack.Value end = stacks.get(r.end);
        int exit = end == null ? 0 : end.height();
        int floor = Math.min(height, exit);
        for (int p = r.start + 1; p <= r.end; p++) {
            if (heights.containsKey(p)) floor = Math.min(floor, heights.get(p)[3]);
        }
        return new StackShape(floor, start, height - floor, end, exit - floor);
    }

    /** Where outlined part {@code r}'s values sit on the function's operand stack. */
    StackShape shape(Region r) {
        return shapes.get(r);
    }

    private void collect(Region root, Set<Integer> starts) {
        for (Region r : root.subtree()) {
            if (r != root && starts.contains(r.start)) outlined.put(r.start, r);
        }
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
        return sb.append(frame.descriptor()).append(layout.ownerDescriptor()).append(")I").toString();
    }

    /** The types carried by a branch from inside {@code r} to the label {@code depth} frames out of it. */
    List<ValType> outerLabelTypes(Region r, int depth) {
        Region frame = r.parent;
        for (int i = 0; i < depth; i++) frame = frame.parent;
        return frame.parent == null ? functionResults : frame.labelTypes();
    }

    /**
     * The exit codes of {@code r} that a call site must tell apart, besides fallthrough: its return,
     * and its branches out, each one when they are known, else one per label of the calling method
     * (there are {@code labelsInMethod}).
     */
    static List<Integer> exitCodes(Region r, int labelsInMethod) {
        List<Integer> codes = new ArrayList<>();
        if (r.returns) codes.add(RegionFrame.RETURN);
        if (r.manyEscapes) {
            for (int depth = 0; depth < labelsInMethod; depth++) codes.add(1 + depth);
        } else {
            for (int depth : r.escapes) codes.add(1 + depth);
        }
        return codes;
    }
}
