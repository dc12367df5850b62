package dev.wasm2jvm.spectest;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.text.TextFormatException;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.LinkException;
import dev.wasm2jvm.runtime.Termination;
import dev.wasm2jvm.runtime.WasmException;
import dev.wasm2jvm.runtime.WasmTrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Executes a script's commands against an {@link Engine} and records each outcome in a
 * {@link ScriptReport}. Every command is isolated: whatever it throws becomes its own failure, and
 * the script goes on.
 */
final class ScriptRunner {
    /** Threads get the stack the build gives test threads (-Xss16m): deep-recursion tests need it. */
    static final long STACK_SIZE = 16L << 20;

    private final ModuleFiles modules;
    private final Engine engine;
    private final Supplier<Map<String, Object>> spectestFactory;
    private final ScriptReport report;
    private final Duration joinTimeout;
    private Map<String, Object> spectest;
    private final List<Termination> terminations = new ArrayList<>();
    private final List<Thread> started = new ArrayList<>();
    /** The outcomes of {@code module definition}, by name, for {@code module instance}. */
    private final Map<String, Definition> definitions = new HashMap<>();

    /** A compiled module definition, or why there is none. */
    private record Definition(Engine.Compiled compiled, String problem) {}

    /**
     * @param directory where the script's module files are
     * @param spectestFactory makes the {@code spectest} module, once per script, when the first module is instantiated
     * @param joinTimeout how long a {@code wait} waits for its thread
     */
    ScriptRunner(Path directory, Engine engine, Supplier<Map<String, Object>> spectestFactory, ScriptReport report,
            Duration joinTimeout) {
        this(name -> Files.readAllBytes(directory.resolve(name)), engine, spectestFactory, report, joinTimeout);
    }

    /** As the other constructor, with the modules read from {@code modules}. */
    ScriptRunner(ModuleFiles modules, Engine engine, Supplier<Map<String, Object>> spectestFactory, ScriptReport report,
            Duration joinTimeout) {
        this.modules = modules;
        this.engine = engine;
        this.spectestFactory = spectestFactory;
        this.report = report;
        this.joinTimeout = joinTimeout;
    }

    void run(List<Command> commands) {
        runAll(new Scope(), commands);
    }

    private void runAll(Scope scope, List<Command> commands) {
        for (Command command : commands) {
            if (report.isClosed() || Thread.currentThread().isInterrupted()) return;
            report.starting(command);
            try {
                execute(scope, command);
            } catch (Throwable t) {
                report.fail(command, subject(command), "unexpected " + Values.describe(t));
            }
        }
        for (Thread thread : scope.unwaited()) join(thread);
    }

    private void execute(Scope scope, Command command) {
        switch (command) {
            case Command.Module c -> module(scope, c);
            case Command.Define c -> define(c);
            case Command.Instantiate c -> instantiate(scope, c);
            case Command.AssertException c -> assertException(scope, c);
            case Command.Register c -> scope.register(c.as(), scope.module(c.name()).require());
            case Command.Perform c -> perform(scope, c.action());
            case Command.AssertReturn c -> assertReturn(scope, c);
            case Command.AssertTrap c -> assertTrap(scope, c);
            case Command.AssertModule c -> assertModule(scope, c);
            case Command.Thread c -> startThread(scope, c);
            case Command.Wait c -> await(scope, c);
        }
    }

    private void module(Scope scope, Command.Module c) {
        Scope.Loaded loaded;
        try {
            Instance instance = engine.compile(read(c.filename())).instantiate(imports(scope));
            loaded = new Scope.Loaded(instance, null);
        } catch (Throwable t) {
            report.fail(c, c.filename(), "expected an instance got " + Values.describe(t));
            loaded = new Scope.Loaded(null,
                    "the module of line " + c.line() + " failed: " + Values.describe(t));
        }
        scope.define(c.name(), loaded);
    }

    /** Compiles without instantiating, as {@code module definition} asks. */
    private void define(Command.Define c) {
        Definition definition;
        try {
            definition = new Definition(engine.compile(read(c.filename())), null);
        } catch (Throwable t) {
            report.fail(c, c.filename(), "expected a compiled module got " + Values.describe(t));
            definition = new Definition(null, "the module definition of line " + c.line() + " failed: " + Values.describe(t));
        }
        if (c.name() != null) definitions.put(c.name(), definition);
    }

