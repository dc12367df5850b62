package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.layout.JvmLimits;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.ValType;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * A structured construct ({@code block}, {@code loop} or {@code if}) of a function body, or the body
 * itself, with what an outlined copy of it needs to know: its byte range, the locals it reads and
 * writes, and how control can leave it.
 */
public final class Region {
    /** The most escapes recorded one by one; nests of switch cases can branch to thousands of labels. */
    static final int MAX_ESCAPES = 64;

    /**
     * The {@link #opcode} of an instruction sequence outlined as if it were a block: its type takes
     * the frame's stack where it starts and gives the one where it ends.
     */
    public static final int SEQUENCE = -2;
    /**
     * The {@link #opcode} of a group of a {@link BlockNest}'s states outlined together: it has no
     * frame of its own (its code closes blocks that it opens in a prologue) and takes the state to
     * start at as its operand.
     */
    public static final int STATES = -3;

    /** The opcode of the construct, {@link #SEQUENCE}, or -1 for the function body. */
    public final int opcode;
    /** The construct's type: its operands and results. */
    public final FuncType type;
    /** The position in the body's code of the construct's first instruction. */
    public final int start;
    /** The position of the first instruction inside a construct, after its block type. */
    int bodyStart;
    /** The position just after the construct's {@code end}. */
    public int end;
    /** The region that encloses this one, or {@code null} for the function body. */
    public final Region parent;
    final List<Region> children = new ArrayList<>();
    final BitSet reads = new BitSet();
    public final BitSet writes = new BitSet();
    /**
     * The depths of the labels outside the construct that its branches target, counted from the
     * frame that encloses the construct (0 is that frame's label). A bit set, as each closing
     * construct folds its child's into its own shifted by one: as a {@code TreeSet} of boxed depths,
     * added one by one, they were 0.7% of the SQLite shell's compiling thread.
     */
    public final BitSet escapes = new BitSet();
    /**
     * Whether more than {@link #MAX_ESCAPES} distinct labels are targeted: then {@link #escapes} is
     * incomplete, and a call site dispatches on every label of its method instead.
     */
    public boolean manyEscapes;
    /** The position of an {@code if}'s {@code else}, or -1. */
    int elseAt = -1;
    /** The calls the region contains, weighed as {@link JvmLimits#callWeight} says. */
    public int calls;
    /**
     * The SIMD instructions that compute (without a memarg) the region contains: a loop of enough
     * of them is outlined to be compiled as a method ({@link JvmLimits#SIMD_LOOP}).
     */
    int simd;
    /** The bytes of the region's {@code br_table} instructions, whose size in bytecode does not follow their size in wasm. */
    int tableBytes;
    /** About how much bytecode those {@code br_table} instructions take. */
    int tableCode;
    /** Whether the construct contains a {@code return}. */
    public boolean returns;
    /**
     * Whether a loop lies inside this region: folded in as each child closes ({@link #absorb}). A walk
     * of the subtree to its first loop, for each large loop the planner weighs, was 0.2% of the SQLite
     * shell's compiling thread (async-profiler, 20 rounds with {@code --library}).
     */
    private boolean holdsLoop;
    /**
     * Whether the construct is a {@code try_table} or legacy {@code try}, or lies inside one. The
     * method of such an outlined part writes each local it sets through to the frame at once, for
     * the handler in a method above it, which an exception reaches without the part's exit.
     */
    public final boolean catching;
    /**
     * The labels outside the region, counted as {@link #escapes} are, that a {@code rethrow} or
     * {@code delegate} in it names: the exception a rethrow throws and the handlers a delegate skips
     * are the business of the method holding that label.
     */
    final TreeSet<Integer> exceptionEscapes = new TreeSet<>();
    /** The largest number of values any label or the function's end carries, in this region's subtree. */
    private int maxArity;
    /**
     * This region and every region inside it, once asked for: the tree is whole once scanned (a
     * sequence or a group of states scanned after hangs from it by its parent, not among its
     * children).
     */
    private List<Region> subtree;

    Region(Region parent, int opcode, FuncType type, int start) {
        this.parent = parent;
        this.opcode = opcode;
        this.type = type;
        this.start = start;
        this.catching = parent != null && parent.catching
                || opcode == Opcodes.TRY || opcode == Opcodes.TRY_TABLE;
        this.maxArity = Math.max(type.params().size(), type.results().size());
    }

