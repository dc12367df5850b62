package dev.wasm2jvm.compiler.emit.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.emit.TestModules;
import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.WasmTrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the threads proposal's instructions as {@link AtomicEmitter} compiles them: every atomic
 * load, store and read-modify-write against a model of little-endian memory, their traps, wait and
 * notify, and the single-threaded assertions of the threads corpus's {@code atomic.wast}.
 *
 * <p>The modules under {@code src/test/resources/atomics} are built with
 * {@code wat2wasm --enable-threads <name>.wat} (wabt 1.0.32).
 */
class AtomicEmitterTest {
    private static final Path THREADS =
            Path.of(System.getProperty("wasm2jvm.shared", "../shared"), "wasm-testsuite", "threads");
    private static final Pattern ATOMIC_ACCESS =
            Pattern.compile("(i32|i64)\\.atomic\\.(load|store|rmw)(8|16|32)?(?:\\.([a-z]+))?(?:_u)?");
    /** The memarg offset of every access in the {@code atomics-*.wat} modules. */
    private static final int OFFSET = 8;

    /** An atomic memory access, from its name: {@code i64.atomic.rmw16.add_u} is an i64 {@code add} of 2 bytes. */
    private record Access(String name, boolean i64, int bytes, String op) {
        static Access of(String name) {
            Matcher m = ATOMIC_ACCESS.matcher(name);
            if (!m.matches()) throw new IllegalArgumentException(name);
            boolean i64 = m.group(1).equals("i64");
            int bytes = m.group(3) != null ? Integer.parseInt(m.group(3)) / 8 : i64 ? 8 : 4;
            return new Access(name, i64, bytes, m.group(4) != null ? m.group(4) : m.group(2));
        }

        long mask() {
            return bytes == 8 ? -1L : (1L << bytes * 8) - 1;
        }

        int operands() {
            return switch (op) {
                case "load" -> 0;
                case "cmpxchg" -> 2;
                default -> 1;
            };
        }

        Object box(long value) {
            return i64 ? (Object) value : (Object) (int) value;
        }

        /**
         * Applies the access to {@code memory} at {@code ea} as the spec defines it; returns the result
         * as a long of the access's type, or null for a store.
         */
        long read(byte[] memory, int ea) {
            long value = 0;
            for (int i = bytes - 1; i >= 0; i--) value = value << 8 | memory[ea + i] & 0xFF;
            return value;
        }

        Long apply(byte[] memory, int ea, long[] operands) {
            long old = read(memory, ea);
            long operand = operands.length > 0 ? operands[0] : 0;
            Long result = old;
            long updated = switch (op) {
                case "load" -> old;
                case "store" -> {
                    result = null;
                    yield operand;
                }
                case "add" -> old + operand;
                case "sub" -> old - operand;
                case "and" -> old & operand;
                case "or" -> old | operand;
                case "xor" -> old ^ operand;
                case "xchg" -> operand;
                case "cmpxchg" -> old == (operand & mask()) ? operands[1] : old;
                default -> throw new IllegalStateException(op);
            };
            for (int i = 0; i < bytes; i++) memory[ea + i] = (byte) (updated >>> 8 * i);
            return result;
        }
    }

    private static List<Access> everyAccess() {
        List<Access> accesses = new ArrayList<>();
        for (int opcode = Opcodes.I32_ATOMIC_LOAD; opcode <= Opcodes.I64_ATOMIC_RMW32_CMPXCHG_U; opcode++) {
            accesses.add(Access.of(Opcodes.name(opcode)));
        }
        return accesses;
    }

    /** Random values, a third of them at the edges where wrapping and extension go wrong. */
    private static long operand(Random random) {
        long[] edges = {0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL,
                Long.MIN_VALUE, Long.MAX_VALUE};
        return random.nextInt(3) == 0 ? edges[random.nextInt(edges.length)] : random.nextLong();
    }