    private void instantiate(Scope scope, Command.Instantiate c) {
        Definition definition = definitions.getOrDefault(c.definition(),
                new Definition(null, "no module definition named " + c.definition()));
        Scope.Loaded loaded;
        if (definition.compiled() == null) {
            report.fail(c, c.definition(), definition.problem());
            loaded = new Scope.Loaded(null, definition.problem());
        } else {
            try {
                loaded = new Scope.Loaded(definition.compiled().instantiate(imports(scope)), null);
            } catch (Throwable t) {
                report.fail(c, c.definition(), "expected an instance got " + Values.describe(t));
                loaded = new Scope.Loaded(null, "the module instance of line " + c.line() + " failed: " + Values.describe(t));
            }
        }
        scope.define(c.name(), loaded);
    }

    /** The action ends by throwing a wasm exception, which reaches its Java caller as a {@code WasmException}. */
    private void assertException(Scope scope, Command.AssertException c) {
        try {
            Object[] results = perform(scope, c.action());
            report.fail(c, c.action().toString(), "expected an exception got " + Values.describe(Arrays.asList(results)));
        } catch (WasmException e) {
            report.pass();
        } catch (Throwable t) {
            report.fail(c, c.action().toString(), "expected an exception got " + Values.describe(t));
        }
    }

    private Object[] perform(Scope scope, Action action) {
        Instance instance = scope.module(action.module()).require();
        return switch (action.kind()) {
            case INVOKE -> instance.function(action.field()).call(action.args().toArray());
            case GET -> new Object[] {instance.global(action.field()).get()};
        };
    }

    private void assertReturn(Scope scope, Command.AssertReturn c) {
        String expected = c.alternatives().stream().map(ScriptRunner::describe).collect(Collectors.joining(" or "));
        Object[] results;
        try {
            results = perform(scope, c.action());
        } catch (Throwable t) {
            report.fail(c, c.action().toString(), "expected " + expected + " got " + Values.describe(t));
            return;
        }
        for (List<Expectation> alternative : c.alternatives()) {
            if (matches(alternative, results)) {
                report.pass();
                return;
            }
        }
        report.fail(c, c.action().toString(), "expected " + expected + " got " + describe(results, c.alternatives().getFirst()));
    }

    private static boolean matches(List<Expectation> expected, Object[] results) {
        if (results.length != expected.size()) return false;
        for (int i = 0; i < results.length; i++) {
            if (!expected.get(i).matches(results[i])) return false;
        }
        return true;
    }

    private void assertTrap(Scope scope, Command.AssertTrap c) {
        String expected = "expected trap \"" + c.text() + "\" got ";
        try {
            Object[] results = perform(scope, c.action());
            report.fail(c, c.action().toString(), expected + Values.describe(Arrays.asList(results)));
        } catch (WasmTrap trap) {
            if (startsWith(trap.getMessage(), c.text())) report.pass();
            else report.fail(c, c.action().toString(), expected + "trap \"" + trap.getMessage() + "\"");
        } catch (Throwable t) {
            report.fail(c, c.action().toString(), expected + Values.describe(t));
        }
    }

    private void assertModule(Scope scope, Command.AssertModule c) {
        switch (c.type()) {
            case "assert_malformed", "assert_malformed_custom" -> assertRejected(c, CompileException.Kind.MALFORMED);
            case "assert_invalid", "assert_invalid_custom" -> assertRejected(c, CompileException.Kind.INVALID);
            case "assert_unlinkable" -> assertUnlinkable(scope, c);
            case "assert_uninstantiable" -> assertUninstantiable(scope, c);
            default -> throw new IllegalArgumentException("unknown module assertion " + c.type());
        }
    }

    /**
     * Any rejection of a binary module as malformed or invalid passes: engines word errors
     * differently, and where a check belongs (decoding or validation) differs too (the threads
     * proposal turned some malformed limits into invalid ones). A different kind or message is noted.
     * An UNSUPPORTED rejection says nothing about the module, so it fails. So does a rejection of a
     * module's text ({@link TextFormatException}) for anything but the spec's message of a
     * malformed module: the text format's messages are this project's own, and a rejection of
     * well-formed text is a parser's fault.
     */
    private void assertRejected(Command.AssertModule c, CompileException.Kind kind) {
        String expected = "expected " + kind + " \"" + c.text() + "\" got ";
        try {
            engine.compile(read(c.filename()));
            report.fail(c, c.filename(), expected + "a compiled module");
        } catch (CompileException e) {
            String got = expected + e.kind() + " \"" + e.specMessage() + "\"";
            if (e.kind() == CompileException.Kind.UNSUPPORTED || e instanceof TextFormatException
                    && (kind != CompileException.Kind.MALFORMED || !startsWith(e.specMessage(), c.text()))) {
                report.fail(c, c.filename(), got);
                return;
            }
            report.pass();
            if (e.kind() != kind || !startsWith(e.specMessage(), c.text())) report.note(c, c.filename(), got);
        } catch (Throwable t) {
            report.fail(c, c.filename(), expected + Values.describe(t));
        }
    }

