package dev.wasm2jvm.compiler;

import java.util.Map;

/** Defines the classes generated for one module, on demand, from their bytes. */
final class ModuleClassLoader extends ClassLoader {
    private final Map<String, byte[]> classFiles;

    ModuleClassLoader(Map<String, byte[]> classFiles, ClassLoader parent) {
        super("wasm2jvm", parent);
        this.classFiles = classFiles;
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
}
