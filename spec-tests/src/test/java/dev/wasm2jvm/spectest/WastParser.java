package dev.wasm2jvm.spectest;

import dev.wasm2jvm.compiler.text.Literals;
import dev.wasm2jvm.compiler.text.SExpr;
import dev.wasm2jvm.compiler.text.Wat;
import dev.wasm2jvm.runtime.V128;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code .wast} script, the spec interpreter's command language, into the {@link Command}s
 * the wast2json scripts give. Each module form gets a file name ({@code <script>.<line>.wat}, or
 * {@code .wasm} for {@code module binary}) by which the runner asks for its bytes; those are made
 * only then, by {@link Wat#module}, so that a malformed module is rejected by its assertion.
 */
final class WastParser {
    /** The commands of a script and its modules by file name. */
    record Parsed(List<Command> commands, ModuleFiles modules) {}

    private static final Set<String> MODULE_FIELDS = Set.of("type", "rec", "import", "func", "table", "memory", "global",
            "tag", "export", "start", "elem", "data");

    private final String stem;
    private final Map<String, SExpr.Node> modules = new HashMap<>();

    private WastParser(String stem) {
        this.stem = stem;
    }

    static Parsed parse(Path wast) throws IOException {
        String name = wast.getFileName().toString();
        return parse(name.substring(0, name.length() - ".wast".length()), Files.readString(wast, StandardCharsets.UTF_8));
    }

    static Parsed parse(String stem, String text) {
        WastParser parser = new WastParser(stem);
        List<Command> commands = new ArrayList<>();
        List<SExpr> items = SExpr.read(text);
        if (!items.isEmpty() && items.getFirst() instanceof SExpr.Node first && MODULE_FIELDS.contains(first.head())) {
            // A script of module fields alone is one module, as a .wat file is.
            SExpr.Atom module = new SExpr.Atom(SExpr.Kind.KEYWORD, "module", null, first.line(), first.column());
            List<SExpr> fields = new ArrayList<>(List.of(module));
            fields.addAll(items);
            items = List.of(new SExpr.Node(fields, List.of(), null, first.line(), first.column()));
        }
        for (SExpr item : items) commands.add(parser.command(item));
        Map<String, SExpr.Node> modules = Map.copyOf(parser.modules);
        return new Parsed(List.copyOf(commands), filename -> {
            SExpr.Node form = modules.get(filename);
            if (form == null) throw new FileNotFoundException(filename);
            return Wat.module(form);
        });
    }

    private Command command(SExpr item) {
        SExpr.Node n = node(item);
        int line = n.line();
        List<SExpr> items = n.items();
        String head = n.head();
        if (head == null) throw new IllegalArgumentException("line " + line + ": not a command: " + n);
        return switch (head) {
            case "module" -> {
                if (items.size() > 1 && items.get(1) instanceof SExpr.Atom a && a.is("instance")) {
                    String name = id(items, 2);
                    yield new Command.Instantiate(line, name, id(items, name == null ? 2 : 3));
                }
                boolean definition = items.size() > 1 && items.get(1) instanceof SExpr.Atom a && a.is("definition");
                String name = id(items, definition ? 2 : 1);
                String filename = module(n);
                yield definition ? new Command.Define(line, name, filename) : new Command.Module(line, name, filename);
            }
            case "register" -> new Command.Register(line, id(items, 2), string(items.get(1)));
            case "invoke", "get" -> new Command.Perform(line, action(n));
            case "assert_return" -> new Command.AssertReturn(line, action(node(items.get(1))), alternatives(items));
            case "assert_trap" -> {
                SExpr.Node subject = node(items.get(1));
                String text = string(items.get(2));
                yield subject.startsWith("module")
                        ? new Command.AssertModule(line, "assert_uninstantiable", module(subject), text)
                        : new Command.AssertTrap(line, head, action(subject), text);
            }
            case "assert_exhaustion" -> new Command.AssertTrap(line, head, action(node(items.get(1))), string(items.get(2)));
            case "assert_exception" -> new Command.AssertException(line, action(node(items.get(1))));
            case "assert_malformed", "assert_invalid", "assert_unlinkable", "assert_malformed_custom",
                 "assert_invalid_custom" -> new Command.AssertModule(line, head, module(node(items.get(1))),
                    string(items.get(2)));
            case "thread" -> thread(n);
            case "wait" -> new Command.Wait(line, id(items, 1));
            default -> throw new IllegalArgumentException("line " + line + ": unknown command " + head);
        };
    }

    private Command thread(SExpr.Node n) {
        List<String> shared = new ArrayList<>();
        List<Command> commands = new ArrayList<>();
        for (int i = 2; i < n.items().size(); i++) {
            SExpr.Node item = node(n.items().get(i));
            if (item.startsWith("shared")) {
                for (SExpr module : item.items().subList(1, item.items().size())) shared.add(id(node(module).items(), 1));
            } else {
                commands.add(command(item));
            }
        }
        return new Command.Thread(n.line(), id(n.items(), 1), List.copyOf(shared), List.copyOf(commands));
    }

    /** Gives a module form its file name. */
    private String module(SExpr.Node form) {
        boolean binary = form.items().stream().anyMatch(i -> i instanceof SExpr.Atom a && a.is("binary"));
        String filename = stem + "." + form.line() + (binary ? ".wasm" : ".wat");
        modules.put(filename, form);
        return filename;
    }

    /** {@code (invoke $M? "name" arg*)} or {@code (get $M? "name")}. */
    private static Action action(SExpr.Node n) {
        List<SExpr> items = n.items();
        String module = id(items, 1);
        int next = module == null ? 1 : 2;
        String field = string(items.get(next));
        List<Object> args = new ArrayList<>();
        for (SExpr arg : items.subList(next + 1, items.size())) args.add(argument(node(arg)));
        Action.Kind kind = switch (n.head()) {
            case "invoke" -> Action.Kind.INVOKE;
            case "get" -> Action.Kind.GET;
            default -> throw new IllegalArgumentException("line " + n.line() + ": not an action: " + n);
        };
        // Arguments may be null (ref.null), which List.copyOf would reject.
        return new Action(kind, module, field, Collections.unmodifiableList(args));
    }

    private static Object argument(SExpr.Node n) {
        List<SExpr> items = n.items();
        return switch (n.head()) {
            case "i32.const" -> (int) Literals.integer(atom(items.get(1)), 32);
            case "i64.const" -> Literals.integer(atom(items.get(1)), 64);
            case "f32.const" -> Float.intBitsToFloat(Literals.f32(atom(items.get(1))));
            case "f64.const" -> Double.longBitsToDouble(Literals.f64(atom(items.get(1))));
            case "v128.const" -> vector(n);
            case "ref.null" -> null;
            case "ref.extern", "ref.host" -> HostRef.of(Literals.integer(atom(items.get(1)), 64));
            default -> throw new IllegalArgumentException("line " + n.line() + ": unknown argument " + n);
        };
    }

    private static V128 vector(SExpr.Node n) {
        String laneType = laneType(atom(n.items().get(1)).text());
        int count = Lanes.count(laneType);
        long[] bits = new long[count];
        for (int i = 0; i < count; i++) {
            SExpr.Atom lane = atom(n.items().get(2 + i));
            bits[i] = switch (laneType) {
                case "f32" -> Literals.f32(lane);
                case "f64" -> Literals.f64(lane);
                default -> Literals.integer(lane, Integer.parseInt(laneType.substring(1)));
            };
        }
        return Lanes.pack(laneType, bits);
    }

    /** {@code i32x4} is lane type {@code i32}. */
    private static String laneType(String shape) {
        return shape.substring(0, shape.indexOf('x'));
    }

    /** The expected results; {@code (either ...)} in place of a result makes one alternative per option. */
    private static List<List<Expectation>> alternatives(List<SExpr> items) {
        List<List<Expectation>> alternatives = new ArrayList<>();
        alternatives.add(new ArrayList<>());
        for (SExpr item : items.subList(2, items.size())) {
            SExpr.Node n = node(item);
            if (n.startsWith("either")) {
                List<List<Expectation>> expanded = new ArrayList<>();
                for (SExpr option : n.items().subList(1, n.items().size())) {
                    for (List<Expectation> prefix : alternatives) {
                        List<Expectation> alternative = new ArrayList<>(prefix);
                        alternative.add(expectation(node(option)));
                        expanded.add(alternative);
                    }
                }
                alternatives = expanded;
            } else {
                for (List<Expectation> alternative : alternatives) alternative.add(expectation(n));
            }
        }
        return alternatives.stream().map(List::copyOf).toList();
    }

    private static Expectation expectation(SExpr.Node n) {
        List<SExpr> items = n.items();
        String head = n.head();
        return switch (head) {
            case "i32.const" -> new Expectation.I32((int) Literals.integer(atom(items.get(1)), 32));
            case "i64.const" -> new Expectation.I64(Literals.integer(atom(items.get(1)), 64));
            case "f32.const", "f64.const" -> scalar(head.substring(0, 3), atom(items.get(1)));
            case "v128.const" -> {
                String laneType = laneType(atom(items.get(1)).text());
                List<Expectation> lanes = new ArrayList<>();
                for (SExpr lane : items.subList(2, items.size())) lanes.add(scalar(laneType, atom(lane)));
                if (lanes.size() != Lanes.count(laneType)) {
                    throw new IllegalArgumentException("line " + n.line() + ": wrong number of lanes in " + n);
                }
                yield new Expectation.Vector(laneType, List.copyOf(lanes));
            }
            case "ref.null" -> new Expectation.NullRef(items.size() > 1 ? atom(items.get(1)).text() : "any");
            case "ref.extern", "ref.host" -> items.size() > 1
                    ? new Expectation.Extern(Literals.integer(atom(items.get(1)), 64)) : new Expectation.SomeRef("extern");
            case "ref.func" -> new Expectation.SomeRef("func");
            case "ref.struct", "ref.array", "ref.i31", "ref.eq", "ref.any", "ref.exn" ->
                    new Expectation.SomeRef(head.substring(4));
            default -> throw new IllegalArgumentException("line " + n.line() + ": unknown result " + n);
        };
    }

    /** A number of a lane or scalar type, or a NaN pattern for a float one. */
    private static Expectation scalar(String type, SExpr.Atom value) {
        if (value.is("nan:canonical") || value.is("nan:arithmetic")) {
            return new Expectation.NaN(type.equals("f32") ? 32 : 64, value.is("nan:canonical"));
        }
        return switch (type) {
            case "i8" -> new Expectation.I32((int) Literals.integer(value, 8) & 0xff);
            case "i16" -> new Expectation.I32((int) Literals.integer(value, 16) & 0xffff);
            case "i32" -> new Expectation.I32((int) Literals.integer(value, 32));
            case "i64" -> new Expectation.I64(Literals.integer(value, 64));
            case "f32" -> new Expectation.F32(Literals.f32(value));
            case "f64" -> new Expectation.F64(Literals.f64(value));
            default -> throw new IllegalArgumentException("unknown lane type " + type);
        };
    }

    /** The identifier at {@code index}, with its {@code $} as wast2json writes names, or null. */
    private static String id(List<SExpr> items, int index) {
        return index < items.size() && items.get(index) instanceof SExpr.Atom a && a.kind() == SExpr.Kind.ID
                ? "$" + a.text() : null;
    }

    private static String string(SExpr item) {
        SExpr.Atom a = atom(item);
        if (a.kind() != SExpr.Kind.STRING) throw new IllegalArgumentException("line " + a.line() + ": not a string: " + a);
        return a.string();
    }

    private static SExpr.Atom atom(SExpr item) {
        if (item instanceof SExpr.Atom a) return a;
        throw new IllegalArgumentException("line " + item.line() + ": not a token: " + item);
    }

    private static SExpr.Node node(SExpr item) {
        if (item instanceof SExpr.Node n) return n;
        throw new IllegalArgumentException("line " + item.line() + ": not a list: " + item);
    }
}
