package dev.wasm2jvm.compiler;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiler's packages depend on each other in one direction, read from the compiled classes, so
 * that a package can be understood, and moved, without the ones that use it. A class's references
 * are the compiler classes named in its constant pool's strings of names and descriptors (string
 * literals excluded), which is where a class file names every class it uses.
 */
class PackageDependenciesTest {
    private static final String ROOT = "dev/wasm2jvm/compiler";
    private static final Pattern COMPILER_CLASS = Pattern.compile(ROOT + "(/[\\w$]+)+");
    private static final int CONSTANT_UTF8 = 1;
    private static final int CONSTANT_STRING = 8;

    /** The API types a compilation reports through, which every stage may name. */
    private static final Set<String> API_TYPES_FOR_STAGES = Set.of(
            ROOT + "/CompileException", ROOT + "/CompileException$Kind", ROOT + "/CompileProgress");

    /**
     * The code generator's packages from the bottom up: each may refer only to the packages before
     * it. {@code layout} is what every emitter names (the module's classes, fields and methods, the
     * runtime's members, the JVM's types and limits); {@code body} lowers instructions; {@code split}
     * plans and lowers functions too large for one method; {@code instance} and {@code facade} emit
     * the module class's other members and its typed API; {@code emit} is the pipeline over them.
     */
    private static final List<String> EMIT_LAYERS = List.of("emit/layout", "emit/body", "emit/split", "emit/instance",
            "emit/facade", "emit");

    /** Package → the packages it refers to, each with one referring class and referred class. */
    private static Map<String, Map<String, String>> graph;

