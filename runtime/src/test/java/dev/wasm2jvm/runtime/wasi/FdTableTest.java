package dev.wasm2jvm.runtime.wasi;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The table's slots, read and written through the internal {@code Unsafe} where it is exported
 * (the runtime's tests), and through a var handle where it is not (this class again in the
 * surefire execution without the export, {@code memory-access-ffm}).
 */
class FdTableTest {
    private static Descriptor descriptor() {
        return new OutputStreamDescriptor(new ByteArrayOutputStream(), new StdioFiletype(StdioFiletype.NOT_PROCESS));
    }

    @Test
    void descriptorsTakeTheLowestFreeNumbersAndAreFoundThere() {
        FdTable table = new FdTable(100);
        Descriptor[] added = new Descriptor[40];
        for (int fd = 0; fd < added.length; fd++) {
            added[fd] = descriptor();
            assertEquals(fd, table.add(added[fd]));
        }
        for (int fd = 0; fd < added.length; fd++) assertSame(added[fd], table.get(fd));

        assertSame(added[7], table.remove(7));
        assertSame(added[3], table.remove(3));
        assertEquals(Errno.BADF, assertThrows(WasiError.class, () -> table.get(7)).errno);
        Descriptor reused = descriptor();
        assertEquals(3, table.add(reused));
        assertSame(reused, table.get(3));
        assertEquals(Errno.BADF, assertThrows(WasiError.class, () -> table.get(added.length)).errno);
        assertEquals(Errno.BADF, assertThrows(WasiError.class, () -> table.get(-1)).errno);
    }

    @Test
    void renumberingMovesTheDescriptorAndFreesItsNumber() throws Exception {
        FdTable table = new FdTable(16);
        Descriptor from = descriptor();
        Descriptor to = descriptor();
        table.add(from);
        table.add(to);

        table.renumber(0, 1);

        assertSame(from, table.get(1));
        assertEquals(Errno.BADF, assertThrows(WasiError.class, () -> table.get(0)).errno);
        assertEquals(0, table.add(descriptor()));
    }
}