    @ParameterizedTest
    @ValueSource(strings = {"atomics-shared.wasm", "atomics-unshared.wasm"})
    void everyAccessMatchesTheModel(String module) {
        Instance instance = TestModules.instantiate(TestModules.resource("atomics/" + module));
        Memory memory = instance.memory("mem");
        Random random = new Random(42);
        List<String> failures = new ArrayList<>();
        for (Access access : everyAccess()) {
            FuncRef function = instance.function(access.name());
            for (int trial = 0; trial < 200; trial++) {
                byte[] expected = new byte[32];
                random.nextBytes(expected);
                memory.writeBytes(0, expected, 0, expected.length);
                int ea = OFFSET + random.nextInt(16 / access.bytes()) * access.bytes();
                long[] operands = new long[access.operands()];
                for (int i = 0; i < operands.length; i++) operands[i] = operand(random);
                if (access.op().equals("cmpxchg") && random.nextBoolean()) {
                    // Make the comparison succeed half the time, with garbage above the access width.
                    operands[0] = access.read(expected, ea) | operand(random) & ~access.mask();
                }
                Object[] args = new Object[1 + operands.length];
                args[0] = ea - OFFSET;
                for (int i = 0; i < operands.length; i++) args[1 + i] = access.box(operands[i]);

                Long result = access.apply(expected, ea, operands);
                Object[] actual = function.call(args);
                byte[] after = new byte[32];
                memory.readBytes(0, after, 0, after.length);
                String where = access.name() + Arrays.toString(args);
                if (result == null ? actual.length != 0 : !access.box(result).equals(actual[0])) {
                    failures.add(where + " returned " + Arrays.toString(actual) + ", expected " + access.box(result));
                }
                if (!Arrays.equals(expected, after)) failures.add(where + " left memory " + Arrays.toString(after));
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void misalignedAndOutOfBoundsAccessesTrap() {
        Instance instance = TestModules.instantiate(TestModules.resource("atomics/atomics-shared.wasm"));
        for (Access access : everyAccess()) {
            Object[] args = new Object[1 + access.operands()];
            Arrays.fill(args, access.box(0));
            args[0] = 65536 - OFFSET;
            assertTrap("out of bounds memory access", instance, access.name(), args);
            // The effective address is computed in 64 bits: 0xFFFFFFF8 + 8 is 4 GiB, not 0.
            args[0] = -OFFSET;
            assertTrap("out of bounds memory access", instance, access.name(), args);
            if (access.bytes() > 1) {
                args[0] = 1;
                assertTrap("unaligned atomic", instance, access.name(), args);
                // Misaligned and out of bounds: the alignment check comes first.
                args[0] = 65535 - OFFSET;
                assertTrap("unaligned atomic", instance, access.name(), args);
            }
        }
    }

    @Test
    void trappingStoresAndReadModifyWritesLeaveMemoryUnchanged() {
        Instance instance = TestModules.instantiate(TestModules.resource("atomics/atomics-shared.wasm"));
        Memory memory = instance.memory("mem");
        memory.writeI64(8, 0x0102030405060708L);
        assertTrap("unaligned atomic", instance, "i64.atomic.rmw16.add_u", 1, 1L);
        assertTrap("unaligned atomic", instance, "i32.atomic.store", 2, -1);
        assertTrap("unaligned atomic", instance, "i32.atomic.rmw16.cmpxchg_u", 1, 0x0708, 0);
        assertEquals(0x0102030405060708L, memory.readI64(8));
    }

    @Test
    void waitAndNotifyAddTheMemargOffsetIn64Bits() {
        Instance instance = TestModules.instantiate(TestModules.resource("atomics/wait-notify.wasm"));
        Memory memory = instance.memory("mem");
        memory.writeI64(8, 7);
        assertEquals(1, call(instance, "wait32", 4, 0, 0L), "not equal");
        assertEquals(2, call(instance, "wait32", 4, 7, 1000L), "timed out");
        assertEquals(1, call(instance, "wait64", 0, 6L, -1L), "not equal");
        assertEquals(2, call(instance, "wait64", 0, 7L, 0L), "timed out");
        assertEquals(0, call(instance, "notify", 4, 1));
        assertTrap("out of bounds memory access", instance, "wait32", -4, 0, 0L);
        assertTrap("out of bounds memory access", instance, "wait64", -8, 0L, 0L);
        assertTrap("out of bounds memory access", instance, "notify", -4, 1);
        assertTrap("out of bounds memory access", instance, "notify", 65532, 1);
        assertTrap("unaligned atomic", instance, "wait32", -3, 0, 0L);
        assertTrap("unaligned atomic", instance, "wait64", 4, 0L, 0L);
        assertTrap("unaligned atomic", instance, "notify", 1, 1);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void notifyWakesAWaiter() throws InterruptedException {
        List<Instance> instances = TestModules.instancesSharingMemory(TestModules.resource("atomics/wait-notify.wasm"), 2);
        int[] woken = new int[1];
        Thread waiter = Thread.ofPlatform().start(() -> woken[0] = call(instances.get(0), "wait32", 0, 0, -1L));
        awaitParked(waiter);
        assertEquals(1, call(instances.get(1), "notify", 0, 2));
        waiter.join();
        assertEquals(0, woken[0]);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aWaiterSeesTheMemoryItsNotifierGrew() throws InterruptedException {
        List<Instance> instances = TestModules.instancesSharingMemory(TestModules.resource("atomics/wait-notify.wasm"), 2);
        Object[] read = new Object[1];
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                read[0] = call(instances.get(0), "waitThenReadGrown");
            } catch (WasmTrap trap) {
                read[0] = trap.getMessage();
            }
        });
        awaitParked(waiter);
        assertEquals(1, call(instances.get(1), "growThenNotify"));
        waiter.join();
        assertEquals(42, read[0]);
    }

    @Test
    void fenceOrdersNothingAwayInOneThread() {
        Instance instance = TestModules.instantiate(TestModules.resource("atomics/wait-notify.wasm"));
        assertEquals(-5, call(instance, "fence", 12, -5));
    }

    @Test
    void passesTheSingleThreadedAssertionsOfThreadsMainAtomic() throws IOException {
        assertScript(THREADS.resolve("threads-main/json/atomic/atomic.json"), Set.of());
    }

    @Test
    void passesTheSingleThreadedAssertionsOfTheTestsuiteProposalAtomic() throws IOException {
        assertScript(THREADS.resolve("testsuite-proposal/json/atomic/atomic.json"), Set.of());
    }

    /**
     * The legacy script checks that a narrow {@code cmpxchg} whose expected value has bits above the
     * access width never matches. The current spec wraps the expected value first
     * (WebAssembly/threads#195), so these five checks of the memory afterwards are left out.
     */
    @Test
    void passesTheSingleThreadedAssertionsOfThreadsLegacyAtomic() throws IOException {
        assertScript(THREADS.resolve("threads-legacy/json/atomic/atomic.json"), Set.of(327, 335, 343, 351, 359));
    }

    /** Runs the modules, actions, {@code assert_return}s and {@code assert_trap}s of a wast2json script. */
    private static void assertScript(Path json, Set<Integer> superseded) throws IOException {
        JsonNode commands = new ObjectMapper().readTree(json.toFile()).get("commands");
        Instance instance = null;
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (JsonNode command : commands) {
            int line = command.get("line").asInt();
            String type = command.get("type").asText();
            if (type.equals("module")) {
                instance = TestModules.instantiate(Files.readAllBytes(json.resolveSibling(command.get("filename").asText())));
                continue;
            }
            if (!Set.of("action", "assert_return", "assert_trap").contains(type) || superseded.contains(line)) continue;
            JsonNode action = command.get("action");
            List<Object> args = new ArrayList<>();
            for (JsonNode arg : action.get("args")) args.add(value(arg));
            String actual;
            try {
                Object[] results = instance.function(action.get("field").asText()).call(args.toArray());
                actual = results.length == 0 ? "" : String.valueOf(results[0]);
            } catch (WasmTrap trap) {
                actual = "trap " + trap.getMessage();
            }
            String expected = switch (type) {
                case "assert_trap" -> "trap " + command.get("text").asText();
                case "assert_return" -> command.get("expected").isEmpty() ? "" : String.valueOf(value(command.get("expected").get(0)));
                default -> actual;
            };
            if (!actual.equals(expected)) failures.add(json.getFileName() + ":" + line + " " + actual + ", expected " + expected);
            checked++;
        }
        assertEquals(List.of(), failures);
        assertTrue(checked > 100, "only " + checked + " assertions ran");
    }

    private static Object value(JsonNode arg) {
        long bits = Long.parseUnsignedLong(arg.get("value").asText());
        return switch (arg.get("type").asText()) {
            case "i32" -> (int) bits;
            case "i64" -> bits;
            default -> throw new IllegalArgumentException("unexpected value " + arg);
        };
    }

    private static int call(Instance instance, String function, Object... args) {
        return (int) instance.function(function).call(args)[0];
    }

    private static void assertTrap(String message, Instance instance, String function, Object... args) {
        WasmTrap trap = assertThrows(WasmTrap.class, () -> instance.function(function).call(args),
                function + Arrays.toString(args));
        assertEquals(message, trap.getMessage(), function + Arrays.toString(args));
    }

    /** Waits until {@code thread} blocks, which here means it waits in {@code memory.atomic.wait}. */
    private static void awaitParked(Thread thread) throws InterruptedException {
        while (thread.getState() != Thread.State.WAITING) {
            assertTrue(thread.isAlive(), "the waiter finished without waiting");
            Thread.sleep(1);
        }
    }
}
