package dev.wasm2jvm.spectest;

import java.util.List;

/** One command of a script (wast2json or {@code .wast}); {@link #type()} is its JSON {@code type}. */
sealed interface Command {
    int line();

    String type();

    /** Whether the command is an assertion, the unit the conformance counts are made of. */
    default boolean isAssertion() {
        return type().startsWith("assert_");
    }

    /** Compile and instantiate {@code filename}; bind it to {@code name} (may be null) and make it the current module. */
    record Module(int line, String name, String filename) implements Command {
        public String type() {
            return "module";
        }
    }

    /** {@code module definition}: compile {@code filename} without instantiating it, for {@link Instantiate}. */
    record Define(int line, String name, String filename) implements Command {
        public String type() {
            return "module";
        }
    }

    /** {@code module instance}: instantiate the definition {@code definition}, bind it to {@code name} and make it current. */
    record Instantiate(int line, String name, String definition) implements Command {
        public String type() {
            return "module";
        }
    }

    /** The action ends by throwing a wasm exception (an uncaught {@code throw}). */
    record AssertException(int line, Action action) implements Command {
        public String type() {
            return "assert_exception";
        }
    }

    /** Make the module bound to {@code name} (or the current one when null) importable as {@code as}. */
    record Register(int line, String name, String as) implements Command {
        public String type() {
            return "register";
        }
    }

    /** A bare action; it only has to complete. */
    record Perform(int line, Action action) implements Command {
        public String type() {
            return "action";
        }
    }

    /** The action's results match one of the alternatives (one alternative unless the script says {@code either}). */
    record AssertReturn(int line, Action action, List<List<Expectation>> alternatives) implements Command {
        public String type() {
            return "assert_return";
        }
    }

    /** The action traps with a message that starts with {@code text}; {@code type} is assert_trap or assert_exhaustion. */
    record AssertTrap(int line, String type, Action action, String text) implements Command {}

    /**
     * A module that must not make it to a working instance: {@code type} is assert_malformed,
     * assert_invalid, assert_unlinkable, assert_uninstantiable, or the {@code _custom} forms of the
     * first two. The module may be text ({@code .wat}), which the compiler converts.
     */
    record AssertModule(int line, String type, String filename, String text) implements Command {}

    /** Run {@code commands} on a new thread that sees only the {@code shared} modules of the enclosing scope. */
    record Thread(int line, String name, List<String> shared, List<Command> commands) implements Command {
        public String type() {
            return "thread";
        }
    }

    /** Join the thread {@code thread}. */
    record Wait(int line, String thread) implements Command {
        public String type() {
            return "wait";
        }
    }

    /** The assertions among {@code commands}, including those in thread bodies. */
    static int countAssertions(List<Command> commands) {
        int n = 0;
        for (Command c : commands) {
            if (c instanceof Thread t) n += countAssertions(t.commands());
            else if (c.isAssertion()) n++;
        }
        return n;
    }
}
