package dev.wasm2jvm.compiler.emit;

import java.util.HashSet;
import java.util.Set;

/**
 * Which constructs of a function to outline into methods of their own so that every generated
 * method stays within a bytecode budget: under HotSpot's 8000-byte limit for JIT compilation and
 * far under the JVM's 64 KiB method limit. Sizes are estimated from wasm bytes times the ratio of
 * bytecode to wasm measured for the function.
 */
final class SplitPlan {
    /** The bytecode an outlined method may have: below {@code DontCompileHugeMethods}' 8000 bytes. */
    static final int BUDGET = 7000;

    private final double bytecodePerByte;
    private final int budget;
    private final Set<Integer> outlined = new HashSet<>();

    private SplitPlan(double bytecodePerByte, int budget) {
        this.bytecodePerByte = bytecodePerByte;
        this.budget = budget;
    }

    /**
     * Plans the outlining of {@code root}'s constructs.
     *
     * @param bytecodePerByte bytecode bytes per wasm byte, measured on the unsplit function
     * @param budget the bytecode each method may have
     * @return the start positions of the constructs to outline
     */
    static Set<Integer> plan(Region root, double bytecodePerByte, int budget) {
        SplitPlan plan = new SplitPlan(bytecodePerByte, budget);
        plan.fit(root);
        return plan.outlined;
    }

    /** Outlines constructs inside {@code r}, largest first, until r's own code fits; returns its size then. */
    private double fit(Region r) {
        double size = r.size();
        for (Region child : r.children) size -= child.size() - fit(child);
        while (size * bytecodePerByte > budget) {
            Region largest = null;
            double largestSize = 0;
            for (Region child : r.children) {
                if (outlined.contains(child.start)) continue;
                double s = emittedSize(child);
                if (s > largestSize) {
                    largest = child;
                    largestSize = s;
                }
            }
            if (largest == null || largestSize <= callSize(largest)) break;
            outlined.add(largest.start);
            size -= largestSize - callSize(largest);
        }
        return size;
    }

    /** The wasm bytes of {@code r} left in its method once its outlined constructs are calls. */
    private double emittedSize(Region r) {
        double size = r.size();
        for (Region child : r.children) {
            size -= child.size();
            size += outlined.contains(child.start) ? callSize(child) : emittedSize(child);
        }
        return size;
    }

    /** The wasm-byte equivalent of the code that calls an outlined construct and moves its locals. */
    private double callSize(Region r) {
        return (30 + 10.0 * r.touched().cardinality()) / bytecodePerByte;
    }
}
