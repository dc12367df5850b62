package dev.wasm2jvm.compiler;

import dev.wasm2jvm.compiler.emit.layout.GeneratedNames;
import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.LinkException;
import dev.wasm2jvm.runtime.WasmTrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The classes compiled from one module: write them out, or load them and instantiate the module.
 * Loading happens once, on the first instantiation; later instances share the loaded classes.
 */
public final class CompiledModule {
    private final String className;
    private final Map<String, byte[]> classFiles;
    private final Map<String, byte[]> resources;
    private final boolean command;
    private volatile MethodHandle constructor;

    CompiledModule(String className, Map<String, byte[]> classFiles, Map<String, byte[]> resources, boolean command) {
        this.className = className;
        this.classFiles = Map.copyOf(classFiles);
        this.resources = Map.copyOf(resources);
        this.command = command;
    }

    /**
     * Whether the module is a WASI command (it exports {@code _start: [] -> []}): its class then
     * has {@code public static void main(String[] args)}, which {@link Launcher} can call.
     */
    public boolean isCommand() {
        return command;
    }

    /**
     * Classes compiled earlier, for instance kept in a cache by {@link #classFiles()} and
     * {@link #resources()}: the module's class {@code className} and every class it uses, by binary
     * name, and the resources they read, by path.
     *
     * @throws IllegalArgumentException if {@code className} is not among the classes
     */
    public static CompiledModule of(String className, Map<String, byte[]> classFiles, Map<String, byte[]> resources) {
        byte[] moduleClass = classFiles.get(className);
        if (moduleClass == null) throw new IllegalArgumentException("no class " + className);
        return new CompiledModule(className, classFiles, resources, hasMain(moduleClass));
    }

    /** Whether a module's class is a command's: the compiler gives only those a {@code main}. */
    private static boolean hasMain(byte[] classFile) {
        boolean[] found = {false};
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if (name.equals("main") && descriptor.equals("([Ljava/lang/String;)V") && (access & Opcodes.ACC_STATIC) != 0) {
                    found[0] = true;
                }
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return found[0];
    }

    /** The binary name of the module's class, e.g. {@code com.example.Hello}. */
    public String className() {
        return className;
    }

    /** Every generated class file, by binary class name. */
    public Map<String, byte[]> classFiles() {
        return new TreeMap<>(classFiles);
    }

    /**
     * How many code classes the methods of the module's functions are spread over (its class's
     * nested classes {@code Code0} and on), each loaded when one of its methods is first called; 0
     * when the module's class holds them all.
     */
    public int codeClassCount() {
        int count = 0;
        while (classFiles.containsKey(GeneratedNames.codeClass(className, count))) count++;
        return count;
    }

    /**
     * These classes with the module's class implementing its API interface,
     * {@link WasmCompiler#apiInterfaceName}, and its {@code Imports} interface, if it has one,
     * extending the API interface's. The interface is not among the classes: compile the source
     * {@link WasmCompiler#apiInterfaceSource} gives with the code using the module, so that it is
     * on the class path when the module's class loads.
     */
    public CompiledModule implementingApiInterface() {
        String api = WasmCompiler.apiInterfaceName(className).replace('.', '/');
        Map<String, byte[]> rewritten = new TreeMap<>(classFiles);
        rewritten.put(className, addInterface(classFiles.get(className), api));
        String imports = className + "$Imports";
        if (classFiles.containsKey(imports)) rewritten.put(imports, addInterface(classFiles.get(imports), api + "$Imports"));
        return new CompiledModule(className, rewritten, resources, command);
    }

    /** {@code classFile} with {@code superinterface} (an internal name) added to the interfaces it implements or extends. */
    private static byte[] addInterface(byte[] classFile, String superinterface) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                String[] extended = Arrays.copyOf(interfaces, interfaces.length + 1);
                extended[interfaces.length] = superinterface;
                super.visit(version, access, name, signature, superName, extended);
            }
        }, 0);
        return writer.toByteArray();
    }

    /**
     * The files the classes read as resources when they are loaded (the data segments), by resource
     * path such as {@code com/example/Hello.data}: whatever holds the class files (a jar, a folder,
     * a class loader) must serve these beside them.
     */
    public Map<String, byte[]> resources() {
        return new TreeMap<>(resources);
    }

    /**
     * Writes the class files under {@code directory} in package folders, as {@code javac -d} does,
     * and the resources beside them.
     */
    public void writeTo(Path directory) {
        try {
            for (Map.Entry<String, byte[]> e : classFiles.entrySet()) {
                write(directory.resolve(e.getKey().replace('.', '/') + ".class"), e.getValue());
            }
            for (Map.Entry<String, byte[]> e : resources.entrySet()) write(directory.resolve(e.getKey()), e.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    /**
     * Instantiates the module: resolves {@code imports}, initialises memories, tables and globals,
     * applies active segments and runs the start function.
     *
     * @throws LinkException if an import is missing or has the wrong type
     * @throws WasmTrap if initialisation or the start function traps
     */
    public Instance instantiate(Imports imports) {
        try {
            return (Instance) constructor().invoke(imports);
        } catch (Throwable t) {
            throw WasmTrap.propagate(t);
        }
    }

    private MethodHandle constructor() {
        MethodHandle c = constructor;
        if (c == null) {
            synchronized (this) {
                c = constructor;
                if (c == null) {
                    Class<?> cls = new ModuleClassLoader(classFiles, resources, CompiledModule.class.getClassLoader()).load(className);
                    try {
                        c = MethodHandles.publicLookup().findConstructor(cls,
                                MethodType.methodType(void.class, Imports.class));
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("generated class " + className + " has no constructor", e);
                    }
                    constructor = c;
                }
            }
        }
        return c;
    }
}
