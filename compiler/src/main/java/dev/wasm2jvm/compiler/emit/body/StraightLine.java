package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.BlockType;
import dev.wasm2jvm.compiler.code.Catch;
import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.module.ExternKind;
import dev.wasm2jvm.compiler.module.FunctionBody;
import dev.wasm2jvm.compiler.module.WasmModule;

/**
 * Whether a function body calls the runtime's compact access helpers ({@code CompactAccess}) for
 * its loads and stores: when it has no branch at all and its accesses would overrun the bytecode
 * C2 inlines into one compilation (issue 12).
 *
 * <p><b>Why.</b> C2 stops inlining into a compilation once the bytecode it has inlined, the
 * method's own included, reaches {@code DesiredMethodLimit} (8,000 bytes, fixed in product builds),
 * and leaves every access after that as a call with its bounds check. Sightglass
 * {@code libsodium-sign} spends 40% of its program thread in libsodium's {@code fe25519_mul}
 * ({@code func41}): 2,195 bytes of straight-line bytecode, 65 accesses and 25 calls of
 * {@code __multi3} ({@link Multi3}), whose two stores made it 213 bytes inlined. C2 inlined 24 of
 * those calls and 10 of the 60 loads, and refused the other 56 accesses ("size > DesiredMethodLimit").
 * A compact helper is one flat method of about 57 bytes as C2 counts them (35 unchecked) against
 * 87 (59). It is over the 35 bytes that C2 inlines at any call site, so only a site that runs at
 * least once per four calls of its method inlines it: in a body without branches every site runs
 * once per call, which is why it is chosen only there. Helpers of 35 bytes everywhere were measured
 * and not kept: the SQLite programs' large, branchy methods then inlined their cold accesses too.
 *
 * <p><b>Branches.</b> {@code if}, {@code loop}, {@code br}, {@code br_if}, {@code br_table}, the
 * branches on references, and exception handling (a throw reaching a handler) make a body branchy;
 * {@code block}, {@code return} and {@code unreachable} do not. The scan stops at the first branch,
 * which in most bodies comes within their first instructions.
 *
 * <p><b>The estimate</b> of what C2 would inline into the body's method: its own bytecode, taken as
 * 3/2 of its code's bytes ({@code func41}: 1,418 bytes of wasm, 2,195 of bytecode), plus 87 bytes
 * for each load or store (a checked {@code MemoryAccess} helper with its {@code nativeAddress} and
 * {@code Objects.checkIndex}, as {@code -XX:+PrintInlining} sizes them; a proven access's 59 is not
 * told apart, which only errs towards the compact helpers) and {@link #MULTI3_BYTES} for each call of
 * {@code __multi3}. Other callees are not counted: whether C2 inlines them depends on their profile.
 * A split function's methods are each their own compilation; the estimate is the whole body's.
 *
 * <p><b>What it gains</b> ({@code benchmarks/README.md}, "Compact accesses in bodies without
 * branches"): {@code libsodium-sign}'s C2 code left 10 accesses as calls against 97 to 99
 * ({@code func41} 8 against 56), and the program took 0.80 to 0.83 of the CPU and 0.74 to 0.80 of
 * the wall time of the compiler before (12 pairs twice, every pair below 1). What it costs is the
 * compact helpers' own JIT compilations and classes, a few milliseconds: {@code libsodium-box}
 * (0.13 s) 1.00 of the CPU (30 pairs), {@code libsodium-scalarmult} (0.24 s) 1.02 to 1.03 (20
 * pairs twice; A/A runs 0.99 to 1.01); blind-sig, shootout-keccak and the SQLite shell within noise, Sightglass
 * {@code sqlite3} and {@code regex} byte-identical.
 */
final class StraightLine extends InstructionScanner {
    /** C2's {@code DesiredMethodLimit}: the bytecode it inlines into one compilation at most. */
    static final int DESIRED_METHOD_LIMIT = 8000;
    /** A checked load or store as C2 counts it: the {@code MemoryAccess} helper, {@code nativeAddress}, {@code Objects.checkIndex}. */
    static final int ACCESS_BYTES = 32 + 48 + 7;
    /** {@link Multi3}'s method with its stores ({@code CompactAccess.i128Store}), as C2 counts it. */
    static final int MULTI3_BYTES = 34 + 83;

    private final WasmModule module;
    private long inlinedBytes;
    /** Whether a branch was read: the scan stops there. */
    private boolean branches;

    private StraightLine(WasmModule module, FunctionBody body) {
        this.module = module;
        this.inlinedBytes = body.code().length * 3L / 2;
    }

    /**
     * Whether {@code body}, a function of {@code module}, has no branch and would overrun C2's
     * inlining budget with its accesses as {@code MemoryAccess} helpers.
     */
    static boolean compact(WasmModule module, FunctionBody body) {
        StraightLine scan = new StraightLine(module, body);
        CodeReader.read(body.code(), body.offset(), scan);
        return !scan.branches && scan.inlinedBytes > DESIRED_METHOD_LIMIT;
    }

    @Override
    public int resumeAt(int offset) {
        return branches ? -1 : offset;
    }

    @Override
    public void visitBlock(int opcode, BlockType blocktype) {
        if (opcode != Opcodes.BLOCK) branches = true;
    }

    @Override
    public void visitTryTable(BlockType blocktype, Catch[] catches) {
        branches = true;
    }

    @Override
    public void visitBranch(int opcode, int labelidx) {
        branches = true;
    }

    @Override
    public void visitBrTable(int[] labels, int defaultLabel) {
        branches = true;
    }

    @Override
    public void visitMemoryAccess(int opcode, int memidx, int align, long offset) {
        if (opcode >= Opcodes.I32_LOAD && opcode <= Opcodes.I64_STORE32) inlinedBytes += ACCESS_BYTES;
    }

    @Override
    public void visitCall(int funcidx) {
        int imports = module.importCount(ExternKind.FUNC);
        if (funcidx >= imports && Multi3.matches(module.funcType(funcidx), module.codes().get(funcidx - imports))) {
            inlinedBytes += MULTI3_BYTES;
        }
    }
}