    @BeforeAll
    static void readClasses() throws IOException, URISyntaxException {
        Path classes = Path.of(WasmCompiler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes.resolve(ROOT)), "compiled classes not found under " + classes);
        graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes.resolve(ROOT))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                record(new ClassReader(Files.readAllBytes(file)));
            }
        }
    }

    private static void record(ClassReader reader) {
        String from = reader.getClassName();
        String fromPackage = packageOf(from);
        Map<String, String> edges = graph.computeIfAbsent(fromPackage, p -> new TreeMap<>());
        for (String name : namesAndDescriptors(reader)) {
            Matcher m = COMPILER_CLASS.matcher(name);
            while (m.find()) {
                String to = m.group();
                String toPackage = packageOf(to);
                if (toPackage.equals(fromPackage)) continue;
                edges.putIfAbsent(toPackage, from + " -> " + to);
                if (toPackage.equals(ROOT) && !API_TYPES_FOR_STAGES.contains(to)) {
                    edges.put(ROOT + " (beyond the reporting types)", from + " -> " + to);
                }
            }
        }
    }

    /**
     * The constant pool's UTF-8 entries but the texts of string literals, which are messages and
     * generated names, not uses. Read as Latin-1: the names matched are ASCII.
     */
    private static List<String> namesAndDescriptors(ClassReader reader) {
        Set<Integer> literals = new TreeSet<>();
        List<Integer> utf8 = new ArrayList<>();
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);
            if (offset == 0) continue;
            int tag = reader.readByte(offset - 1);
            if (tag == CONSTANT_STRING) literals.add(reader.readUnsignedShort(offset));
            if (tag == CONSTANT_UTF8) utf8.add(i);
        }
        List<String> names = new ArrayList<>();
        for (int i : utf8) {
            if (literals.contains(i)) continue;
            int offset = reader.getItem(i);
            byte[] text = new byte[reader.readUnsignedShort(offset)];
            for (int k = 0; k < text.length; k++) text[k] = (byte) reader.readByte(offset + 2 + k);
            names.add(new String(text, StandardCharsets.ISO_8859_1));
        }
        return names;
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }

    @Test
    void stagesNameOnlyTheReportingTypesOfTheApiPackage() {
        List<String> violations = new ArrayList<>();
        graph.forEach((from, edges) -> edges.forEach((to, example) -> {
            if (to.startsWith(ROOT + " (")) violations.add(from + ": " + example);
        }));
        assertEquals(List.of(), violations);
    }

    @Test
    void packagesBelowTheApiFormNoCycle() {
        Map<String, Set<String>> stages = new TreeMap<>();
        graph.forEach((from, edges) -> {
            if (from.equals(ROOT)) return;
            Set<String> to = new TreeSet<>();
            for (String target : edges.keySet()) {
                if (!target.startsWith(ROOT + " (") && !target.equals(ROOT)) to.add(target);
            }
            stages.put(from, to);
        });
        assertTrue(stages.containsKey(ROOT + "/emit") && stages.containsKey(ROOT + "/decode"),
                "expected the stage packages, found " + stages.keySet());
        List<String> cycles = new ArrayList<>();
        for (List<String> component : stronglyConnected(stages)) {
            if (component.size() < 2) continue;
            StringBuilder edges = new StringBuilder(String.join(" <-> ", component));
            for (String from : component) {
                for (String to : component) {
                    String example = graph.get(from).get(to);
                    if (example != null) edges.append("\n  ").append(example);
                }
            }
            cycles.add(edges.toString());
        }
        assertEquals(List.of(), cycles);
    }

    @Test
    void theFrontEndDoesNotKnowTheCodeGenerator() {
        for (String frontEnd : List.of("binary", "code", "decode", "module", "text", "validate")) {
            Map<String, String> edges = graph.getOrDefault(ROOT + "/" + frontEnd, Map.of());
            edges.forEach((to, example) -> assertFalse(to.startsWith(ROOT + "/emit") || to.startsWith(ROOT + "/debug"),
                    frontEnd + " refers to the code generator: " + example));
        }
    }

    @Test
    void theCodeGeneratorsPackagesReferOnlyToTheLayersBelow() {
        List<String> violations = new ArrayList<>();
        for (int from = 0; from < EMIT_LAYERS.size(); from++) {
            Map<String, String> edges = graph.getOrDefault(ROOT + "/" + EMIT_LAYERS.get(from), Map.of());
            for (int to = from + 1; to < EMIT_LAYERS.size(); to++) {
                String example = edges.get(ROOT + "/" + EMIT_LAYERS.get(to));
                if (example != null) violations.add(EMIT_LAYERS.get(from) + " -> " + EMIT_LAYERS.get(to) + ": " + example);
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void everyPackageOfTheCodeGeneratorHasALayer() {
        Set<String> layers = new TreeSet<>();
        for (String layer : EMIT_LAYERS) layers.add(ROOT + "/" + layer);
        List<String> unplaced = new ArrayList<>();
        for (String p : graph.keySet()) {
            if (p.startsWith(ROOT + "/emit") && !layers.contains(p)) unplaced.add(p);
        }
        assertEquals(List.of(), unplaced);
    }

    /** Tarjan's algorithm, iterative over an explicit stack of successor iterators. */
    private static List<List<String>> stronglyConnected(Map<String, Set<String>> successors) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> components = new ArrayList<>();
        for (String start : successors.keySet()) {
            if (index.containsKey(start)) continue;
            Deque<Map.Entry<String, java.util.Iterator<String>>> work = new ArrayDeque<>();
            visit(start, index, low, stack, onStack, successors, work);
            while (!work.isEmpty()) {
                Map.Entry<String, java.util.Iterator<String>> top = work.peek();
                String node = top.getKey();
                if (top.getValue().hasNext()) {
                    String next = top.getValue().next();
                    if (!index.containsKey(next)) {
                        visit(next, index, low, stack, onStack, successors, work);
                    } else if (onStack.contains(next)) {
                        low.put(node, Math.min(low.get(node), index.get(next)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = work.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(node)));
                }
                if (low.get(node).equals(index.get(node))) {
                    List<String> component = new ArrayList<>();
                    String member;
                    do {
                        member = stack.pop();
                        onStack.remove(member);
                        component.add(member);
                    } while (!member.equals(node));
                    components.add(component);
                }
            }
        }
        return components;
    }

    private static void visit(String node, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                              Set<String> onStack, Map<String, Set<String>> successors,
                              Deque<Map.Entry<String, java.util.Iterator<String>>> work) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        work.push(Map.entry(node, successors.getOrDefault(node, Set.of()).iterator()));
    }
}
