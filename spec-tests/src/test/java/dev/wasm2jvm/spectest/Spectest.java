package dev.wasm2jvm.spectest;

import dev.wasm2jvm.runtime.FuncRef;
import dev.wasm2jvm.runtime.Global;
import dev.wasm2jvm.runtime.HostFunction;
import dev.wasm2jvm.runtime.Memory;
import dev.wasm2jvm.runtime.Table;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code spectest} host module that the scripts import from, as the reference interpreter defines it. */
final class Spectest {
    /** The print functions exist for their signatures; their output would only bury the report. */
    private static final HostFunction DISCARD = args -> new Object[0];

    private Spectest() {}

    /** A fresh set of exports: memories, table and globals are new objects on every call. */
    static Map<String, Object> exports() {
        Map<String, Object> exports = new LinkedHashMap<>();
        exports.put("print", FuncRef.host(":", DISCARD));
        exports.put("print_i32", FuncRef.host("i:", DISCARD));
        exports.put("print_i64", FuncRef.host("l:", DISCARD));
        exports.put("print_f32", FuncRef.host("f:", DISCARD));
        exports.put("print_f64", FuncRef.host("d:", DISCARD));
        exports.put("print_i32_f32", FuncRef.host("if:", DISCARD));
        exports.put("print_f64_f64", FuncRef.host("dd:", DISCARD));
        exports.put("global_i32", Global.ofI32(666, false));
        exports.put("global_i64", Global.ofI64(666, false));
        exports.put("global_f32", Global.ofF32(666.6f, false));
        exports.put("global_f64", Global.ofF64(666.6, false));
        exports.put("table", new Table('r', 10, 20, null));
        exports.put("table64", new Table('r', 10, 20, null, true));
        exports.put("memory", new Memory(1, 2, false));
        exports.put("shared_memory", new Memory(1, 2, true));
        return exports;
    }
}
