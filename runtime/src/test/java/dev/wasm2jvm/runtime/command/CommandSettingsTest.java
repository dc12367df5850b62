package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.wasi.WasiOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CommandSettingsTest {
    private static final CommandSettings SETTINGS = new CommandSettings("cat.wasm",
            List.of(new Preopen("samples/wasi-cat", "/data"), new Preopen(".", ".")),
            ordered("Z", "last=but first", "A", "ünïcode::value", "EMPTY", ""));

    @Test
    void storedSettingsLoadBackInTheirOrder() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SETTINGS.store(out);

        CommandSettings loaded = CommandSettings.load(new ByteArrayInputStream(out.toByteArray()));

        assertEquals(SETTINGS, loaded);
        assertEquals(List.of("Z", "A", "EMPTY"), List.copyOf(loaded.env().keySet()));
    }

    @Test
    void withoutOverridesTheSettingsStay() {
        assertEquals(SETTINGS, SETTINGS.overriddenBy(Map.of("user.dir", "/tmp"), Map.of("PATH", "/bin")));
    }

    @Test
    void theDirPropertyReplacesTheDirectoriesAndWinsOverTheVariable() {
        CommandSettings overridden = SETTINGS.overriddenBy(Map.of("wasm2jvm.dir", "/tmp::/t,src"),
                Map.of("WASM2JVM_DIR", "/var::/v"));

        assertEquals(List.of(new Preopen("/tmp", "/t"), new Preopen("src", "src")), overridden.dirs());
    }

    @Test
    void theDirVariableReplacesTheDirectoriesAndEmptyMeansNone() {
        assertEquals(List.of(new Preopen("/var", "/v")),
                SETTINGS.overriddenBy(Map.of(), Map.of("WASM2JVM_DIR", "/var::/v")).dirs());
        assertEquals(List.of(), SETTINGS.overriddenBy(Map.of("wasm2jvm.dir", ""), Map.of()).dirs());
    }

    @Test
    void environmentOverridesSetVariablesAndPropertiesWin() {
        CommandSettings overridden = SETTINGS.overriddenBy(
                Map.of("wasm2jvm.env.A", "from property", "wasm2jvm.env.NEW", "new"),
                Map.of("WASM2JVM_ENV_A", "from variable", "WASM2JVM_ENV_Z", "z", "WASM2JVM_ENV_", "ignored"));

        assertEquals(ordered("Z", "z", "A", "from property", "EMPTY", "", "NEW", "new"), overridden.env());
        assertEquals(List.of("Z", "A", "EMPTY", "NEW"), List.copyOf(overridden.env().keySet()));
    }

    @Test
    void theDescriptorLimitIsStoredAndOverriddenAtRunTime() throws IOException {
        CommandSettings limited = new CommandSettings("p", List.of(), Map.of(), 64);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        limited.store(out);

        assertEquals(limited, CommandSettings.load(new ByteArrayInputStream(out.toByteArray())));
        assertEquals(limited, CommandSettings.decode(limited.encode()));
        assertEquals(WasiOptions.DEFAULT_MAX_FDS, SETTINGS.maxFds());
        assertEquals(100, limited.overriddenBy(Map.of("wasm2jvm.maxFds", "100"), Map.of("WASM2JVM_MAX_FDS", "7")).maxFds());
        assertEquals(7, limited.overriddenBy(Map.of(), Map.of("WASM2JVM_MAX_FDS", "7")).maxFds());
        assertEquals("invalid descriptor limit \"0\": expected a positive number",
                assertThrows(IllegalArgumentException.class,
                        () -> limited.overriddenBy(Map.of("wasm2jvm.maxFds", "0"), Map.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CommandSettings("p", List.of(), Map.of(), -1));
    }

    @Test
    void theMemoryLimitIsStoredAndOverriddenAtRunTime() throws IOException {
        CommandSettings limited = new CommandSettings("p", List.of(), Map.of(), 64, 64L << 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        limited.store(out);

        assertEquals(limited, CommandSettings.load(new ByteArrayInputStream(out.toByteArray())));
        assertEquals(limited, CommandSettings.decode(limited.encode()));
        assertEquals(-1, SETTINGS.maxMemory());
        assertEquals(SETTINGS, CommandSettings.decode(SETTINGS.encode()));
        assertEquals(2L << 30, limited.overriddenBy(Map.of("wasm2jvm.maxMemory", "2g"), Map.of("WASM2JVM_MAX_MEMORY", "7m")).maxMemory());
        assertEquals(7L << 20, limited.overriddenBy(Map.of(), Map.of("WASM2JVM_MAX_MEMORY", "7m")).maxMemory());
        assertEquals(64L << 20, limited.wasiOptions(List.of()).build().maxMemory());
        assertEquals("invalid memory size \"lots\": expected bytes, or a number with k, m or g, such as 64m",
                assertThrows(IllegalArgumentException.class,
                        () -> limited.overriddenBy(Map.of("wasm2jvm.maxMemory", "lots"), Map.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CommandSettings("p", List.of(), Map.of(), 64, -2));
    }

    @Test
    void sizesParseAsXmxTakesThem() {
        assertEquals(65536, CommandSettings.parseSize("65536"));
        assertEquals(64L << 10, CommandSettings.parseSize("64k"));
        assertEquals(64L << 20, CommandSettings.parseSize("64m"));
        assertEquals(64L << 20, CommandSettings.parseSize(" 64M "));
        assertEquals(2L << 30, CommandSettings.parseSize("2g"));
        assertEquals(0, CommandSettings.parseSize("0"));
        for (String invalid : List.of("", "m", "-1", "1.5g", "64mb", "64 m", "99999999999999999999")) {
            assertThrows(IllegalArgumentException.class, () -> CommandSettings.parseSize(invalid), invalid);
        }
    }

    @Test
    void preopensParseWithAndWithoutAGuestPath() {
        assertEquals(new Preopen("dir", "dir"), Preopen.parse("dir"));
        assertEquals(new Preopen("/host/dir", "/guest"), Preopen.parse("/host/dir::/guest"));
        assertEquals("invalid directory \"::/guest\": expected HOST[::GUEST]",
                assertThrows(IllegalArgumentException.class, () -> Preopen.parse("::/guest")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Preopen.parse("dir::"));
    }

    private static Map<String, String> ordered(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) map.put(namesAndValues[i], namesAndValues[i + 1]);
        return map;
    }
}
