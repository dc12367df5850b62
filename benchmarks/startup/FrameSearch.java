import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.StackMapFrameInfo;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipFile;

/**
 * What HotSpot's verifier spends finding the frames of jump targets in a compiled jar's generated
 * classes: {@code java FrameSearch.java X.jar [N]} prints, by kind of method, the steps of that
 * search, then the N methods that cost most.
 *
 * <p>The verifier finds the frame of each jump's, switch case's and exception handler's target by a
 * linear search of the method's {@code StackMapTable} ({@code StackMapTable::get_index_from_offset}),
 * so a target costs the index of its frame plus one, and a switch of n targets in a method of n
 * frames n * n / 2. Kinds: the generated helpers by the name before their {@code $}, and
 * {@code functions}, every other method (the functions', their outlined parts, trampolines). Figures:
 * {@code benchmarks/README.md}, "What a start verifies".
 */
public class FrameSearch {
    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Map<String, long[]> byKind = new TreeMap<>();
        List<Map.Entry<Long, String>> methods = new ArrayList<>();
        try (ZipFile zip = new ZipFile(Path.of(args[0]).toFile())) {
            for (var entry : Collections.list(zip.entries())) {
                if (!entry.getName().startsWith("wasm/") || !entry.getName().endsWith(".class")) continue;
                ClassModel model = ClassFile.of().parse(zip.getInputStream(entry).readAllBytes());
                for (MethodModel method : model.methods()) {
                    CodeModel code = method.code().orElse(null);
                    if (code == null) continue;
                    long steps = steps(code);
                    String name = method.methodName().stringValue();
                    long[] kind = byKind.computeIfAbsent(kind(name), k -> new long[2]);
                    kind[0] += steps;
                    kind[1]++;
                    methods.add(Map.entry(steps, model.thisClass().asInternalName() + "." + name));
                }
            }
        }
        byKind.forEach((kind, v) -> System.out.printf("%-16s %,12d steps in %,d methods%n", kind, v[0], v[1]));
        methods.sort(Map.Entry.<Long, String>comparingByKey().reversed());
        methods.stream().limit(top).forEach(m -> System.out.printf("%,12d %s%n", m.getKey(), m.getValue()));
    }

    /** The steps of the frame search for every target of {@code code}'s jumps, switches and handlers. */
    private static long steps(CodeModel code) {
        List<StackMapFrameInfo> frames = code.findAttribute(Attributes.stackMapTable())
                .map(table -> table.entries()).orElse(List.of());
        Map<Label, Integer> index = new HashMap<>();
        for (int i = 0; i < frames.size(); i++) index.put(frames.get(i).target(), i);
        List<Label> targets = new ArrayList<>();
        code.forEach(element -> {
            switch (element) {
                case BranchInstruction b -> targets.add(b.target());
                case TableSwitchInstruction t -> {
                    targets.add(t.defaultTarget());
                    t.cases().stream().map(SwitchCase::target).forEach(targets::add);
                }
                case LookupSwitchInstruction l -> {
                    targets.add(l.defaultTarget());
                    l.cases().stream().map(SwitchCase::target).forEach(targets::add);
                }
                case ExceptionCatch c -> targets.add(c.handler());
                default -> { }
            }
        });
        long steps = 0;
        for (Label target : targets) steps += index.getOrDefault(target, frames.size() - 1) + 1;
        return steps;
    }

    /** The kind of a generated method: a helper's name before its {@code $}, else {@code functions}. */
    private static String kind(String name) {
        int dollar = name.indexOf('$');
        String prefix = dollar < 0 ? name : name.substring(0, dollar);
        return HELPERS.contains(prefix) ? prefix : "functions";
    }

    /** The generated helpers' names before their {@code $} (the compiler's {@code GeneratedNames}), and constructors. */
    private static final Set<String> HELPERS =
            Set.of("call_indirect", "newFuncRef", "br_table", "init", "clinit", "hostFunctions", "<init>", "<clinit>");
}
