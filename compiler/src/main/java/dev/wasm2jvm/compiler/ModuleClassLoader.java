package dev.wasm2jvm.compiler;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;

/** Defines the classes generated for one module, on demand, from their bytes, and serves their resources. */
final class ModuleClassLoader extends ClassLoader {
    private final Map<String, byte[]> classFiles;
    private final Map<String, byte[]> resources;

    ModuleClassLoader(Map<String, byte[]> classFiles, Map<String, byte[]> resources, ClassLoader parent) {
        super("wasm2jvm", parent);
        this.classFiles = classFiles;
        this.resources = resources;
    }

    Class<?> load(String name) {
        try {
            return loadClass(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("generated class missing: " + name, e);
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classFiles.get(name);
        if (bytes == null) throw new ClassNotFoundException(name);
        return defineClass(name, bytes, 0, bytes.length);
    }

    /**
     * A generated resource, else the parent's. {@code Class.getResourceAsStream} of a generated class
     * comes here; the resources have no URL, so {@code getResource} does not find them.
     */
    @Override
    public InputStream getResourceAsStream(String name) {
        byte[] bytes = resources.get(name);
        return bytes != null ? new ByteArrayInputStream(bytes) : super.getResourceAsStream(name);
    }
}
