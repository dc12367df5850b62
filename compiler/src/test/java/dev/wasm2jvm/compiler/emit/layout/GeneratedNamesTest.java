package dev.wasm2jvm.compiler.emit.layout;

import java.lang.reflect.Field;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The synthetic names against the runtime's {@code TrapReport}, which recognises them by pattern to
 * leave helpers out of a wasm backtrace and to name the function an outlined part belongs to.
 */
class GeneratedNamesTest {
    @Test
    void dispatchersAndTheirPartsAreRecognisedAsDispatchers() throws Exception {
        Pattern dispatcher = trapReportPattern("DISPATCHER");
        String callIndirect = GeneratedNames.callIndirect(3, 0);
        assertTrue(dispatcher.matcher(callIndirect).matches());
        assertTrue(dispatcher.matcher(GeneratedNames.part(callIndirect, 2)).matches());
        assertTrue(dispatcher.matcher(GeneratedNames.directCalls(callIndirect)).matches());
        assertTrue(dispatcher.matcher(GeneratedNames.part(GeneratedNames.directCalls(callIndirect), 1)).matches());
    }

    @Test
    void instantiationStepsAndHelpersAreRecognised() throws Exception {
        Pattern instantiation = trapReportPattern("INSTANTIATION");
        assertTrue(instantiation.matcher(GeneratedNames.INIT_STEPS + 4).matches());
        assertTrue(instantiation.matcher(GeneratedNames.CLINIT_STEPS + 0).matches());
        Pattern helper = trapReportPattern("HELPER");
        assertTrue(helper.matcher(GeneratedNames.brTableMap(0x1F40)).matches());
        assertTrue(helper.matcher(GeneratedNames.newFuncRefChunk(2)).matches());
        assertTrue(helper.matcher(GeneratedNames.NEW_FUNC_REF_FIND).matches());
        assertTrue(helper.matcher(GeneratedNames.HOST_FUNCTION_STEPS + 0).matches());
        assertTrue(helper.matcher(RuntimeRefs.WASI_COMMAND_START.name()).matches());
    }

    @Test
    void anOutlinedPartIsReportedAsItsFunction() throws Exception {
        Pattern outlined = trapReportPattern("OUTLINED");
        for (String kind : new String[] {"block", "loop", "if", "states", "groups", "seq"}) {
            assertEquals("sqlite3VdbeExec",
                    outlined.matcher(GeneratedNames.outlinedPart("sqlite3VdbeExec", kind, 0x2A7F)).replaceFirst(""));
        }
    }

    @Test
    void theSourceFileTableIsCalledByTheRuntimesName() throws Exception {
        Field f = trapReport().getDeclaredField("SOURCE_FILES_METHOD");
        f.setAccessible(true);
        assertEquals(GeneratedNames.SOURCE_FILES_METHOD, f.get(null));
    }

    /** A function may not take a name the runtime would take for a helper's, nor an instance method's. */
    @Test
    void functionsNamedLikeHelpersAreRenamed() {
        assertTrue(GeneratedNames.isReserved("call_indirect$0$0"));
        assertTrue(GeneratedNames.isReserved("init$0"));
        assertTrue(GeneratedNames.isReserved("funcRef"));
        assertTrue(GeneratedNames.isReserved("exports"));
        assertTrue(GeneratedNames.isReserved("wasiStart"));
        assertFalse(GeneratedNames.isReserved("main"));
        assertEquals("init$0$7", GeneratedNames.uniqueFunction("init$0", 7));
    }

    private static Pattern trapReportPattern(String name) throws Exception {
        Field f = trapReport().getDeclaredField(name);
        f.setAccessible(true);
        return (Pattern) f.get(null);
    }

    private static Class<?> trapReport() throws ClassNotFoundException {
        return Class.forName("dev.wasm2jvm.runtime.command.TrapReport");
    }
}
