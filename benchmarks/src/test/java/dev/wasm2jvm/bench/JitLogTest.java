package dev.wasm2jvm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines as JDK 25 writes them with -XX:+PrintCompilation (into -XX:LogFile) and -Xlog:deoptimization=debug. */
class JitLogTest {
    @Test
    void readsTasksOsrAndWhatBecameOfThem() {
        List<JitLog.Compilation> c = JitLog.compilations(List.of(
                "<tty>",
                "3436 1488 %     3       wasm.Module::func6 @ 92 (1430 bytes)",
                "3971 1511       4       wasm.Module::func6 (1430 bytes)",
                "4839 1513 %     4       wasm.Module::func6 @ 350 (1430 bytes)   made not entrant: uncommon trap",
                "  61   12       3       java.lang.String::hashCode (60 bytes)",
                "6450 1531 %  !  3       wasm.Module$Code1::func39 @ 7 (886 bytes)   COMPILE SKIPPED: out of virtual"
                        + " registers in linear scan (retry at different tier)",
                "<writer thread='12'/>",
                "program output that is not a compilation"));
        assertEquals(5, c.size());
        assertEquals(new JitLog.Compilation(3436, 1488, 3, "wasm.Module::func6", 92, ""), c.get(0));
        assertEquals(new JitLog.Compilation(3971, 1511, 4, "wasm.Module::func6", -1, ""), c.get(1));
        assertTrue(c.get(2).madeNotEntrant());
        assertEquals("wasm.Module::func6 @ 350", c.get(2).entry());
        assertEquals("java.lang.String::hashCode", c.get(3).method());
        assertTrue(c.get(4).skipped());
        assertEquals("wasm.Module$Code1::func39", c.get(4).method());
        assertEquals("COMPILE SKIPPED: out of virtual registers in linear scan (retry at different tier)", c.get(4).note());
    }

    @Test
    void readsUncommonTrapsOfOsrAndStandardCode() {
        List<JitLog.Deoptimization> d = JitLog.deoptimizations(List.of(
                "[4.839s][debug][deoptimization] cid=1513 osr level=4 wasm.Module.func6(Lwasm/Module;)I trap_bci=611"
                        + " osr_bci=350 uninitialized reinterpret pc=0x00007f138ff49014 relative_pc=0x0000000000000994",
                "[0.123s][debug][deoptimization] cid=  42  level=4 wasm.Module$Code2.func7(IILwasm/Module;)V trap_bci=3"
                        + " class_check make_not_entrant pc=0x00007f138ff49014 relative_pc=0x0000000000000994",
                "[0.200s][info][gc] something else"));
        assertEquals(List.of(
                new JitLog.Deoptimization(4839, 1513, 4, "wasm.Module::func6", 350, 611, "uninitialized", "reinterpret"),
                new JitLog.Deoptimization(123, 42, 4, "wasm.Module$Code2::func7", -1, 3, "class_check", "make_not_entrant")),
                d);
    }
}
