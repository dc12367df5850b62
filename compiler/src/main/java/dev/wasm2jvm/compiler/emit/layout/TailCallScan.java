package dev.wasm2jvm.compiler.emit.layout;

import dev.wasm2jvm.compiler.code.CodeReader;
import dev.wasm2jvm.compiler.code.InstructionScanner;
import dev.wasm2jvm.compiler.module.FunctionBody;

/** Finds whether a function body contains {@code return_call} or {@code return_call_indirect}. */
final class TailCallScan extends InstructionScanner {
    private boolean found;

    static boolean makesTailCalls(FunctionBody body) {
        TailCallScan scan = new TailCallScan();
        CodeReader.read(body.code(), body.offset(), scan);
        return scan.found;
    }

    @Override
    public void visitReturnCall(int funcidx) {
        found = true;
    }

    @Override
    public void visitReturnCallIndirect(int typeidx, int tableidx) {
        found = true;
    }
}