    /** The types a branch to this region's label carries: a loop's parameters, else its results. */
    public List<ValType> labelTypes() {
        return opcode == Opcodes.LOOP ? type.params() : type.results();
    }

    /**
     * The operands an outlined copy takes from the stack: the parameters, and an if's condition or a
     * group's state.
     */
    public List<ValType> operands() {
        if (opcode != Opcodes.IF && opcode != STATES) return type.params();
        List<ValType> operands = new ArrayList<>(type.params());
        operands.add(ValType.I32);
        return operands;
    }

    /** Whether a loop lies inside this region. */
    boolean holdsLoop() {
        return holdsLoop;
    }

    /**
     * This region and every region inside it, parents before children, each region's children in
     * order and after those of the regions before it; iterative, as nests can be thousands deep.
     * Built once per region (the planner asks for the function body's for each plan and each
     * outlining: the lists were 0.66% of the SQLite shell's compiling thread), and not to be changed.
     */
    public List<Region> subtree() {
        if (subtree == null) {
            List<Region> all = new ArrayList<>();
            all.add(this);
            // One by one: addAll copies each child list into an array first.
            for (int i = 0; i < all.size(); i++) {
                for (Region child : all.get(i).children) all.add(child);
            }
            subtree = Collections.unmodifiableList(all);
        }
        return subtree;
    }

    /**
     * The largest number of values any label or the function's end carries, in this region's
     * subtree: folded in as each child closes ({@link #absorb}).
     */
    public int maxArity() {
        return maxArity;
    }

    int size() {
        return end - start;
    }

    /** The locals an outlined copy must receive and give back. */
    public BitSet touched() {
        BitSet all = (BitSet) reads.clone();
        all.or(writes);
        return all;
    }

    /** Whether this is a {@code block} of type {@code [] -> []}. */
    boolean isPlainBlock() {
        return opcode == Opcodes.BLOCK && type.params().isEmpty() && type.results().isEmpty();
    }

    /**
     * Whether the region must stay in the method of the code around it: a try construct, whose
     * handler, clauses and delegate belong to that method, or a region naming a label outside it in a
     * {@code rethrow} or {@code delegate}.
     */
    boolean staysWithHandlers() {
        return opcode == Opcodes.TRY || opcode == Opcodes.TRY_TABLE
                || !exceptionEscapes.isEmpty();
    }

    /**
     * Folds a closed child's facts into this region. A construct is a frame of its own, so its
     * child's branches to depth 0 stay inside it; a sequence or a group of states is not, so they
     * leave it.
     */
    void absorb(Region child) {
        children.add(child);
        maxArity = Math.max(maxArity, child.maxArity);
        reads.or(child.reads);
        writes.or(child.writes);
        returns |= child.returns;
        holdsLoop |= child.holdsLoop || child.opcode == Opcodes.LOOP;
        int own = opcode == SEQUENCE || opcode == STATES ? 0 : 1;
        manyEscapes |= child.manyEscapes;
        calls += child.calls;
        simd += child.simd;
        tableBytes += child.tableBytes;
        tableCode += child.tableCode;
        // Most children have none, and a set's iterator is made even for an empty one.
        if (!child.exceptionEscapes.isEmpty()) {
            for (int depth : child.exceptionEscapes) {
                if (depth >= own) exceptionEscapes.add(depth - own);
            }
        }
        if (manyEscapes || child.escapes.isEmpty()) return;
        // Added together, they pass MAX_ESCAPES exactly when they would one by one.
        escapes.or(own == 0 ? child.escapes : child.escapes.get(own, Math.max(own, child.escapes.length())));
        tooManyEscapes();
    }

    /** Records a branch to the label {@code depth} frames out of this region. */
    void escape(int depth) {
        if (manyEscapes || escapes.get(depth)) return;
        escapes.set(depth);
        tooManyEscapes();
    }

    /** Past {@link #MAX_ESCAPES} escapes, marks the region as having many, and forgets them. */
    private void tooManyEscapes() {
        if (escapes.cardinality() > MAX_ESCAPES) {
            manyEscapes = true;
            escapes.clear();
        }
    }
}
