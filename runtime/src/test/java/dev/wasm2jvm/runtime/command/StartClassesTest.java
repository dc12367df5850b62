package dev.wasm2jvm.runtime.command;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartClassesTest {
    /**
     * Defining a class resolves its superclass and interfaces: one of the runtime's that came later
     * in the list would be loaded from the jar first, and its own definition then refused.
     */
    @Test
    void everyClassComesAfterTheRuntimesSupertypesItHas() throws Exception {
        Set<String> before = new HashSet<>();
        List<String> startWithPreopens = new ArrayList<>(StartClasses.RUNTIME);
        startWithPreopens.addAll(StartClasses.PREOPENS);
        startWithPreopens.addAll(StartClasses.FILES);
        for (List<String> group : List.of(StartClasses.PROCESS, StartClasses.RANDOM, StartClasses.CLOCKS,
                StartClasses.LAZY_MEMORY, StartClasses.HELPERS)) {
            startWithPreopens.addAll(group);
        }
        for (String name : startWithPreopens) {
            Class<?> c = Class.forName(name, false, StartClassesTest.class.getClassLoader());
            List<Class<?>> supertypes = new ArrayList<>(List.of(c.getInterfaces()));
            if (c.getSuperclass() != null) supertypes.add(c.getSuperclass());
            for (Class<?> supertype : supertypes) {
                if (supertype.getName().startsWith("dev.wasm2jvm.runtime.")) {
                    assertTrue(before.contains(supertype.getName()), name + " comes before its supertype " + supertype.getName());
                }
            }
            assertTrue(before.add(name), name + " is listed twice");
        }
    }

    /** The classes that {@code define} itself loads are loaded before it defines any: listing them would be waste. */
    @Test
    void theClassesDefineLoadsItselfAreNotListed() {
        for (String loadedFirst : List.of("dev.wasm2jvm.runtime.command.StartClasses",
                "dev.wasm2jvm.runtime.internal.JarResources")) {
            assertFalse(StartClasses.RUNTIME.contains(loadedFirst) || StartClasses.PREOPENS.contains(loadedFirst)
                    || StartClasses.FILES.contains(loadedFirst), loadedFirst + " is listed");
        }
    }

    /**
     * The process group's class for any of its functions but {@code proc_exit} alone, its random
     * source's for {@code random_get}, the clocks' for a clock; none for files, sockets and polls,
     * whose classes the start has or loads in its own ways.
     */
    @Test
    void theGroupsOfWasiFunctionsAreThoseTheirCallsLoad() {
        assertEquals(List.of(), StartClasses.forImports(List.of("fd_write", "fd_close", "proc_exit", "path_open",
                "sock_recv", "poll_oneoff")));
        assertEquals(StartClasses.PROCESS, StartClasses.forImports(List.of("proc_exit", "environ_get")));
        assertEquals(StartClasses.PROCESS, StartClasses.forImports(List.of("args_sizes_get")));
        List<String> all = new ArrayList<>(StartClasses.PROCESS);
        all.addAll(StartClasses.RANDOM);
        all.addAll(StartClasses.CLOCKS);
        assertEquals(all, StartClasses.forImports(List.of("clock_time_get", "random_get", "fd_write")));
        assertEquals(StartClasses.CLOCKS, StartClasses.forImports(List.of("clock_res_get")));
    }

    /** A memory is made of {@code LazyPages} from {@code Memory}'s threshold on, and only when unshared. */
    @Test
    void aLazyMemoryIsAnUnsharedOneOfEightPagesOrMore() {
        assertFalse(StartClasses.lazyMemory(StartClasses.LAZY_MEMORY_PAGES - 1, false));
        assertTrue(StartClasses.lazyMemory(StartClasses.LAZY_MEMORY_PAGES, false));
        assertTrue(StartClasses.lazyMemory(17, false));
        assertFalse(StartClasses.lazyMemory(17, true));
    }

    @Test
    void encodesEachNameAndClassFileWithTheirLengths() {
        byte[] encoded = StartClasses.encode(List.of("a.B", "é"), List.of(new byte[] {1, 2, 3}, new byte[0]));
        assertEquals(List.of((byte) 0, (byte) 3, (byte) 'a', (byte) '.', (byte) 'B', (byte) 0, (byte) 0, (byte) 0, (byte) 3,
                        (byte) 1, (byte) 2, (byte) 3, (byte) 0, (byte) 2, (byte) 0xC3, (byte) 0xA9, (byte) 0, (byte) 0, (byte) 0, (byte) 0),
                boxed(encoded));
    }

    private static List<Byte> boxed(byte[] bytes) {
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) list.add(b);
        return list;
    }
}
