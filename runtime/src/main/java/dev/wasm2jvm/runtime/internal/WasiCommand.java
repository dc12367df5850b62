package dev.wasm2jvm.runtime.internal;

/**
 * Implemented by the generated class of every module that exports {@code _start: [] -> []}, the
 * entry point of a WASI command, so that the runtime's command runner calls it as a Java method:
 * calling it through its {@link dev.wasm2jvm.runtime.FuncRef} would make a method handle and spin
 * the forms of a generic invocation at the start of every program.
 */
public interface WasiCommand {
    /**
     * Calls {@code _start} as a call into the instance from outside its wasm code (one thread at a
     * time, see {@link dev.wasm2jvm.runtime.Instance}); what it throws is thrown as it is.
     */
    void wasiStart();
}