    private void assertUnlinkable(Scope scope, Command.AssertModule c) {
        String expected = "expected link failure \"" + c.text() + "\" got ";
        try {
            engine.compile(read(c.filename())).instantiate(imports(scope));
            report.fail(c, c.filename(), expected + "an instance");
        } catch (LinkException e) {
            report.pass();
            if (!startsWith(e.getMessage(), c.text())) report.note(c, c.filename(), expected + "\"" + e.getMessage() + "\"");
        } catch (Throwable t) {
            report.fail(c, c.filename(), expected + Values.describe(t));
        }
    }

    private void assertUninstantiable(Scope scope, Command.AssertModule c) {
        String expected = "expected trap \"" + c.text() + "\" got ";
        try {
            engine.compile(read(c.filename())).instantiate(imports(scope));
            report.fail(c, c.filename(), expected + "an instance");
        } catch (WasmTrap trap) {
            if (startsWith(trap.getMessage(), c.text())) report.pass();
            else report.fail(c, c.filename(), expected + "trap \"" + trap.getMessage() + "\"");
        } catch (Throwable t) {
            report.fail(c, c.filename(), expected + Values.describe(t));
        }
    }

    private void startThread(Scope scope, Command.Thread c) {
        Scope child = scope.forThread(c.shared());
        Runnable body = () -> {
            try {
                runAll(child, c.commands());
            } catch (Throwable t) {
                report.fail(c, c.name(), "thread aborted by " + Values.describe(t));
            }
        };
        Thread thread = new Thread(null, body, "spectest thread " + c.name(), STACK_SIZE);
        thread.setDaemon(true);
        scope.started(c.name(), thread);
        synchronized (this) {
            started.add(thread);
        }
        thread.start();
    }

    private void await(Scope scope, Command.Wait c) {
        Thread thread = scope.waitingFor(c.thread());
        if (thread == null) {
            report.fail(c, c.thread(), "no running thread of that name");
        } else if (!join(thread)) {
            report.fail(c, c.thread(), "thread still running after " + ScriptExecution.seconds(joinTimeout));
        }
    }

    /** Waits for a thread; one that outlives the timeout is told to stop and abandoned. */
    private boolean join(Thread thread) {
        try {
            if (thread.join(joinTimeout)) return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        return false;
    }

    /** Imports for one instantiation; their termination flag is kept so that {@link #terminate} reaches the instance. */
    private synchronized Imports imports(Scope scope) {
        if (spectest == null) spectest = spectestFactory.get();
        Imports imports = scope.imports(Map.of("spectest", spectest));
        terminations.add(imports.termination());
        return imports;
    }

    /**
     * Stops wasm code of this script that is still running, such as an abandoned thread's loop:
     * generated code polls its termination flag at function entries and loop headers, and an
     * interrupt ends a {@code memory.atomic.wait}.
     */
    synchronized void terminate() {
        terminations.forEach(Termination::request);
        started.forEach(Thread::interrupt);
    }

    private byte[] read(String filename) throws IOException {
        return modules.read(filename);
    }

    private static boolean startsWith(String message, String expected) {
        return message != null && message.startsWith(expected);
    }

    private static String describe(List<Expectation> expected) {
        return expected.stream().map(Expectation::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Results next to the expectation they failed, each in the form best compared with it. */
    private static String describe(Object[] results, List<Expectation> expected) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < results.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(i < expected.size() ? expected.get(i).describeActual(results[i]) : Values.describe(results[i]));
        }
        return sb.append("]").toString();
    }

    private static String subject(Command command) {
        return switch (command) {
            case Command.Module c -> c.filename();
            case Command.Define c -> c.filename();
            case Command.Instantiate c -> c.definition();
            case Command.AssertException c -> c.action().toString();
            case Command.Register c -> c.as();
            case Command.Perform c -> c.action().toString();
            case Command.AssertReturn c -> c.action().toString();
            case Command.AssertTrap c -> c.action().toString();
            case Command.AssertModule c -> c.filename();
            case Command.Thread c -> c.name();
            case Command.Wait c -> c.thread();
        };
    }
}
