package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.module.FunctionBody;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The loads and stores of a function body whose bounds check an earlier access already made (issue
 * 12): such an access calls a {@code MemoryAccess} helper without one.
 *
 * <p><b>The rule.</b> A load or store whose address operand is the value of {@code local.get L}
 * (or of {@code local.tee L}) while {@code L} still holds it, of memory {@code m}, with
 * {@code memarg.offset} {@code o} and width {@code w}, is proven when every path to it executed an
 * access of {@code m} through the same value of {@code L} with an extent {@code o' + w' >= o + w}.
 * That access did not trap, so {@code zext(L) + o' + w'} was at most {@code m}'s size then, and a
 * memory's size never shrinks: the runtime's {@code Memory.grow} is the only thing that replaces
 * its segment, with a longer one, for every kind of memory (shared, memory64, imported: an import
 * is the same {@code Memory} object). An unshared memory may move when it grows (copied into a
 * larger allocation or its reservation), but only its own thread grows it, and each access reads
 * the address and length the {@code Memory} holds then ({@code Memory.base}, {@code byteLength}), which
 * follow every growth of that thread. A shared memory, which other threads grow, is reserved at its
 * maximum and never moves, so an older address of it addresses the same bytes. So {@code zext(L) + o + w} lies within
 * the memory the access reaches, whatever ran in between: calls, {@code memory.grow}, other
 * threads. For a 64-bit memory the address does not
 * wrap either: the earlier access would have trapped. Nothing is checked early: an access is
 * elided only when one that already executed proved it, so every trap stays where wasm has it.
 * Checking a stretch of straight-line accesses through one or two locals at its first access (a
 * trap left at every check is most of what C2 spends on them) made blake3-scalar's compression
 * function 0.78 of C2's CPU and no program faster as a whole process: the benchmarks README,
 * "Where C2's time goes on short programs", measured and not kept.
 *
 * <p><b>The analysis</b>, one forward pass over the structured code: the fact set maps a memory and
 * a local to the largest extent proven for the local's current value. An access through a local adds
 * its extent after it; {@code local.set} and {@code local.tee} of the local drop its facts (they are
 * the only instructions that write a local: a split function's frame restore writes back the values
 * the locals held, the same values). Where paths join, the facts are those of every incoming edge,
 * each at the smallest extent: at the end of a {@code block} or {@code if} (its branches, its
 * fallthrough, an {@code if} without {@code else} its condition's edge too). A {@code loop} header
 * keeps the facts of its entry only for the locals its body never writes: a back edge is reached
 * from the header through the body alone, so such a local holds the entry's value there. After an
 * unconditional branch, {@code return} or {@code unreachable} the code is unreachable until the next
 * join. A body with exception handling ({@code try_table}, legacy {@code try}) is left with every
 * check: a throw from any call in it reaches its handlers. The pass follows an {@link AccessTrace}
 * of the body, which has settled which accesses address a local's current value and which locals
 * each loop writes in one reading of it, so the body is decoded once.
 *
 * <p><b>What it finds and what it gains</b> (the README's "Bounds checks proved by earlier
 * accesses" has the figures in full): statically 41 to 46% of the scalar loads and stores of the
 * Sightglass programs and the SQLite shell (richards 28%), a quarter to a third of the time spent in
 * access helpers by profile. Whole processes against the compiler without it, medians of the CPU
 * ratio: libsodium-sign 0.89, blind-sig 0.93, richards 0.94, regex and pulldown-cmark 0.97,
 * rust-html-rewriter 0.98, rust-json 0.99, the SQLite shell 0.99, Sightglass sqlite3 1.00 (12 to 14
 * pairs, 6 for the shell, load average 6 to 16). It takes about 7% of the compiling thread on the
 * SQLite shell's module, 12% before it read each body once ({@link AccessTrace}) and held its facts
 * in arrays ({@link Facts}): the README's "What it costs the compiler" says where. On Sightglass
 * {@code sqlite3} and {@code regex}, whose functions are small, 8.7 and 9.0%, two thirds of it the
 * trace's reading; following a trace only up to its last access (none of fewer than two) and
 * searching the facts once per access made the analysis alone about 5% cheaper (the README's "the
 * bounds-check analysis").
 */
final class ProvenAccesses {
    /**
     * The most facts held at once: copying and joining them at each {@code if} and {@code end} is
     * then bounded per instruction, so the pass stays linear in the body however many locals a
     * function accesses through; a fact not kept only leaves a later check in place.
     */
    static final int MAX_FACTS = 32;

    private final int baseOffset;
    private final BitSet proven = new BitSet();
    /** The facts at the current event, keyed by {@link AccessTrace#key}; {@code null} where it is unreachable. */
    private Facts facts = new Facts();
    /** The open constructs, innermost last: label {@code l} is {@code frames.get(frames.size() - 1 - l)}. */
    private final List<Frame> frames = new ArrayList<>();

    private ProvenAccesses(int baseOffset) {
        this.baseOffset = baseOffset;
    }

    /** The proven accesses of {@code body}, by module offset. */
    static ProvenAccesses of(FunctionBody body) {
        AccessTrace trace = AccessTrace.of(body);
        ProvenAccesses analysis = new ProvenAccesses(body.offset());
        // The first access of a body is never proven, so one access alone needs no facts.
        if (!trace.handlesExceptions && trace.accesses > 1) analysis.follow(trace);
        return analysis;
    }

    /** Whether the load or store at module offset {@code offset} needs no bounds check. */
    boolean proven(int offset) {
        return offset >= baseOffset && proven.get(offset - baseOffset);
    }

    /** A construct's frame: what reaches its end, and an {@code if}'s facts at its condition. */
    private static final class Frame {
        final boolean loop;
        /** The meet of the edges to the end so far; null while none reached it. */
        Facts atEnd;
        /** For an {@code if}: the facts at its condition, which its other arm starts with. */
        Facts atCondition;
        /** Whether the frame is an {@code if} whose {@code else} has not come: its condition's false edge goes to its end. */
        boolean falseEdgeToEnd;
        /** The {@code br_table} event whose edge the end took last: a table's other labels to it add nothing. */
        int tableEdge = -1;

        Frame(boolean loop) {
            this.loop = loop;
        }
    }

    private void follow(AccessTrace trace) {
        int accesses = 0;
        for (int event = 0; event < trace.followed; event++) {
            int arg = trace.args[event];
            switch (trace.kinds[event]) {
                case AccessTrace.ACCESS -> {
                    access(arg, trace.keys[accesses], trace.extents[accesses]);
                    accesses++;
                }
                case AccessTrace.WRITE -> {
                    if (facts != null) facts.removeLocal(arg);
                }
                case AccessTrace.OPEN -> frames.add(new Frame(false));
                case AccessTrace.OPEN_LOOP -> loopHeader(trace.loopWrites.get(arg));
                case AccessTrace.OPEN_IF -> {
                    Frame frame = new Frame(false);
                    frame.atCondition = copy(facts);
                    frame.falseEdgeToEnd = true;
                    frames.add(frame);
                }
                case AccessTrace.ELSE -> {
                    Frame frame = frames.getLast();
                    frame.atEnd = meet(frame.atEnd, facts, true);
                    facts = frame.atCondition;
                    frame.atCondition = null;
                    frame.falseEdgeToEnd = false;
                }
                case AccessTrace.END -> end();
                case AccessTrace.BR -> {
                    branch(arg, true);
                    facts = null;
                }
                case AccessTrace.BR_IF -> branch(arg, false);
                case AccessTrace.BR_TABLE -> {
                    int[] labels = trace.tables.get(arg);
                    for (int i = 0; i < labels.length; i++) {
                        if (labels[i] < frames.size()) {
                            Frame target = frames.get(frames.size() - 1 - labels[i]);
                            if (target.tableEdge == event) continue;
                            target.tableEdge = event;
                        }
                        branch(labels[i], i == labels.length - 1);
                    }
                    facts = null;
                }
                case AccessTrace.STOP -> facts = null;
                default -> throw new IllegalStateException("no such event: " + trace.kinds[event]);
            }
        }
    }

    private void access(int position, long key, long extent) {
        if (facts == null) return;
        int known = facts.indexOf(key);
        if (known < 0) {
            if (facts.size() < MAX_FACTS) facts.add(key, extent);
        } else if (facts.extentAt(known) >= extent) {
            proven.set(position);
        } else {
            facts.setExtentAt(known, extent);
        }
    }

    /** A loop's header keeps the facts of its entry for the locals its body never writes. */
    private void loopHeader(BitSet written) {
        if (facts != null && !written.isEmpty()) facts.removeLocals(written);
        frames.add(new Frame(true));
    }

    private void end() {
        if (frames.isEmpty()) return;
        Frame frame = frames.removeLast();
        if (frame.loop) return;
        Facts joined = meet(frame.atEnd, facts, true);
        if (frame.falseEdgeToEnd) joined = meet(joined, frame.atCondition, true);
        facts = joined;
    }

    /**
     * An edge to label {@code labelidx}: a block's or if's end takes the current facts, a loop's
     * header none; {@code last} when nothing reads the current facts after this edge, which the
     * end may then keep rather than a copy.
     */
    private void branch(int labelidx, boolean last) {
        if (labelidx >= frames.size()) return;
        Frame target = frames.get(frames.size() - 1 - labelidx);
        if (!target.loop) target.atEnd = meet(target.atEnd, facts, last);
    }

    /**
     * The facts that hold on both of two edges into a join, each at its smallest extent, null being
     * an edge that nothing reaches. The join's own {@code into} is narrowed in place (a meet made a
     * new set of facts each, a {@code br_table} one per label); {@code edge} is left as it is unless
     * {@code take}, when the join may keep it.
     */
    private static Facts meet(Facts into, Facts edge, boolean take) {
        if (edge == null) return into;
        if (into == null) return take ? edge : edge.copy();
        into.meet(edge);
        return into;
    }

    private static Facts copy(Facts facts) {
        return facts == null ? null : facts.copy();
    }
}
