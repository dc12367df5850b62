package dev.wasm2jvm.compiler.validate;

import dev.wasm2jvm.compiler.CompileException;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.module.CodeEffects;
import dev.wasm2jvm.compiler.module.ConstExpr;
import dev.wasm2jvm.compiler.module.DataSegment;
import dev.wasm2jvm.compiler.module.ElemSegment;
import dev.wasm2jvm.compiler.module.Export;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FuncType;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.Global;
import dev.wasm2jvm.compiler.module.Import;
import dev.wasm2jvm.compiler.module.Limits;
import dev.wasm2jvm.compiler.module.MemoryType;
import dev.wasm2jvm.compiler.module.SegmentMode;
import dev.wasm2jvm.compiler.module.TableType;
import dev.wasm2jvm.compiler.module.ValType;
import dev.wasm2jvm.compiler.module.WasmModule;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a decoded module against the WebAssembly 2.0 rules plus the threads proposal (shared
 * memories and atomic instructions). A module that passes is well-typed: every instruction's
 * operands have the types it expects, including in unreachable code, and every index is in range.
 *
 * <p>Validation is the one reading of every function body before code generation: the decoder
 * records the bodies without reading them, so this reading rejects malformed code (with the
 * decoder's messages: {@code code.CodeReader} checks the binary format) and finds each body's
 * {@link CodeEffects}. A module it rejects may hold malformed code further on, which the spec
 * reports first: {@code decode.ModuleDecoder.checkWellFormed} finds it.
 */
public final class ModuleValidator {
    /** The largest memory, 4 GiB in 64 KiB pages. */
    private static final long MAX_PAGES = 65536;
    /** The largest 64-bit memory: 2^64 bytes in 64 KiB pages. */
    private static final long MAX_PAGES64 = 1L << 48;

    private final WasmModule module;
    private final Context context;

    private ModuleValidator(WasmModule module) {
        this.module = module;
        this.context = new Context(module);
    }

    /**
     * Checks that {@code module} is valid.
     *
     * @return {@code module} with each body's {@link CodeEffects}, found as its code was validated
     * @throws CompileException of kind {@link CompileException.Kind#INVALID} with the spec's message
     *     (e.g. "type mismatch"), the offending instruction's offset and the function's index when the
     *     module is invalid; or of kind {@link CompileException.Kind#MALFORMED} if an expression
     *     cannot be decoded, or names a data segment in a module without a data count section
     */
    public static WasmModule validate(WasmModule module) {
        return new ModuleValidator(module).validate();
    }

    /** Checks each part in the reference interpreter's order, so that the first error reported matches. */
    private WasmModule validate() {
        run(this::imports);
        run(this::functionTypes);
        run(this::tags);
        int scope = context.importedGlobals();
        for (Global g : module.globals()) constant(g.init(), g.type().valType(), scope++);
        for (TableType t : module.tables()) run(() -> table(t));
        for (MemoryType m : module.memories()) run(() -> memory(m));
        for (ElemSegment e : module.elements()) elem(e);
        for (DataSegment d : module.data()) data(d);
        for (Export e : module.exports()) {
            if (e.kind() == ExternKind.FUNC) context.declare(e.index());
        }
        List<FunctionBody> codes = module.codes();
        List<FunctionBody> validated = new ArrayList<>(codes.size());
        int imported = module.importCount(ExternKind.FUNC);
        for (int i = 0; i < codes.size(); i++) {
            FunctionBody body = codes.get(i);
            validated.add(body.withEffects(body(imported + i, body)));
        }
        run(this::start);
        run(this::exports);
        return module.withCodes(validated);
    }

    private void imports() {
        for (Import imp : module.imports()) {
            switch (imp.kind()) {
                case FUNC -> context.type(imp.typeidx());
                case TABLE -> table(imp.table());
                case MEMORY -> memory(imp.memory());
                case GLOBAL -> {}
                case TAG -> tagType(context.type(imp.typeidx()));
            }
        }
    }

    private void tags() {
        for (int typeidx : module.tags()) tagType(context.type(typeidx));
    }

    /** A tag's type: an exception carries values, but nothing returns to a throw. */
    private static void tagType(FuncType type) {
        if (!type.results().isEmpty()) throw new ValidationFailure("non-empty tag result type");
    }

    private void functionTypes() {
        for (int typeidx : module.functions()) context.type(typeidx);
    }

    private static void table(TableType table) {
        limits(table.limits());
    }

    private static void memory(MemoryType memory) {
        Limits limits = memory.limits();
        if (memory.address64()) {
            if (limits.min() > MAX_PAGES64 || limits.max() > MAX_PAGES64) {
                throw new ValidationFailure("memory size must be at most 2^48 pages (256TiB)");
            }
        } else if (limits.min() > MAX_PAGES || limits.max() > MAX_PAGES) {
            throw new ValidationFailure("memory size must be at most 65536 pages (4GiB)");
        }
        limits(limits);
        if (limits.shared() && !limits.hasMax()) throw new ValidationFailure("shared memory must have maximum");
    }

    private static void limits(Limits limits) {
        if (limits.hasMax() && limits.min() > limits.max()) {
            throw new ValidationFailure("size minimum must not be greater than maximum");
        }
    }

    private void elem(ElemSegment elem) {
        for (ConstExpr init : elem.init()) constant(init, elem.type(), context.globals());
        if (elem.mode() == SegmentMode.ACTIVE) {
            run(() -> {
                if (context.table(elem.tableidx()).elemType() != elem.type()) throw ValidationStack.mismatch();
            });
            constant(elem.offset(), context.table(elem.tableidx()).addressType(), context.globals());
        }
    }

    private void data(DataSegment data) {
        if (data.mode() == SegmentMode.ACTIVE) {
            run(() -> context.mem(data.memidx()));
            constant(data.offset(), context.mem(data.memidx()).addressType(), context.globals());
        }
    }

    private void constant(ConstExpr expr, ValType type, int globalScope) {
        ConstantExpressionValidator validator = new ConstantExpressionValidator(context, type, globalScope);
        try {
            CodeReader.read(expr.code(), expr.offset(), validator);
        } catch (ValidationFailure e) {
            throw CompileException.invalid(e.getMessage(), validator.offset(), -1);
        }
    }

    /** Validates function {@code funcidx}'s body, and returns its effects. */
    private CodeEffects body(int funcidx, FunctionBody body) {
        FuncType type = context.func(funcidx);
        List<ValType> locals = new ArrayList<>(type.params());
        locals.addAll(body.locals());
        ExpressionValidator validator = new ExpressionValidator(context, type, locals);
        try {
            CodeReader.read(body.code(), body.offset(), validator);
        } catch (ValidationFailure e) {
            throw located(funcidx, body, type, locals, e);
        }
        return validator.effects();
    }

    /**
     * The report of {@code failure}, found in function {@code funcidx}'s body by a validator that
     * does not follow offsets: the body is validated again by one that does, which fails at the same
     * instruction. Following every body's offsets cost a call per instruction of every valid module.
     */
    private CompileException located(int funcidx, FunctionBody body, FuncType type, List<ValType> locals, ValidationFailure failure) {
        ExpressionValidator.Located validator = new ExpressionValidator.Located(context, type, locals);
        try {
            CodeReader.read(body.code(), body.offset(), validator);
        } catch (ValidationFailure.Malformed e) {
            // As the decoder reports a malformation: without the function.
            return CompileException.malformed(e.getMessage(), validator.offset());
        } catch (ValidationFailure e) {
            return CompileException.invalid(e.getMessage(), validator.offset(), funcidx);
        }
        throw new IllegalStateException("function " + funcidx + " failed validation once only", failure);
    }

    private void start() {
        if (module.start() < 0) return;
        FuncType type = context.func(module.start());
        if (!type.params().isEmpty() || !type.results().isEmpty()) throw new ValidationFailure("start function");
    }

    private void exports() {
        Set<String> names = new HashSet<>();
        for (Export e : module.exports()) {
            switch (e.kind()) {
                case FUNC -> context.func(e.index());
                case TABLE -> context.table(e.index());
                case MEMORY -> context.mem(e.index());
                case GLOBAL -> context.global(e.index());
                case TAG -> context.tag(e.index());
            }
            if (!names.add(e.name())) throw new ValidationFailure("duplicate export name");
        }
    }

    /** Runs a module-level check, whose failures have no instruction to point at. */
    private static void run(Runnable check) {
        try {
            check.run();
        } catch (ValidationFailure e) {
            throw CompileException.invalid(e.getMessage(), -1, -1);
        }
    }
}
