package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionVisitor;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.body.ControlEmitter;
import dev.wasm2jvm.compiler.emit.body.FunctionEmitter;
import dev.wasm2jvm.compiler.emit.body.Locals;
import dev.wasm2jvm.compiler.emit.body.MemoryEmitter;
import dev.wasm2jvm.compiler.emit.body.OperandStack;
import dev.wasm2jvm.compiler.emit.body.SplitMethod;
import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.ModuleLayout;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.ToIntFunction;

/** The constructs of one function that are outlined into methods of their own, and how to call them. */
public final class Outlining {
    final ModuleLayout layout;
    final int funcidx;
    public final FunctionBody body;
    public final RegionFrame frame;
    public final List<ValType> functionResults;
    private final Map<Integer, Region> outlined = new HashMap<>();
    /** The try constructs by start, whose handlers reload the locals their bodies write from the frame. */
    private final Map<Integer, Region> catchers = new HashMap<>();
    private final Map<Integer, Region> sequences = new HashMap<>();
    /**
     * The positions where an outlined construct or sequence starts: the emitters ask at every
     * instruction of a split function, and a boxed key hashed there cost more than the answer.
     */
    private final BitSet partStarts = new BitSet();
    /** The blocks of the nests run as state machines, by position. */
    private final Map<Integer, Link> links = new HashMap<>();
    private final Map<Region, NestGroup> groups = new LinkedHashMap<>();
    private final MethodLocals methodLocals;

    /** Block {@code k} of {@code nest}. */
    public record Link(BlockNest nest, int k) {}

    /** Group {@code group} of {@code nest}. */
    public record NestGroup(BlockNest nest, BlockNest.Group group) {}
    private final Map<Region, StackShape> shapes = new HashMap<>();
    /**
     * Each part's method name and descriptor, made once and interned: a part is called from every
     * place that enters it, and strings built at each call were hashed and compared again by the
     * frames' table of descriptors and ASM's constant pool, where an interned one is found by
     * identity (0.6 to 0.8% of the SQLite shell's compiling thread in those lookups).
     */
    private final Map<Region, String> methodNames = new HashMap<>();
    private final Map<Region, String> methodDescriptors = new HashMap<>();
    /** The code class of each part's method, as the pipeline places them once every function is planned. */
    private ToIntFunction<Region> codeClass = r -> 0;

    /**
     * Where an outlined part's values sit on the function's operand stack: from position
     * {@code base}; and for a sequence, the values it finds spilled, the top {@code entryValues} of
     * {@code entry}, and leaves spilled, the top {@code exitValues} of {@code exit}: the values of a
     * deep frame (see {@link OperandStack}) that it reaches.
     */
    public record StackShape(int base, OperandStack.Value entry, int entryValues, OperandStack.Value exit, int exitValues) {}

    /**
     * @param flow the instructions of {@code body} that {@link MethodLocals} follows, recorded as {@code root} was scanned
     * @param points the frame before each reachable instruction of the unsplit function, as {@link SplitPlan#plan} takes them
     */
    Outlining(ModuleLayout layout, int funcidx, FunctionBody body, Region root, FlowInstructions flow, SplitPlan.Plan plan, List<ValType> locals,
              NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points) {
        this.layout = layout;
        this.funcidx = funcidx;
        this.body = body;
        this.functionResults = root.type.results();
        collect(root, plan.constructs());
        for (Region s : plan.sequences()) sequences.put(s.start, s);
        for (int start : outlined.keySet()) partStarts.set(start);
        for (int start : sequences.keySet()) partStarts.set(start);
        for (BlockNest nest : plan.nests()) {
            for (int k = 1; k <= nest.size(); k++) links.put(nest.block(k).start, new Link(nest, k));
            for (BlockNest.Group g : nest.groups) groups.put(g.region(), new NestGroup(nest, g));
        }
        int maxValues = Math.max(root.maxArity(), functionResults.size());
        for (Region s : plan.sequences()) maxValues = Math.max(maxValues, s.type.results().size());
        this.frame = new RegionFrame(GeneratedNames.frameClass(layout.owner, funcidx), locals, maxValues);
        Map<Region, Integer> prologues = new HashMap<>();
        for (NestGroup g : groups.values()) prologues.put(g.group().region(), g.group().blocks());
        this.methodLocals = new MethodLocals(flow, regions(), prologues);
        for (Region r : regions()) shapes.put(r, shape(r, points));
    }

    /**
     * The shape of {@code r}: a sequence takes the values of a frame on the JVM stack as operands and
     * leaves its results there, and finds those of a deep frame spilled, down to the lowest it reaches.
     */
    private StackShape shape(Region r, NavigableMap<Integer, SplitPlan.Point<OperandStack.Value>> points) {
        NestGroup group = groups.get(r);
        // A group's values start where its nest's do: the nest's blocks take and leave none.
        SplitPlan.Point<OperandStack.Value> start = points.get(group != null ? group.nest().block(1).start : r.start);
        // A construct in unreachable code is never called.
        if (start == null) return new StackShape(0, null, 0, null, 0);
        if (r.opcode != Region.SEQUENCE) {
            return new StackShape(start.height() - (group != null ? 0 : r.operands().size()), null, 0, null, 0);
        }
        SplitPlan.Point<OperandStack.Value> end = points.get(r.end);
        int entry = start.height() - r.operands().size();
        int exit = end.height() - r.type.results().size();
        int floor = Math.min(entry, exit);
        for (SplitPlan.Point<OperandStack.Value> p : points.subMap(r.start, false, r.end, true).values()) floor = Math.min(floor, p.lowWater());
        return new StackShape(floor, start.stack(), entry - floor, end.stack(), exit - floor);
    }

