package dev.wasm2jvm.spectest;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the outcome of a script's commands while it runs. Threads of the script record into
 * the same report, hence the locking. Once closed (the script finished or was abandoned), the
 * report ignores further records, so that a thread still running after a timeout cannot change
 * the counts that were already taken.
 *
 * <p>Counting: each assertion command counts once, as passed or failed. Other commands
 * ({@code module}, {@code register}, {@code action}, {@code wait}) count only when they fail.
 */
final class ScriptReport {
    private final Script script;
    private final int assertions;
    private final List<Failure> failures = new ArrayList<>();
    private final List<Failure> notes = new ArrayList<>();
    private int passed;
    private int failed;
    private int assertionsRecorded;
    private int lastLine;
    private boolean closed;

    ScriptReport(Script script, int assertions) {
        this.script = script;
        this.assertions = assertions;
    }

    /** Remembers where the script is, for the report of a timeout. */
    synchronized void starting(Command command) {
        lastLine = command.line();
    }

    synchronized void pass() {
        if (closed) return;
        passed++;
        assertionsRecorded++;
    }

    synchronized void fail(Command command, String subject, String detail) {
        if (closed) return;
        failed++;
        if (command.isAssertion()) assertionsRecorded++;
        failures.add(new Failure(command.line(), command.type(), subject, detail));
    }

    /** A detail worth reading that does not make the command fail. */
    synchronized void note(Command command, String subject, String detail) {
        if (closed) return;
        notes.add(new Failure(command.line(), command.type(), subject, detail));
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Ends recording. Assertions that never ran (the script timed out, or a thread was abandoned)
     * count as failed, listed as one failure that gives {@code why}.
     */
    synchronized ScriptResult close(String why) {
        if (!closed) {
            int notRun = assertions - assertionsRecorded;
            if (notRun > 0) {
                failed += notRun;
                failures.add(new Failure(lastLine, "script", script.name(), notRun + " assertions not run: " + why));
            }
            closed = true;
        }
        // Every module is read, text ones too, so no assertion is skipped.
        return new ScriptResult(script, passed, failed, 0, List.copyOf(failures), List.copyOf(notes));
    }
}
