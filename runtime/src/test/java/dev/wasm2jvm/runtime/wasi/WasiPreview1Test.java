package dev.wasm2jvm.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.internal.WasiSnapshotPreview1;
import dev.wasm2jvm.runtime.internal.WasiUnstable;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The functions the host binds are the methods of the interfaces that generated code calls
 * directly: each with its name and the interface method's type, so that the compiler's table of
 * them ({@code BuiltinImports}) and the host agree, and each with a working handle for callers
 * that ask for one.
 */
class WasiPreview1Test {
    private static void assertIsMethod(Class<?> api, Method method, FuncRef function) {
        assertInstanceOf(api, function.builtin, method.getName());
        assertEquals(method.getName(), function.builtinName);
        assertEquals(MethodType.methodType(method.getReturnType(), method.getParameterTypes()), function.handle().type(),
                method.getName());
    }

    @Test
    void everyFunctionIsTheInterfaceMethodOfItsNameAndType() throws Exception {
        try (WasiPreview1 wasi = new WasiPreview1(WasiOptions.builder().build())) {
            Imports imports = new Imports();
            wasi.addTo(imports);
            Method[] preview1 = WasiSnapshotPreview1.class.getDeclaredMethods();
            assertEquals(46, preview1.length);
            for (Method m : preview1) {
                assertIsMethod(WasiSnapshotPreview1.class, m, (FuncRef) imports.get(WasiPreview1.MODULE, m.getName()));
            }
            for (Method m : WasiUnstable.class.getDeclaredMethods()) {
                assertIsMethod(WasiUnstable.class, m, (FuncRef) imports.get(WasiPreview1.SNAPSHOT_0_MODULE, m.getName()));
            }
            // Where the ABIs agree, snapshot 0's function is preview 1's own.
            assertSame(imports.get(WasiPreview1.MODULE, "fd_write"), imports.get(WasiPreview1.SNAPSHOT_0_MODULE, "fd_write"));
            assertNull(imports.get(WasiPreview1.SNAPSHOT_0_MODULE, "sock_accept"));
        }
    }

    @Test
    void aFunctionsHandleCallsItsMethod() throws Throwable {
        try (WasiPreview1 wasi = new WasiPreview1(WasiOptions.builder().build())) {
            Imports imports = new Imports();
            wasi.addTo(imports);
            FuncRef close = (FuncRef) imports.get(WasiPreview1.MODULE, "fd_close");
            assertEquals(Errno.BADF, (int) close.handle().invokeExact(99));
        }
    }

    /** The tests run from the build's class folders, whose class files each take a descriptor to read. */
    @Test
    void classesReadFromAFolderTakeDescriptors() {
        assertTrue(WasiPreview1.classesTakeDescriptors());
    }
}
