package dev.wasm2jvm.cli;

import dev.wasm2jvm.runtime.Imports;
import dev.wasm2jvm.runtime.Instance;
import dev.wasm2jvm.runtime.WasmTrap;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The classes of a module that the {@link RunCache} kept, instantiated as the compiler's own
 * {@code CompiledModule} does, but without it: a run that finds its module in the cache loads no
 * class of the compiler (nor ASM). The classes are defined on demand, the first time the module's
 * class or one of its code classes is used, in a class loader of their own whose parent holds the
 * runtime, as {@code java -jar} of a compiled jar defines them beside the runtime.
 *
 * <p>Instantiation is by core reflection rather than a method handle or a lambda, as the runtime
 * does for a compiled jar: either would spin classes at start-up.
 */
final class CachedModule implements Function<Imports, Instance> {
    private final String className;
    private final Map<String, ByteBuffer> classFiles;
    private final Map<String, ByteBuffer> resources;
    private Constructor<? extends Instance> constructor;

    /** The module's class {@code className} and the files it uses, each as a buffer of its bytes. */
    CachedModule(String className, Map<String, ByteBuffer> classFiles, Map<String, ByteBuffer> resources) {
        this.className = className;
        this.classFiles = classFiles;
        this.resources = resources;
    }

    /** The binary name of the module's class. */
    String className() {
        return className;
    }

    /** Every class file, by binary class name. */
    Map<String, byte[]> classFiles() {
        return copies(classFiles);
    }

    /** The resources the classes read (the data segments), by resource path. */
    Map<String, byte[]> resources() {
        return copies(resources);
    }

    private static Map<String, byte[]> copies(Map<String, ByteBuffer> files) {
        Map<String, byte[]> copies = new TreeMap<>();
        for (Map.Entry<String, ByteBuffer> e : files.entrySet()) copies.put(e.getKey(), bytes(e.getValue()));
        return copies;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /**
     * Instantiates the module with {@code imports}; a trap or a failure to link is thrown as
     * {@code CompiledModule.instantiate} throws it, so that a run reports it the same way whether
     * its classes were compiled now or kept.
     */
    @Override
    public Instance apply(Imports imports) {
        try {
            return constructor().newInstance(imports);
        } catch (InvocationTargetException e) {
            throw WasmTrap.propagate(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("generated class " + className + " has no public constructor", e);
        } catch (RuntimeException | Error e) {
            throw WasmTrap.propagate(e);
        }
    }

    private synchronized Constructor<? extends Instance> constructor() throws ReflectiveOperationException {
        if (constructor == null) {
            Class<?> moduleClass = Class.forName(className, false, new Loader(classFiles, resources));
            constructor = moduleClass.asSubclass(Instance.class).getConstructor(Imports.class);
        }
        return constructor;
    }

    /** Defines the module's classes from their bytes when first asked for, and serves their resources. */
    private static final class Loader extends ClassLoader {
        private final Map<String, ByteBuffer> classFiles;
        private final Map<String, ByteBuffer> resources;

        Loader(Map<String, ByteBuffer> classFiles, Map<String, ByteBuffer> resources) {
            super("wasm2jvm", CachedModule.class.getClassLoader());
            this.classFiles = classFiles;
            this.resources = resources;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            ByteBuffer bytes = classFiles.get(name);
            if (bytes == null) throw new ClassNotFoundException(name);
            return defineClass(name, bytes.duplicate(), (ProtectionDomain) null);
        }

        /**
         * A generated resource, else the parent's. {@code Class.getResourceAsStream} of a generated
         * class comes here; the resources have no URL, so {@code getResource} does not find them.
         */
        @Override
        public InputStream getResourceAsStream(String name) {
            ByteBuffer bytes = resources.get(name);
            return bytes != null ? new ByteArrayInputStream(bytes(bytes)) : super.getResourceAsStream(name);
        }
    }
}
