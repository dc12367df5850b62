package dev.wasm2jvm.spectest;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs one script on a thread of its own under an overall time limit, so that a module that loops
 * forever costs one script, not the build. Afterwards, wasm code of the script that is still running
 * (the script timed out, or left a thread behind) is asked to stop through its termination flag and
 * interrupted; its threads are daemons and their late results are ignored.
 */
final class ScriptExecution {
    private final Engine engine;
    private final Supplier<Map<String, Object>> spectest;
    private final Duration scriptTimeout;
    private final Duration joinTimeout;

    ScriptExecution(Engine engine, Supplier<Map<String, Object>> spectest, Duration scriptTimeout, Duration joinTimeout) {
        this.engine = engine;
        this.spectest = spectest;
        this.scriptTimeout = scriptTimeout;
        this.joinTimeout = joinTimeout;
    }

    ScriptResult run(Script script) throws IOException, InterruptedException {
        List<Command> commands;
        ScriptRunner runner;
        ScriptReport report;
        if (script.isWast()) {
            WastParser.Parsed parsed;
            try {
                parsed = WastParser.parse(script.json());
            } catch (RuntimeException e) {
                // A script this runner cannot read is one failure in the table, not a missing row.
                return new ScriptResult(script, 0, 1, 0,
                        List.of(new Failure(0, "script", script.name(), "cannot be read: " + Values.describe(e))), List.of());
            }
            commands = parsed.commands();
            report = new ScriptReport(script, Command.countAssertions(commands));
            runner = new ScriptRunner(parsed.modules(), engine, spectest, report, joinTimeout);
        } else {
            commands = ScriptParser.parse(script.json());
            report = new ScriptReport(script, Command.countAssertions(commands));
            runner = new ScriptRunner(script.directory(), engine, spectest, report, joinTimeout);
        }
        Thread thread = new Thread(null, () -> runner.run(commands), "spectest " + script.id(), ScriptRunner.STACK_SIZE);
        thread.setDaemon(true);
        thread.start();
        boolean finished = thread.join(scriptTimeout);
        // Closed first, so that what the stopping threads record is ignored.
        ScriptResult result = report.close(finished ? "a thread of the script did not finish"
                : "the script timed out after " + seconds(scriptTimeout));
        runner.terminate();
        thread.interrupt();
        return result;
    }

    static String seconds(Duration duration) {
        return duration.toMillis() / 1000.0 + " s";
    }
}
