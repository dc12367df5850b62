package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrapReportTest {
    private static final String MODULE = "wasm.Module";

    @Test
    void namesTheInnermostWasmFunctionPastRuntimeHelpersAndDispatchers() {
        WasmTrap trap = trap("indirect call type mismatch", null,
                frame("dev.wasm2jvm.runtime.Table", "funcForCall"), frame(MODULE, "call_indirect$3$0"),
                frame(MODULE, "compute"), frame(MODULE, "_start"));

        assertEquals("wasm2jvm: trap in wasm function compute: indirect call type mismatch",
                TrapReport.describe(trap, MODULE));
    }

    @Test
    void looksForTheFunctionInTheCauseOfATrapStandingForAJvmError() {
        IndexOutOfBoundsException cause = new IndexOutOfBoundsException();
        cause.setStackTrace(new StackTraceElement[] {frame("jdk.internal.foreign.AbstractMemorySegmentImpl", "checkBounds"),
                frame(MODULE, "load"), frame(MODULE, "_start")});
        WasmTrap trap = trap("out of bounds memory access", cause, frame("dev.wasm2jvm.runtime.FuncRef", "call"));

        assertEquals("wasm2jvm: trap in wasm function load: out of bounds memory access", TrapReport.describe(trap, MODULE));
    }

    @Test
    void namesAFunctionInACodeClassPastDispatcherHelpers() {
        WasmTrap trap = trap("call stack exhausted", null, frame(MODULE, "call_indirect$3$0$direct$1"),
                frame(MODULE + "$Code2", "call_indirect$3$0$7"), frame(MODULE + "$Code2", "compute"),
                frame(MODULE + "$Code0", "_start"));

        assertEquals("wasm2jvm: trap in wasm function compute: call stack exhausted", TrapReport.describe(trap, MODULE));
    }

    @Test
    void aTrapMadeByTheRuntimesFactoryIsTheFunctionsThatThrewIt() {
        WasmTrap trap = trap("unreachable", null, frame("dev.wasm2jvm.runtime.internal.Traps", "unreachable"),
                frame(MODULE + "$Code0", "inner"), frame(MODULE, "_start"));

        assertEquals("wasm2jvm: trap in wasm function inner: unreachable", TrapReport.describe(trap, MODULE));
        assertEquals(List.of("wasm backtrace:", "  0: inner", "  1: _start"), TrapReport.backtrace(trap, MODULE, null));
    }

    @Test
    void saysWhenTheTrapHappenedDuringInstantiation() {
        WasmTrap trap = trap("out of bounds memory access", null, frame(MODULE, "<init>"));

        assertEquals("wasm2jvm: trap during instantiation: out of bounds memory access", TrapReport.describe(trap, MODULE));
    }

    @Test
    void saysWhenTheTrapHappenedInAHelperOfInstantiation() {
        WasmTrap trap = trap("out of bounds memory access", null, frame("dev.wasm2jvm.runtime.Memory", "init"),
                frame(MODULE, "init$2"), frame(MODULE, "<init>"));

        assertEquals("wasm2jvm: trap during instantiation: out of bounds memory access", TrapReport.describe(trap, MODULE));
    }

    @Test
    void givesTheTrapAloneWhenNoWasmFunctionIsOnTheStack() {
        WasmTrap trap = trap("interrupted", null, frame("other.Module", "f"));

        assertEquals("wasm2jvm: trap: interrupted", TrapReport.describe(trap, MODULE));
    }

    @Test
    void bodiesOfFunctionsThatMakeTailCallsAreTheirFunction() {
        WasmTrap trap = trap("unreachable", null, frame(MODULE, "odd$block_2a"), frame(MODULE, "odd$tail"),
                frame("dev.wasm2jvm.runtime.internal.TailCalls", "run"), frame(MODULE, "even"), frame(MODULE, "_start"));

        assertEquals("wasm2jvm: trap in wasm function odd: unreachable", TrapReport.describe(trap, MODULE));
        assertEquals(List.of("wasm backtrace:", "  0: odd", "  1: odd", "  2: even", "  3: _start"),
                TrapReport.backtrace(trap, MODULE, null));
    }

    @Test
    void backtraceListsWasmFramesInnermostFirstWithOutlinedMethodsAsTheirFunction() {
        WasmTrap trap = trap("unreachable", null, frame("dev.wasm2jvm.runtime.Table", "funcForCall"),
                frame(MODULE + "$Code1", "func191$states_1371e"), frame(MODULE, "call_indirect$3$0"),
                frame(MODULE + "$Code1", "func191"), frame(MODULE, "hostFunctions$0"), frame(MODULE, "_start"));

        assertEquals("wasm2jvm: trap in wasm function func191: unreachable", TrapReport.describe(trap, MODULE));
        assertEquals(List.of("wasm backtrace:", "  0: func191", "  1: func191", "  2: _start"),
                TrapReport.backtrace(trap, MODULE, null));
    }

    @Test
    void backtraceOfADeepStackShowsItsInnermostFiftyFrames() {
        StackTraceElement[] frames = new StackTraceElement[60];
        for (int i = 0; i < frames.length; i++) frames[i] = frame(MODULE, "recurse");
        List<String> backtrace = TrapReport.backtrace(trap("call stack exhausted", null, frames), MODULE, null);

        assertEquals(52, backtrace.size());
        assertEquals("  49: recurse", backtrace.get(50));
        assertEquals("  ... 10 more frames", backtrace.get(51));
    }

    @Test
    void backtraceIsEmptyWhenNoFrameIsAWasmFunctions() {
        assertEquals(List.of(), TrapReport.backtrace(trap("unreachable", null, frame("dev.wasm2jvm.runtime.FuncRef", "call")),
                MODULE, null));
    }

    private static WasmTrap trap(String message, Throwable cause, StackTraceElement... frames) {
        WasmTrap trap = new WasmTrap(message, cause);
        trap.setStackTrace(frames);
        return trap;
    }

    private static StackTraceElement frame(String className, String method) {
        return new StackTraceElement(className, method, null, -1);
    }
}
