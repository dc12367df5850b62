package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.runtime.Memory;
import java.util.List;
import org.junit.jupiter.api.Test;

class Preview1FunctionsTest {
    /**
     * Where no host made them at import (as in a compiled jar, whose classes load without taking
     * a descriptor), each group of functions is made at the first call of one of its functions,
     * which then does what it does when made at import.
     */
    @Test
    void eachGroupIsMadeAtTheFirstCallOfOneOfItsFunctions() {
        GuestMemory memory = new GuestMemory();
        memory.bind(new Memory(1, 1, false));
        Preview1Functions functions = new Preview1Functions(memory, new FdTable(16), List.of("prog", "arg"), List.of(),
                () -> { }, new Wakeup(), null);

        assertEquals(Errno.SUCCESS, functions.args_sizes_get(0, 4));
        assertEquals(2, memory.i32(0));
        assertEquals(Errno.SUCCESS, functions.clock_time_get(Abi.CLOCKID_MONOTONIC, 0, 8));
        assertTrue(memory.i64(8) > 0, "the monotonic clock reads a positive time");
        assertEquals(Errno.BADF, functions.fd_close(5));
        memory.putU8(100, (byte) 'a');
        assertEquals(Errno.BADF, functions.path_open(5, 0, 100, 1, 0, 0, 0, 0, 16));
        assertEquals(Errno.BADF, functions.sock_shutdown(5, 0));

        // One relative clock subscription that is due at once: one event, of that subscription.
        int in = 200;
        int out = 300;
        memory.putI64(in, 42);
        memory.putU8(in + 8, Abi.EVENTTYPE_CLOCK);
        memory.putI32(in + 16, Abi.CLOCKID_MONOTONIC);
        memory.putI64(in + 24, 0);
        assertEquals(Errno.SUCCESS, functions.poll_oneoff(in, out, 1, 400));
        assertEquals(1, memory.i32(400));
        assertEquals(42, memory.i64(out));
    }
}