    /**
     * The method of outlined part {@code r}, or of the function itself for {@code null}, as the
     * body emitters see it: they lower its instructions, this package its pseudo-operations.
     */
    public SplitMethod method(Region r) {
        return new Method(this, r);
    }

    private record Method(Outlining outlining, Region region) implements SplitMethod {
        @Override
        public int bodyOffset() {
            return outlining.body.offset();
        }

        @Override
        public int stackBase() {
            return region == null ? 0 : outlining.shape(region).base();
        }

        @Override
        public boolean outlinedPart() {
            return region != null;
        }

        @Override
        public SplitMethod.Ops lower(MethodVisitor mv, ModuleLayout layout, Locals locals, OperandStack stack,
                                     ControlEmitter control, MemoryEmitter memory) {
            return new OutlinedCalls(mv, layout, locals, stack, control, memory, outlining, region);
        }
    }

    /** Where outlined part {@code r}'s values sit on the function's operand stack. */
    public StackShape shape(Region r) {
        return shapes.get(r);
    }

    private void collect(Region root, BitSet starts) {
        for (Region r : root.subtree()) {
            if (r != root && starts.get(r.start)) outlined.put(r.start, r);
            if (r.opcode == Opcodes.TRY || r.opcode == Opcodes.TRY_TABLE) catchers.put(r.start, r);
        }
    }

    /** The {@code try_table} or legacy {@code try} starting at {@code position} of the body. */
    public Region catcher(int position) {
        return catchers.get(position);
    }

    /** The outlined construct starting at {@code position} of the body, or {@code null}. */
    public Region at(int position) {
        return partStarts.get(position) ? outlined.get(position) : null;
    }

    /** The outlined sequence starting at {@code position} of the body, or {@code null}. */
    public Region sequenceAt(int position) {
        return partStarts.get(position) ? sequences.get(position) : null;
    }

    /** The block of a nest run as a state machine that starts at {@code position} of the body, or {@code null}. */
    public Link link(int position) {
        return links.get(position);
    }

    /** The nest group that {@code r} outlines, or {@code null}. */
    public NestGroup group(Region r) {
        return groups.get(r);
    }

    /** Every outlined construct, sequence and group of states. */
    public List<Region> regions() {
        List<Region> all = new ArrayList<>(outlined.values());
        all.addAll(sequences.values());
        all.addAll(groups.keySet());
        return all;
    }

    /**
     * Lowers the method of outlined part {@code r} with {@code emitter}: the part's prologue, its
     * own range of the body, read in place (a group's closes the blocks of its nest that the
     * prologue opened), and its end, which closes its outermost frame.
     */
    public void lowerPart(Region r, FunctionEmitter emitter) {
        lowerPart(r, emitter, emitter);
    }

    /** As {@link #lowerPart(Region, FunctionEmitter)}, the part's instructions going to {@code reader}, which hands them to {@code emitter}. */
    void lowerPart(Region r, FunctionEmitter emitter, InstructionVisitor reader) {
        emitter.enterPart();
        NestGroup g = groups.get(r);
        CodeReader.readPart(body.code(), r.start, r.end, body.offset(), g == null ? 0 : g.group().blocks(), reader);
        emitter.endPart(r.end);
    }

    /**
     * Of the locals in {@code set}, those that the method of {@code method} (the function's if
     * {@code null}) keeps in its own slots: the others stay in the frame while it runs.
     */
    public BitSet inSlots(Region method, BitSet set) {
        BitSet both = (BitSet) set.clone();
        both.and(methodLocals.named(method));
        return both;
    }

    /** The locals that outlined part {@code r} takes from the frame when its method starts. */
    BitSet entering(Region r) {
        return methodLocals.entering(r);
    }

    /** The locals that outlined part {@code r} hands back in the frame when it leaves other than by returning. */
    public BitSet leaving(Region r) {
        return methodLocals.leaving(r);
    }

    /**
     * Places the parts' methods in the code classes of the module that {@code codeClass} says
     * ({@code ClassPartition}, which weighs every function's methods).
     */
    public void place(ToIntFunction<Region> codeClass) {
        this.codeClass = codeClass;
    }

    /** The internal name of the class holding the method of outlined part {@code r} in {@code layout}. */
    public String owner(ModuleLayout layout, Region r) {
        return layout.codeClassOwner(codeClass.applyAsInt(r));
    }

    /** The name of the method of outlined part {@code r}, after its function's: the kind and the module offset. */
    public String methodName(Region r) {
        return methodNames.computeIfAbsent(r, this::newMethodName);
    }

    private String newMethodName(Region r) {
        String kind = switch (r.opcode) {
            case Opcodes.BLOCK -> "block";
            case Opcodes.LOOP -> "loop";
            case Opcodes.IF -> "if";
            case Region.STATES -> "states";
            default -> "seq";
        };
        return GeneratedNames.outlinedPart(layout.functionName(funcidx), kind, body.offset() + r.start).intern();
    }

    /** The descriptor of the method of outlined part {@code r}: its operands, the frame and the instance. */
    public String methodDescriptor(Region r) {
        return methodDescriptors.computeIfAbsent(r, this::newMethodDescriptor);
    }

    private String newMethodDescriptor(Region r) {
        StringBuilder sb = new StringBuilder("(");
        for (ValType t : r.operands()) sb.append(JvmType.descriptor(t));
        return sb.append(frame.descriptor()).append(layout.ownerDescriptor()).append(")I").toString().intern();
    }

    /** The types carried by a branch from inside {@code r} to the label {@code depth} frames out of it. */
    public List<ValType> outerLabelTypes(Region r, int depth) {
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
            for (int depth = r.escapes.nextSetBit(0); depth >= 0; depth = r.escapes.nextSetBit(depth + 1)) codes.add(1 + depth);
        }
        return codes;
    }
}
