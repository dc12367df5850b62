package dev.wasm2jvm.compiler.emit.split;

import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.ArrayList;
import java.util.List;

/**
 * A chain of {@code [] -> []} blocks each of which opens the body of the one before, as compilers
 * lower a switch: the innermost block's body (the entry) picks a case and branches to the end of
 * one of the blocks, where that case's code follows, in the body of the next block out, until it
 * branches out or falls through into the next case.
 *
 * <p>A nest too large for one method runs as a state machine. State {@code k} (1 to the number of
 * blocks) is "just after the end of block {@code k}", block 1 being the outermost, so state 1 leaves
 * the nest. The method that holds the nest keeps the entry, the code of state 1 (what follows the
 * nest) and a dispatcher; a branch to any other block sets the state and jumps to the dispatcher, which calls
 * the method of the group of states holding it. A group's method opens blocks standing for the
 * nest's blocks that its code closes, enters at the state it is given and returns, as an outlined
 * construct does, the exit code of the block around its outermost block; the dispatcher turns that
 * code back into the next state. States only decrease, so the machine always ends.
 */
public final class BlockNest {
    /** Fewer blocks than this are left to the ordinary outlining of constructs. */
    static final int MIN_BLOCKS = 3;

    /** The blocks, outermost first: block {@code k} is {@code blocks.get(k - 1)}. */
    final List<Region> blocks;
    public final List<Group> groups = new ArrayList<>();

    /** States {@code first..last}, outlined together as {@code region}. */
    public record Group(Region region, int first, int last) {
        /** The nest's blocks that the group's code closes: those of states {@code first - 1..last - 1}. */
        public int blocks() {
            return last - first + 1;
        }
    }

    /**
     * @param ranges the outlined groups of states, each {@code {first, last}}, covering
     *     {@code 2..blocks.size()} in order
     */
    BlockNest(WasmModule module, FunctionBody body, List<Region> blocks, List<int[]> ranges) {
        this.blocks = blocks;
        for (int[] range : ranges) {
            int first = range[0];
            int last = range[1];
            int start = block(last).end;
            int end = block(first - 1).end;
            // The group closes blocks first - 1 to last - 1.
            Region region = RegionScanner.scanGroup(module, body, blocks.subList(first - 2, last - 1), start, end);
            groups.add(new Group(region, first, last));
        }
    }

    /** The chain of plain blocks that starts at {@code head}, each the first instruction of the one before. */
    static List<Region> chain(Region head) {
        List<Region> chain = new ArrayList<>();
        if (!head.isPlainBlock()) return chain;
        for (Region r = head; r != null; r = inner(r)) chain.add(r);
        return chain;
    }

    /**
     * How many blocks {@link #chain} would list: the planner asks it of every region, most of which
     * head no nest, and the lists it made were 0.2 to 0.3% of the SQLite shell's compiling thread
     * (async-profiler, 20 rounds with {@code --library}).
     */
    static int chainLength(Region head) {
        if (!head.isPlainBlock()) return 0;
        int length = 0;
        for (Region r = head; r != null; r = inner(r)) length++;
        return length;
    }

    /** The next block of a chain inside {@code block}: its first instruction if that is a plain block, else {@code null}. */
    private static Region inner(Region block) {
        if (block.children.isEmpty()) return null;
        Region first = block.children.get(0);
        return first.isPlainBlock() && first.start == block.bodyStart ? first : null;
    }

    public Region block(int k) {
        return blocks.get(k - 1);
    }

    public int size() {
        return blocks.size();
    }
}
