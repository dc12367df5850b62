package dev.wasm2jvm.spectest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads the JSON that wast2json (and the corpus's thread extension) writes into {@link Command}s. */
final class ScriptParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScriptParser() {}

    static List<Command> parse(Path json) throws IOException {
        return commands(JSON.readTree(json.toFile()).path("commands"));
    }

    static List<Command> parse(String json) throws IOException {
        return commands(JSON.readTree(json).path("commands"));
    }

    private static List<Command> commands(JsonNode array) {
        List<Command> commands = new ArrayList<>(array.size());
        for (JsonNode c : array) commands.add(command(c));
        return List.copyOf(commands);
    }

    private static Command command(JsonNode c) {
        int line = c.path("line").asInt();
        String type = c.path("type").asText();
        return switch (type) {
            case "module" -> new Command.Module(line, text(c, "name"), c.path("filename").asText());
            case "register" -> new Command.Register(line, text(c, "name"), c.path("as").asText());
            case "action" -> new Command.Perform(line, action(c.path("action")));
            case "assert_return" -> new Command.AssertReturn(line, action(c.path("action")), alternatives(c));
            case "assert_trap", "assert_exhaustion" ->
                    new Command.AssertTrap(line, type, action(c.path("action")), c.path("text").asText());
            case "assert_malformed", "assert_invalid", "assert_unlinkable", "assert_uninstantiable" ->
                    new Command.AssertModule(line, type, c.path("filename").asText(), c.path("text").asText());
            case "thread" -> new Command.Thread(line, c.path("name").asText(), strings(c.path("shared_modules")),
                    commands(c.path("commands")));
            case "wait" -> new Command.Wait(line, c.path("thread").asText());
            default -> throw new IllegalArgumentException("line " + line + ": unknown command type " + type);
        };
    }

    private static Action action(JsonNode a) {
        Action.Kind kind = switch (a.path("type").asText()) {
            case "invoke" -> Action.Kind.INVOKE;
            case "get" -> Action.Kind.GET;
            default -> throw new IllegalArgumentException("unknown action type " + a.path("type"));
        };
        List<Object> args = new ArrayList<>();
        for (JsonNode arg : a.path("args")) args.add(Values.argument(arg));
        // Arguments may be null (ref.null), which List.copyOf would reject.
        return new Action(kind, text(a, "module"), a.path("field").asText(), Collections.unmodifiableList(args));
    }

    /** {@code either} lists single-value alternatives; otherwise {@code expected} is the one alternative. */
    private static List<List<Expectation>> alternatives(JsonNode c) {
        List<List<Expectation>> alternatives = new ArrayList<>();
        if (c.has("either")) {
            for (JsonNode e : c.path("either")) alternatives.add(List.of(Expectation.parse(e)));
        } else {
            List<Expectation> expected = new ArrayList<>();
            for (JsonNode e : c.path("expected")) expected.add(Expectation.parse(e));
            alternatives.add(List.copyOf(expected));
        }
        return List.copyOf(alternatives);
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        for (JsonNode s : array) strings.add(s.asText());
        return List.copyOf(strings);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
