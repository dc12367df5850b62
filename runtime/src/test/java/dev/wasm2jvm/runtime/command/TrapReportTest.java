package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.WasmTrap;
import org.junit.jupiter.api.Test;

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

    private static WasmTrap trap(String message, Throwable cause, StackTraceElement... frames) {
        WasmTrap trap = new WasmTrap(message, cause);
        trap.setStackTrace(frames);
        return trap;
    }

    private static StackTraceElement frame(String className, String method) {
        return new StackTraceElement(className, method, null, -1);
    }
}
