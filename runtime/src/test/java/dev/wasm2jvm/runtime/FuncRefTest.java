package dev.wasm2jvm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasm2jvm.runtime.internal.WasiThreadSpawn;
import org.junit.jupiter.api.Test;

/** References to functions of the runtime's own hosts ({@link FuncRef#builtin}). */
class FuncRefTest {
    private static final class Doubling implements WasiThreadSpawn {
        @Override
        public int thread_spawn(int startArg) {
            return 2 * startArg;
        }
    }

    @Test
    void aBuiltinIsItsMethodThroughItsHandleAndCall() throws Throwable {
        FuncRef spawn = FuncRef.builtin("i:i", WasiThreadSpawn.class, new Doubling(), "thread_spawn");
        assertEquals("thread_spawn", spawn.builtinName);
        assertNull(spawn.owner);
        assertEquals(-1, spawn.funcidx);
        assertEquals(42, (int) spawn.handle().invokeExact(21));
        assertEquals(8, spawn.call(4)[0]);
    }

    @Test
    void aBuiltinMustImplementItsInterface() {
        assertThrows(IllegalArgumentException.class,
                () -> FuncRef.builtin("i:i", WasiThreadSpawn.class, "not a host", "thread_spawn"));
        assertThrows(IllegalArgumentException.class,
                () -> FuncRef.builtin("i:i", Doubling.class, new Doubling(), "thread_spawn"));
    }

    @Test
    void aFunctionNotBuiltInHasNoBuiltin() {
        FuncRef host = FuncRef.host("i:i", args -> new Object[] {args[0]});
        assertNull(host.builtin);
        assertNull(host.builtinName);
    }
}
