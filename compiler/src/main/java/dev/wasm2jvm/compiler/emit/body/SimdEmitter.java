package dev.wasm2jvm.compiler.emit.body;

import dev.wasm2jvm.compiler.code.Opcodes;
import dev.wasm2jvm.compiler.code.SimdOpcodes;
import dev.wasm2jvm.compiler.emit.layout.JvmType;
import dev.wasm2jvm.compiler.emit.layout.RuntimeRefs;
import dev.wasm2jvm.compiler.module.ValType;
import org.objectweb.asm.MethodVisitor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

import static dev.wasm2jvm.compiler.code.SimdOpcodes.*;
import static org.objectweb.asm.Opcodes.DUP2;
import static org.objectweb.asm.Opcodes.DUP2_X2;
import static org.objectweb.asm.Opcodes.I2B;
import static org.objectweb.asm.Opcodes.I2L;
import static org.objectweb.asm.Opcodes.I2S;
import static org.objectweb.asm.Opcodes.IAND;
import static org.objectweb.asm.Opcodes.ISHR;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.POP2;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.IMUL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.L2I;
import static org.objectweb.asm.Opcodes.LADD;
import static org.objectweb.asm.Opcodes.LAND;
import static org.objectweb.asm.Opcodes.LCONST_0;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LMUL;
import static org.objectweb.asm.Opcodes.LNEG;
import static org.objectweb.asm.Opcodes.LOR;
import static org.objectweb.asm.Opcodes.LSHL;
import static org.objectweb.asm.Opcodes.LSHR;
import static org.objectweb.asm.Opcodes.LSTORE;
import static org.objectweb.asm.Opcodes.LSUB;
import static org.objectweb.asm.Opcodes.LUSHR;
import static org.objectweb.asm.Opcodes.LXOR;

/**
 * Emits the fixed-width SIMD instructions ({@code 0xFD} prefix) without allocating.
 *
 * <p><b>Representation.</b> A {@code v128} is two {@code long}s: its low half (bytes 0 to 7, so
 * lane 0 in the least significant bits) and its high half (bytes 8 to 15). On the JVM operand stack
 * it is the low half under the high half, four slots in all; a wasm local or a parameter of type
 * {@code v128} is two consecutive {@code long} slots, low then high (its JVM descriptor is
 * {@code JJ}, see {@link JvmType}). Only where a JVM construct holds exactly one value does a
 * {@code v128} become an immutable {@code dev.wasm2jvm.runtime.V128}: a function's single result,
 * a global's field, an element of a value array (the locals past a function's first 2,048 slots,
 * an operand stack too deep for a frame), a boxed argument and the host boundary; none of those is
 * on the path of a SIMD instruction. A split function's frame object holds a v128 in two
 * {@code long} fields ({@code split.RegionFrame}).
 *
 * <p><b>Lowering.</b> An instruction first moves its operands off the JVM stack into borrowed
 * scratch slots (a {@code v128} into two {@code long} slots), then computes the result's low half
 * and then its high half onto the stack, so the result lands as it is represented. Binary
 * instructions that are one 64-bit bytecode on each half ({@code v128.and}, {@code i64x2.add}, ...)
 * set only their second operand aside; instructions that are one helper call a half set aside only
 * what the second call needs ({@code halfCalls}), and a narrowing its second vector, while a
 * whole-vector test or a {@code _zero} conversion calls its helper on the halves as they lie. An
 * operand that a {@code local.get} (or {@code local.tee}) right before put there is not on the stack
 * at all: the instruction reads the local's two slots in place ({@link InPlaceOperands}, which says
 * which instructions do: those that move operands to scratch slots or load their halves again).
 * Every other half is either bytecode or one call of a small
 * static method of {@code dev.wasm2jvm.runtime.internal.Simd} that takes the halves it needs and
 * returns the half as a {@code long} (for integer lanes straight-line SWAR bit arithmetic, without
 * loops or branches; only {@code i8x16.swizzle} loops), which C2 inlines as a few dozen nodes keeping
 * the halves in registers. A lane never crosses the middle of a vector, so most instructions call one method per
 * half with the same half of each operand; narrowing takes both halves of one operand per result
 * half, widening takes the low or high 32 bits of one half, and a swizzle takes all of its first
 * operand. The emitter reports the calls it emits ({@link #calls}) so that the split plan bounds
 * them per method like other calls.
 *
 * <p>Bytecode, not calls, where it is a few bytecodes a half (an interpreted call costs about as
 * much as twenty simple bytecodes): integer add, sub and neg by the SWAR carry trick, integer abs,
 * {@code avgr_u}, {@code i32x4.mul}, unsigned {@code extadd_pairwise}, splats (one multiply),
 * float abs and neg (the sign bits), {@code v128.bitselect},
 * left and logical right shifts (each half shifted whole and masked by a lane of ones shifted alike,
 * the mask made once per instruction, or a constant when the count is the {@code i32.const} right
 * before), {@code i32x4.shr_s} as {@code int} shifts, lane replacement
 * with constant masks, and {@code i8x16.shuffle} as its source halves shifted and masked (its lane
 * indices are constants). Float arithmetic is a call ({@code f32x4Mul}, ...): the bit moves between
 * {@code long} and {@code float} are native methods, which compiled code makes intrinsics but the
 * interpreter calls through JNI, about 70 ns each on this machine against about 60 ns for one call
 * of a compiled helper; inline, an {@code f32x4.mul} made twelve of them.
 *
 * <p><b>Where a SIMD program's time goes.</b> Measured on the Sightglass {@code intgemm-simd} as a
 * whole process (JFR execution samples every millisecond, {@code -XX:+PrintCompilation},
 * {@code -XX:+PrintInlining}, {@code -XX:+CITime}), with the compiler this work started from:
 * two thirds of the program thread's samples were interpreted generated code, most of them at the
 * {@code invokestatic} of a helper (the call itself, about 60 ns interpreted); its matrix kernels
 * run once each with loops too short for HotSpot's thresholds, and two of them ({@code func22},
 * {@code func25}, the quantisation loops) are never compiled at all. C2 took about 1 s of CPU for the
 * generated code, 70% of it in register allocation (coalescing and liveness, from the many
 * {@code long}s a kernel keeps live), 0.5 s for the OSR compilation of one split block of 4,201
 * bytes; with C1 alone ({@code -XX:TieredStopAtLevel=1}) the same jar takes 0.83 of the CPU. C2
 * inlined neither all helpers nor memory accesses there: 73 calls failed {@code size >
 * DesiredMethodLimit} (C2 counts the root method's 4,201 bytes and every inlined helper's bytecode
 * against 8,000), which is why helpers are kept small in bytecode. C1 inlines almost none of the
 * helpers ("callee uses too much stack": tiered HotSpot sets {@code C1InlineStackLimit} to 5 slots, and
 * two longs and a constant exceed it); letting it ({@code -XX:C1InlineStackLimit=20}) made no
 * difference. The split plan did not see SIMD helper calls when it decided whether a function
 * needs splitting, so {@code func22} (7,127 bytes, 366 calls) stayed one method, on which C1 gives
 * up ("out of virtual registers in linear scan") once it is hot; a SIMD instruction now weighs
 * the calls it makes ({@code JvmLimits.simdCallWeight}, checked against what this class emits),
 * which also cuts {@code func23}'s loop, whole before in a 4,201-byte block, into sequences of
 * about 500 bytes that C1 and C2 compile sooner and faster (0.89 of the CPU, paired). The lowering
 * and the weights took intgemm-simd to 0.72 of the CPU and 0.74 of the wall time of the compiler
 * this work started from (whole process, medians of 5 pairs on a loaded machine).
 *
 * <p><b>What the interpreter pays, and C1.</b> Measured again with the compiler of this session's
 * start: an {@code invokestatic} of a compiled {@code (JJ)J} helper from interpreted code costs
 * about 45 to 50 ns, a simple bytecode about 2.5 ns, so a call is worth about twenty bytecodes, and
 * {@code i32x4.dot_i16x8_s} written out (about 45 bytecodes a half) took twice its two calls, an
 * i8 widening written out (about 20) 1.7 times its call, so both stay calls. In
 * {@code func26}'s inner loop (intgemm's multiply) a {@code v128.load} is two calls and eight
 * bytecodes, a dot product two calls and its operand moves, an {@code i32x4.add} thirty bytecodes:
 * 34 calls and about 450 bytecodes an iteration, about 3 microseconds interpreted, until the loop
 * reaches HotSpot's 60,000 backward branches for an OSR compilation. C1 inlines no callee whose
 * operand stack and own locals exceed four slots (tiered HotSpot's {@code C1InlineStackLimit} of 5;
 * an {@code (II)J} method with five failed) or whose bytecode exceeds 35 bytes: a helper that holds
 * two {@code long}s and anything more is a call in C1's code, and so was every private helper a
 * helper called, which is why the hot helpers are written out flat. {@code i32x4.add} and
 * {@code sub} are eleven bytecodes a half ({@code twoLanes}): with two lanes to a half only one
 * carry can cross a lane, and it is taken back out.
 *
 * <p><b>Issue 12: where intgemm-simd's time goes now</b> (its whole process 5.5 times node's).
 * Measured with the compiler of that session's start on a loaded 2-core machine (async-profiler CPU
 * samples every millisecond with frame types, {@code -XX:+CITime}, {@code -XX:+LogCompilation}):
 * of the program thread's 370 ms or so, 175 were C1's code (tier 3) of the split kernels, 57 C2's
 * and 126 interpreted (54 of them kernels, the rest start-up and the scalar matrix fill), while
 * the JIT threads took the other core (C1 0.08 s, C2 0.19 to 0.45 s a run). C2 compiled each
 * sequence of the 8-bit multiply ({@code func23}) in 20 to 90 ms, most of it register allocation,
 * on a single C2 thread busy for the whole run, so most of each kernel ran in C1's code before C2's
 * arrived, and the 16-bit multiply's loop ({@code func26$loop_34e2}) never had C2 code. Eight
 * steps of that loop (a v128 load, a dot product, an i32x4 add each, as this class emits them) in
 * a microbenchmark: 4.3 microseconds an iteration interpreted, 95 ns in C1's code without
 * profiling, 120 to 130 with it (tier 3), 45 to 50 in C2's. Measured and not kept: letting C1
 * inline the {@code Simd} helpers (a compiler directive, {@code c1: inline +Simd.*}) made the
 * 8-bit phase slower (190 to 210 ms against 140 to 160, 3 runs each), and
 * {@code -XX:C1MaxInlineSize=120 -XX:C1InlineStackLimit=30} took 1.6 times the CPU; they stay
 * calls in C1's code. What remains is the work itself: C2's code of the 8-bit multiply alone took
 * about 50 ms, its SWAR emulation of SSSE3's {@code pmaddubsw} (a sign, two widenings, two
 * {@code i16x8.mul}, two shuffles and two {@code add_sat}) being some 240 {@code long} operations
 * per 16 byte products. Within 3 times node needs fewer operations per lane (that idiom fused
 * across its locals, or helpers that compute both halves of a vector in one call), not warm-up
 * alone. That session's changes, one bounds check a vector access ({@code MemoryAccess}) and
 * constant shift counts compiled in ({@link #constantShift}), took intgemm-simd to 0.96 of the
 * CPU and 0.95 of the wall time (16 pairs) and blake3-simd to 0.94 and 0.92 (20 pairs), load
 * average 4 to 7; the scalar programs checked (blake3-scalar, shootout-heapsort, libsodium-sign)
 * stayed within 0.99 to 1.04 of the CPU.
 *
 * <p><b>Issue 12, second round: the hot sequences, instruction by instruction.</b> From
 * {@code wasm2wat} of the module: {@code func23}'s inner step, for each 16 bytes of B, is intgemm's
 * SSSE3 emulation, {@code v128.load}, then {@code psignb} ({@code i8x16.neg},
 * {@code v128.bitselect} by A's {@code i8x16.shr_s 7}, {@code v128.and} by {@code A != 0}), then
 * {@code pmaddubsw} ({@code i16x8.extend_low_i8x16_s} and {@code _high} of that, each times a
 * local holding {@code extend_*_i8x16_u} of {@code |A|} by {@code i16x8.mul}, the two products'
 * even and odd i16 lanes gathered by two {@code i8x16.shuffle}s and added by
 * {@code i16x8.add_sat_s}); the sums are reduced after the loop by {@code i32x4.dot_i16x8_s}
 * with a vector of ones, shuffles and {@code i32x4.add}. {@code func26}'s step (16-bit) is
 * {@code v128.load}, {@code i32x4.dot_i16x8_s}, then {@code local.get} and {@code i32x4.add}.
 * As lowered here a {@code func23} step is 12 helper calls (2 load halves, 4 widenings, 4
 * multiplies, 2 saturating adds) and, once C2 has inlined them, about 210 {@code long}
 * operations: 64 in the multiplies, 36 in the saturating add, 40 in the widenings, about 45 in the
 * shuffles, 20 in the sign. Each instruction's lowering is close to what SWAR on two
 * {@code long}s allows; the rest is the idioms themselves, which only a look-ahead across
 * instructions and locals could lower as a whole. {@code pmaddubsw}'s 11 instructions over four
 * locals are, per i16 lane, {@code sat(s[2i] * u[2i] + s[2i+1] * u[2i+1])}, a signed byte times
 * an unsigned one, whose products fit an i16: from the same half of each operand, about 60
 * operations a result half (even and odd bytes split in their lanes, two {@code i16x8Mul} and one
 * {@code i16x8AddSatS}) against about 105 now. Measured as a harness of the step in Java (the
 * helpers composed as this class emits them against that fused half, the same results on 4,096
 * random vectors, thread CPU time, load 3 to 5): C2 29 to 40 ns a step against 18 to 26 fused, C1
 * without profiling 52 to 57 against 34 to 46, with it (tier 3) 68 to 119 against 44 to 84,
 * interpreted 1.8 to 1.9 microseconds against 1.14: about a third of the step, on kernels that
 * are a quarter of the program thread. {@code func26}'s {@code v128.load} and the
 * {@code i32x4.dot_i16x8_s} right after it would be two calls, one a half, where four are made
 * now. This class sees one instruction at a time (its caller tells it only of an
 * {@code i32.const} right before a shift), so these fusions belong with the body emitter's
 * plumbing. What this round changed and measured,
 * paired whole processes on a 2-core machine at load average 2.5 to 4: {@code i16x8Mul} as four
 * {@code long} multiplies and {@code i32x4DotI16x8S} with fewer narrowings (their Javadoc has the
 * figures alone) took intgemm-simd to 0.99 of the CPU and 1.00 of the wall time (24 pairs) and
 * blake3-simd to 1.02 and 1.01 (20 pairs), both within noise. Measured and not kept: the i8 to i16 widenings (extend and extmul) written out
 * as 15 to 21 bytecodes a half instead of a {@code widenI8S}/{@code U} call, with their call
 * weights 0, took 1.02 and 1.10 of the CPU (0.99 and 1.04 of the wall, two runs of 20 pairs)
 * against the calls (not taken apart: the interpreter pays for the extra bytecodes, and with
 * four fewer calls weighed a step the split plan cuts {@code func23} differently).
 *
 * <p><b>Issue 12, third round: idioms across instructions.</b> {@link FunctionEmitter} now
 * recognises an idiom from its first instruction through {@code LookAhead}, which reads the
 * straight-line code after it and proves that the locals a fused lowering no longer writes are
 * written again before any read; {@code pmaddubsw} ({@code MulPairs}) is lowered as one call of
 * {@code Simd.i16x8MulPairsAddSatS} a half, two calls where its instructions make ten (four
 * widenings, four multiplies, two saturating adds) besides the shuffles' bytecode. In
 * {@code func23} 11 of the 16 steps of its two unrolled loops fuse: the first step of each loop
 * computes its multipliers between the idiom's instructions ({@code i8x16.abs},
 * {@code extend_*_u} and their {@code local.tee}s), the last leaves its products live across the
 * loop's branch, where the proof stops, and one is the start of a split sequence, whose
 * {@code local.tee} is in the method before. With fewer calls weighed the split plan cuts
 * {@code func23} differently: its second loop is one method of 2,963 bytes where it was four
 * sequences of 680 to 1,750. Paired whole processes on the 2-core machine, medians of new / old:
 * intgemm-simd 0.95 of the CPU and 0.99 of the wall time (16 pairs, load average 9 to 10), 0.95
 * and 0.88, 0.97 and 0.87 (two runs of 20 pairs with the change below, load 6 to 8), 1.06 and
 * 1.08, 0.98 and 0.98 (two runs of 30, load 2 to 4): within the machine's noise as a whole
 * process, whose CPU is mostly the JVM's start and its compilations. The program thread's own
 * CPU, sampled every millisecond by async-profiler in 10 interleaved runs of each (load 2 to 3):
 * 314 ms against 365 (medians), {@code func23}'s 106 against 136. blake3-simd has no such idiom:
 * its generated classes are the same bytes, and three runs of 20 to 30 pairs gave 1.04,
 * 1.06 and 0.96 of the CPU (1.06, 1.12, 0.94 of the wall), where its jar against a copy of itself
 * gave 0.95 (0.87): that machine's noise. Measured and not kept:
 * {@code func26}'s {@code v128.load} and the {@code i32x4.dot_i16x8_s} right after it lowered as
 * one call a half (a {@code Simd} helper composing {@code MemoryAccess.v128LoadLow} or
 * {@code High} with {@code i32x4DotI16x8S}), which fused all 16 of its steps: 1.01 of the wall
 * time and 1.00 of the CPU against {@code pmaddubsw} fused alone (20 pairs), and no fewer
 * {@code func26} samples. The two calls it saves are made inside the helper instead while C1's
 * profiled code runs (C1 inlines no callee that holds two {@code long}s and more), so a call is
 * moved, not saved, and the helper written flat would repeat {@code MemoryAccess}'s bounds check
 * and Unsafe access. {@code psignb} ({@code i8x16.neg}, {@code v128.bitselect} by
 * {@code shr_s 7}, {@code v128.and} by {@code ne 0}) is bytecode already, about 20 {@code long}
 * operations a half and no call, and was not fused. What remains of the 8-bit multiply: its
 * first steps (the idiom with expressions for its multipliers) and its last (a proof that follows
 * the loop's branches, which {@code emit.split.LiveLocals} computes for the split plan).
 *
 * <p><b>Issue 12, fourth round: C2 arrives too late.</b> Profiled with the compiler of that
 * session's start (async-profiler, frame types, 5 and 10 runs; JFR compilation events;
 * {@code -XX:+CITime}; load average 2 to 12): of the program thread's 310 to 320 ms, 186 were C1's
 * code and 121 interpreted; {@code func23}'s inner loop ({@code func23$loop_28a6}, 2,964 bytes)
 * took 93 to 108 ms a run, 76 to 84 of them in C1's code and almost none in C2's, because C2
 * compiled it in 355 to 595 ms (wall, one C2 thread on the shared cores), longer than the kernel
 * runs, most of C2's time in register allocation (0.46 to 0.52 s of 0.65 to 0.67 in
 * {@code -XX:+CITime}'s runs that finished it; conservative coalescing and the interference graph,
 * from the loop's 24 or so {@code long}s live across it: eight accumulators, the multipliers and
 * the sign masks). {@code func26}'s loop ({@code loop_34e2}) took 61 to 72 ms, 54 to 65 in C1's
 * code, its C2 compilation (150 to 350 ms) queued behind {@code func23}'s; {@code func18} (the
 * scalar fill) 41 to 48, two thirds interpreted. What this round changed, all in {@code MulPairs}:
 * the accumulation fused with the idiom, a proof that follows control past the loop's
 * {@code br_if} ({@code LookAhead}, {@code ControlFlow}) for the last steps, and the first steps,
 * which compute their multipliers inside the idiom: all 16 of {@code func23}'s steps fused where
 * 11 were. Its inner loop makes 43 calls an iteration where it made 83, in 2,104 bytes of bytecode
 * against 2,964, and C2 compiles it in 208 to 290 ms against 540 to 595 (JFR, three runs each,
 * load 12). The program thread, 10 interleaved runs each in two rounds at load 12 and 8: 293 ms
 * against 312 and 221 against 255 (medians), {@code func23$loop_28a6} 75 against 96 and 57 against
 * 82 (means; its C1 code's own samples 14 against 24: the shuffles' bytecode is gone). The whole
 * process, 16 pairs each round: 0.965 and 0.971 of the CPU, 0.989 and 0.973 of the wall time;
 * blake3-simd, whose generated classes are the same bytes, 0.94 and 1.02 of the CPU, 0.91 and 1.04
 * of the wall (that machine's noise). What remains is still when C2's code arrives:
 * {@code func23}'s loop and {@code func26}'s still run in C1's code while C2 compiles the first,
 * so what would cut them is a loop C2 compiles faster (fewer {@code long}s live across it, a
 * method per half of the unrolled steps) rather than fewer operations a step.
 *
 * <p><b>Issue 12, fifth round: the tier is not the cost.</b> Profiled with the compiler of that
 * session's start (async-profiler, 8 to 20 interleaved runs; JFR compilation events; load average 5
 * to 9): the program thread's 250 to 315 ms (medians), {@code func23$loop_28a6} 66 to 80 of them
 * (C1's code 45 to 62, interpreted 9 to 12, C2's 1 to 9), {@code func26$loop_34e2} 49 to 61 (C1's
 * 44 to 53, interpreted 4 to 7, C2's none), {@code func18} 47. In {@code func26}'s loop C1's own
 * code took 25 ms, the dot product's helper 15 and the loads 12; in {@code func23}'s the
 * {@code pmaddubsw} helper's body 25, its saturating add 8, C1's own code 11. C2 gets to the
 * 16-bit loop only at the end of the run, queued behind {@code func23$seq_258f} (the 8-bit
 * multiply's peeled first iteration and reduction, 3,073 bytes, 135 to 345 ms of C2), which C2
 * compiles only once the 8-bit phase is over. Three changes measured and not kept
 * ({@code benchmarks/README.md}, "SIMD kernels", has the figures): the {@code pmaddubsw} helpers
 * left out of line in C2's code ({@code -XX:CompileCommand=dontinline}) halved C2's compilation
 * of {@code func23}'s loop (68 to 72 ms against 131) and its C2 code ran a third of the loop
 * instead of none, but the loop took the same 70 ms: C2's code calling the helper is no faster
 * than C1's, so the cost is the helper's SWAR work and the calls, not the tier; {@code v128.load},
 * the dot product and the {@code i32x4.add} of each {@code func26} step as one call a half (a
 * helper composing {@code MemoryAccess.v128LoadLow} and {@code i32x4DotI16x8S}) made that loop
 * 77.5 ms against 49, the new helper running its tier-3 code with three calls inside for the whole
 * phase (C2 compiled it 480 ms after C1, and after the loop itself), though the loop's own
 * C1 code fell from 25 ms to 8; and the dot product written out as bytecode (49 a half, no call)
 * left the loop at 59 ms against 61 (20 runs each), interpreted 7 against 5. A fused helper pays
 * only once C2 has compiled it, which in a run this short happens only for helpers that an earlier
 * phase made hot.
 *
 * <p><b>Issue 12, sixth round: operands read in place.</b> Clang's vectorised loops keep each
 * vector in a local between instructions, so most operands came from the {@code local.get} right
 * before, whose halves this class stored to scratch slots again (chacha20's rounds loop,
 * {@code func20$loop_5d2}, was 1,020 bytecodes, 207 of them {@code lstore}s). An operand that a
 * {@code local.get} or {@code local.tee} right before provides is now read from the local's slots
 * ({@link InPlaceOperands}, {@link #inPlaceReads}): that loop is 790 bytecodes with 92
 * {@code lstore}s, and the generated code 0.88 of its bytecode in chacha20, 0.90 in generichash,
 * 0.84 in blake3-simd. Paired whole processes (two runs of 40 pairs, load average 1.6 to 4):
 * blake3-simd 0.96 and 0.97 of the CPU, its program thread 0.86 and its JIT threads 0.84 (perf,
 * 16 runs); the libsodium programs 0.98 to 1.00 of the CPU, where the same classes measure 0.99
 * to 1.03. {@code benchmarks/README.md} ("SIMD operands read in place") has the table. Measured
 * and not kept: ChaCha's and BLAKE's lane rotation ({@code tee x; i32.const c; shl; get x;
 * i32.const d; shr_u; v128.or}) lowered whole, eleven bytecodes a half where its instructions in
 * place take about 34 in all: 0.95 to 0.97 of the bytecode again, but 0.99 to 1.05 of the CPU and
 * of the program thread against the operands in place alone.
 *
 * <p><b>Relaxed SIMD.</b> Each of Wasm 3.0's relaxed instructions may give any of a set of
 * results, one choice fixed for every execution; each here is its deterministic profile's choice
 * ({@link SimdOpcodes#deterministic}), which on the JVM is also the cheapest, and most are a 2.0
 * instruction's lowering as it stands. {@code i8x16.relaxed_swizzle} is {@code i8x16.swizzle}
 * (zero for every index past 15); {@code relaxed_trunc} the saturating truncations (NaN to 0,
 * out-of-range lanes saturated; the signed ones are Java's {@code (int)} conversions);
 * {@code relaxed_laneselect} is {@code v128.bitselect}, four bytecodes a half where spreading each
 * lane's top bit over the lane first would add work; {@code relaxed_min} and {@code max} are
 * {@code f32x4.min} and {@code max} (NaN-propagating, -0 below +0); {@code relaxed_q15mulr_s} is
 * {@code q15mulr_sat_s} (-32768 squared saturates to 32767). {@code relaxed_madd} is an unfused
 * multiply then add, each rounded ({@code f32x4RelaxedMadd}): the deterministic profile's choice,
 * the same result on every CPU, and never dearer than {@code Math.fma}. Measured as a helper of
 * each kind called in a loop, thread CPU time per call, 3 to 5 JVMs each, load average under 1, on
 * this machine's CPU, which has FMA: the same in every tier (interpreted about 120 to 350 ns
 * either way, HotSpot having an interpreter intrinsic for {@code fma}; C1 1.5 ns for an f64 lane
 * both ways, 5.5 for two f32 lanes; C2 0.6 and 1.2 both ways); with {@code -XX:-UseFMA}, as on a
 * CPU without it, {@code Math.fma} is a {@code BigDecimal} computation, about 900 ns a call in C2
 * code and 60 to 80 microseconds interpreted, where the unfused helper stays at 0.6 ns and about
 * 120 ns. {@code relaxed_nmadd} is {@code relaxed_madd} of the negated first operand. The dot
 * products take the i7 operand as signed like the other, so that a byte of {@code 0x80} or more
 * counts negative, and add each pair of i16 products with saturation
 * ({@code i16x8RelaxedDotI8x16I7x16S}), which only -128 times -128 twice reaches; the i32x4 form
 * adds its lane's two saturated pairs and the accumulator without saturation.
 *
 * <p>Memory accesses call the {@code MemoryAccess} helpers, {@code v128LoadLow}/{@code High} and
 * {@code v128StoreLow}/{@code High} for a whole vector (two unaligned 64-bit Unsafe accesses, the
 * scalar path, where C2 hoists the bounds checks out of counted loops) or the scalar loads and
 * stores; the bounds checks and trap text are those of scalar accesses, and a {@code v128.store}
 * writes its high half first, so one that is out of bounds writes nothing.
 */
public final class SimdEmitter {
    public static final String SIMD = RuntimeRefs.SIMD;
    private static final long LOW32 = 0xFFFF_FFFFL;
    private static final long INT_MSB = 0x8000_0000_8000_0000L;

    private static final int[] NO_SLOTS = {};

    private final MethodVisitor mv;
    private final Locals locals;
    private final MemoryEmitter memory;
    private final InPlaceOperands operands;
    /** The first slots of the locals whose values the current instruction reads in place as its top vector operands, the deepest first. */
    private int[] inPlace = NO_SLOTS;
    private int calls;

    SimdEmitter(MethodVisitor mv, Locals locals, MemoryEmitter memory, InPlaceOperands operands) {
        this.mv = mv;
        this.locals = locals;
        this.memory = memory;
        this.operands = operands;
    }

    /**
     * How many of instruction {@code instruction}'s top vector operands its lowering reads in place
     * ({@link InPlaceOperands}), at most two: those it moves off the stack to scratch slots (or,
     * for one 64-bit bytecode or one helper call a half, whose halves it loads again), not those
     * whose halves a call takes as they lie on the stack.
     */
    static int inPlaceReads(int instruction) {
        int opcode = SimdOpcodes.deterministic(instruction);
        switch (opcode) {
            case I8X16_SHUFFLE -> {
                return 2;
            }
            case V128_STORE, I8X16_EXTRACT_LANE_S, I8X16_EXTRACT_LANE_U, I16X8_EXTRACT_LANE_S, I16X8_EXTRACT_LANE_U,
                 I32X4_EXTRACT_LANE, I64X2_EXTRACT_LANE, F32X4_EXTRACT_LANE, F64X2_EXTRACT_LANE -> {
                return 1;
            }
            default -> { }
        }
        Shape shape = shape(opcode);
        if (shape == null) return 0;
        return switch (shape) {
            case UNARY, BINARY, TERNARY, WIDEN, EXTMUL, SWIZZLE -> Math.min(shape.vectors, 2);
            default -> 0;
        };
    }

    /** Whether {@code instruction} is a shift that {@link #constantShift} lowers when its count is a constant. */
    static boolean constantShift(int instruction) {
        return switch (instruction) {
            case I8X16_SHL, I8X16_SHR_U, I16X8_SHL, I16X8_SHR_U, I32X4_SHL, I32X4_SHR_U -> true;
            default -> false;
        };
    }

    /**
     * Takes the operands the current instruction reads in place if it {@code reads} them, else
     * loads them onto the stack as the {@code local.get}s would have; returns how many it took.
     */
    private int takeInPlace(boolean reads) {
        if (reads) {
            inPlace = operands.take();
            return inPlace.length;
        }
        operands.flush();
        inPlace = NO_SLOTS;
        return 0;
    }

    /** The helper calls emitted since the last time this was asked. */
    int calls() {
        int n = calls;
        calls = 0;
        return n;
    }

    void visitV128Const(byte[] bytes, OperandStack stack) {
        Push.longConst(mv, littleEndian(bytes, 0));
        Push.longConst(mv, littleEndian(bytes, 8));
        stack.push(ValType.V128);
    }

    private static long littleEndian(byte[] bytes, int from) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (bytes[from + i] & 0xFF);
        return v;
    }

    void visitShuffle(byte[] lanes, OperandStack stack) {
        int onStack = 2 - takeInPlace(true);
        stack.need(onStack);
        int mark = locals.mark();
        int[] v = vectors(2);
        for (int half = 0; half < 16; half += 8) shuffleHalf(v, lanes, half);
        locals.release(mark);
        stack.pop(onStack);
        stack.push(ValType.V128);
    }

    /**
     * One half of a shuffle's result, bytes {@code from} to {@code from + 7}: the result bytes taken
     * from the same source half moved by the same distance form one term, that half shifted into
     * place and masked, and the terms are or-ed together; a rotation within lanes (what byte
     * shuffles mostly are) is two terms.
     */
    private void shuffleHalf(int[] v, byte[] lanes, int from) {
        // Keyed by source half (0 to 3) and byte distance (-7 to 7): the mask of result bytes.
        Map<Integer, Long> terms = new LinkedHashMap<>();
        for (int j = 0; j < 8; j++) {
            int source = lanes[from + j] & 0x1F;
            int key = (source >> 3) * 16 + (j - (source & 7) + 8);
            terms.merge(key, 0xFFL << 8 * j, (a, b) -> a | b);
        }
        boolean first = true;
        for (Map.Entry<Integer, Long> term : terms.entrySet()) {
            int sourceHalf = term.getKey() / 16;
            int distance = 8 * (term.getKey() % 16 - 8);
            half(v[sourceHalf >> 1], (sourceHalf & 1) == 0);
            if (distance > 0) {
                Push.intConst(mv, distance);
                mv.visitInsn(LSHL);
            } else if (distance < 0) {
                Push.intConst(mv, -distance);
                mv.visitInsn(LUSHR);
            }
            if (term.getValue() != -1L) {
                Push.longConst(mv, term.getValue());
                mv.visitInsn(LAND);
            }
            if (!first) mv.visitInsn(LOR);
            first = false;
        }
    }

    /**
     * An instruction without immediates, a relaxed one as its deterministic behaviour; returns false
     * if {@code instruction} is not a SIMD one. {@code constant} is the i32 on top of the stack when
     * the instruction right before was an {@code i32.const}: a shift's count.
     */
    boolean visitInsn(int instruction, OperandStack stack, OptionalInt constant) {
        int opcode = SimdOpcodes.deterministic(instruction);
        Shape shape = shape(opcode);
        if (shape == null) return false;
        int vectors = shape.vectors;
        boolean scalar = shape == Shape.SHIFT || shape == Shape.SPLAT;
        // A shift's deferred vector is under its count, which only a constant shift drops.
        boolean reads = inPlaceReads(opcode) > 0 || constantShift(opcode) && constant.isPresent();
        int onStack = vectors + (scalar ? 1 : 0) - takeInPlace(reads);
        stack.need(onStack);
        int mark = locals.mark();
        if (shape == Shape.BINARY && halfOperation(opcode) != 0) {
            halfByHalf(opcode);
        } else if ((shape == Shape.UNARY || shape == Shape.BINARY) && !bytecodeLanewise(opcode)) {
            halfCalls(helper(opcode), vectors);
        } else switch (shape) {
            case SPLAT -> splat(opcode);
            case SHIFT -> shift(opcode, constant);
            // The helper takes a vector's halves as they lie on the stack.
            case TEST -> call(helper(opcode), "(JJ)I");
            case ZERO -> {
                call(helper(opcode), "(JJ)J");
                mv.visitInsn(LCONST_0);
            }
            case NARROW -> {
                int second = locals.borrow(ValType.V128);
                mv.visitVarInsn(LSTORE, second + 2);
                mv.visitVarInsn(LSTORE, second);
                call(helper(opcode), "(JJ)J");
                low(second);
                high(second);
                call(helper(opcode), "(JJ)J");
            }
            default -> {
                int[] v = vectors(vectors);
                switch (shape) {
                    case UNARY, BINARY, TERNARY -> {
                        lanewise(opcode, v, true);
                        lanewise(opcode, v, false);
                    }
                    case WIDEN -> {
                        for (int part = 0; part < 2; part++) {
                            source(opcode, v[0], part);
                            widen(opcode);
                        }
                    }
                    case EXTMUL -> {
                        for (int part = 0; part < 2; part++) {
                            source(opcode, v[0], part);
                            widen(opcode);
                            source(opcode, v[1], part);
                            widen(opcode);
                            multiply(opcode);
                        }
                    }
                    case SWIZZLE -> {
                        for (int part = 0; part < 2; part++) {
                            low(v[0]);
                            high(v[0]);
                            half(v[1], part == 0);
                            call("i8x16Swizzle", "(JJJ)J");
                        }
                    }
                    default -> throw new IllegalStateException(shape.name());
                }
            }
        }
        locals.release(mark);
        stack.pop(onStack);
        stack.push(shape == Shape.TEST ? ValType.I32 : ValType.V128);
        return true;
    }

    /** What an instruction takes and how its result halves are made. */
    private enum Shape {
        /** One result half from the same half of one, two or three vectors. */
        UNARY(1), BINARY(2), TERNARY(3),
        /** A vector and an i32 shift count, half by half. */
        SHIFT(1),
        /** A scalar copied into every lane. */
        SPLAT(0),
        /** An i32 from both halves of one vector. */
        TEST(1),
        /** Each result half from both halves of one of two vectors. */
        NARROW(2),
        /** The low result half from both halves of one vector; the high half is zero. */
        ZERO(1),
        /** Each result half from 32 bits of the low or high half of one vector. */
        WIDEN(1),
        /** As {@link #WIDEN} for two vectors, then multiplied. */
        EXTMUL(2),
        /** Each result half from all of the first vector and the same half of the second. */
        SWIZZLE(2);

        final int vectors;

        Shape(int vectors) {
            this.vectors = vectors;
        }
    }

    private static Shape shape(int opcode) {
        return switch (opcode) {
            case V128_NOT, I8X16_ABS, I8X16_NEG, I8X16_POPCNT, I16X8_ABS, I16X8_NEG, I32X4_ABS, I32X4_NEG,
                 I64X2_ABS, I64X2_NEG, I16X8_EXTADD_PAIRWISE_I8X16_S, I16X8_EXTADD_PAIRWISE_I8X16_U,
                 I32X4_EXTADD_PAIRWISE_I16X8_S, I32X4_EXTADD_PAIRWISE_I16X8_U,
                 F32X4_ABS, F32X4_NEG, F32X4_SQRT, F32X4_CEIL, F32X4_FLOOR, F32X4_TRUNC, F32X4_NEAREST,
                 F64X2_ABS, F64X2_NEG, F64X2_SQRT, F64X2_CEIL, F64X2_FLOOR, F64X2_TRUNC, F64X2_NEAREST,
                 I32X4_TRUNC_SAT_F32X4_S, I32X4_TRUNC_SAT_F32X4_U, F32X4_CONVERT_I32X4_S, F32X4_CONVERT_I32X4_U -> Shape.UNARY;
            case V128_AND, V128_ANDNOT, V128_OR, V128_XOR,
                 I8X16_ADD, I8X16_ADD_SAT_S, I8X16_ADD_SAT_U, I8X16_SUB, I8X16_SUB_SAT_S, I8X16_SUB_SAT_U,
                 I8X16_MIN_S, I8X16_MIN_U, I8X16_MAX_S, I8X16_MAX_U, I8X16_AVGR_U,
                 I16X8_ADD, I16X8_ADD_SAT_S, I16X8_ADD_SAT_U, I16X8_SUB, I16X8_SUB_SAT_S, I16X8_SUB_SAT_U,
                 I16X8_MUL, I16X8_MIN_S, I16X8_MIN_U, I16X8_MAX_S, I16X8_MAX_U, I16X8_AVGR_U, I16X8_Q15MULR_SAT_S,
                 I32X4_ADD, I32X4_SUB, I32X4_MUL, I32X4_MIN_S, I32X4_MIN_U, I32X4_MAX_S, I32X4_MAX_U, I32X4_DOT_I16X8_S,
                 I64X2_ADD, I64X2_SUB, I64X2_MUL,
                 I8X16_EQ, I8X16_NE, I8X16_LT_S, I8X16_LT_U, I8X16_GT_S, I8X16_GT_U, I8X16_LE_S, I8X16_LE_U,
                 I8X16_GE_S, I8X16_GE_U,
                 I16X8_EQ, I16X8_NE, I16X8_LT_S, I16X8_LT_U, I16X8_GT_S, I16X8_GT_U, I16X8_LE_S, I16X8_LE_U,
                 I16X8_GE_S, I16X8_GE_U,
                 I32X4_EQ, I32X4_NE, I32X4_LT_S, I32X4_LT_U, I32X4_GT_S, I32X4_GT_U, I32X4_LE_S, I32X4_LE_U,
                 I32X4_GE_S, I32X4_GE_U,
                 I64X2_EQ, I64X2_NE, I64X2_LT_S, I64X2_GT_S, I64X2_LE_S, I64X2_GE_S,
                 F32X4_EQ, F32X4_NE, F32X4_LT, F32X4_GT, F32X4_LE, F32X4_GE,
                 F64X2_EQ, F64X2_NE, F64X2_LT, F64X2_GT, F64X2_LE, F64X2_GE,
                 F32X4_ADD, F32X4_SUB, F32X4_MUL, F32X4_DIV, F32X4_MIN, F32X4_MAX, F32X4_PMIN, F32X4_PMAX,
                 F64X2_ADD, F64X2_SUB, F64X2_MUL, F64X2_DIV, F64X2_MIN, F64X2_MAX, F64X2_PMIN, F64X2_PMAX,
                 I16X8_RELAXED_DOT_I8X16_I7X16_S -> Shape.BINARY;
            case V128_BITSELECT, F32X4_RELAXED_MADD, F32X4_RELAXED_NMADD, F64X2_RELAXED_MADD, F64X2_RELAXED_NMADD,
                 I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S -> Shape.TERNARY;
            case I8X16_SHL, I8X16_SHR_S, I8X16_SHR_U, I16X8_SHL, I16X8_SHR_S, I16X8_SHR_U,
                 I32X4_SHL, I32X4_SHR_S, I32X4_SHR_U, I64X2_SHL, I64X2_SHR_S, I64X2_SHR_U -> Shape.SHIFT;
            case I8X16_SPLAT, I16X8_SPLAT, I32X4_SPLAT, I64X2_SPLAT, F32X4_SPLAT, F64X2_SPLAT -> Shape.SPLAT;
            case V128_ANY_TRUE, I8X16_ALL_TRUE, I16X8_ALL_TRUE, I32X4_ALL_TRUE, I64X2_ALL_TRUE,
                 I8X16_BITMASK, I16X8_BITMASK, I32X4_BITMASK, I64X2_BITMASK -> Shape.TEST;
            case I8X16_NARROW_I16X8_S, I8X16_NARROW_I16X8_U, I16X8_NARROW_I32X4_S, I16X8_NARROW_I32X4_U -> Shape.NARROW;
            case F32X4_DEMOTE_F64X2_ZERO, I32X4_TRUNC_SAT_F64X2_S_ZERO, I32X4_TRUNC_SAT_F64X2_U_ZERO -> Shape.ZERO;
            case I16X8_EXTEND_LOW_I8X16_S, I16X8_EXTEND_HIGH_I8X16_S, I16X8_EXTEND_LOW_I8X16_U, I16X8_EXTEND_HIGH_I8X16_U,
                 I32X4_EXTEND_LOW_I16X8_S, I32X4_EXTEND_HIGH_I16X8_S, I32X4_EXTEND_LOW_I16X8_U, I32X4_EXTEND_HIGH_I16X8_U,
                 I64X2_EXTEND_LOW_I32X4_S, I64X2_EXTEND_HIGH_I32X4_S, I64X2_EXTEND_LOW_I32X4_U, I64X2_EXTEND_HIGH_I32X4_U,
                 F64X2_PROMOTE_LOW_F32X4, F64X2_CONVERT_LOW_I32X4_S, F64X2_CONVERT_LOW_I32X4_U -> Shape.WIDEN;
            case I16X8_EXTMUL_LOW_I8X16_S, I16X8_EXTMUL_HIGH_I8X16_S, I16X8_EXTMUL_LOW_I8X16_U, I16X8_EXTMUL_HIGH_I8X16_U,
                 I32X4_EXTMUL_LOW_I16X8_S, I32X4_EXTMUL_HIGH_I16X8_S, I32X4_EXTMUL_LOW_I16X8_U, I32X4_EXTMUL_HIGH_I16X8_U,
                 I64X2_EXTMUL_LOW_I32X4_S, I64X2_EXTMUL_HIGH_I32X4_S, I64X2_EXTMUL_LOW_I32X4_U, I64X2_EXTMUL_HIGH_I32X4_U -> Shape.EXTMUL;
            case I8X16_SWIZZLE -> Shape.SWIZZLE;
            default -> null;
        };
    }

    /** The 64-bit bytecode a binary instruction is on each half, or 0 if it is not one. */
    private static int halfOperation(int opcode) {
        return switch (opcode) {
            case V128_AND, V128_ANDNOT -> LAND;
            case V128_OR -> LOR;
            case V128_XOR -> LXOR;
            case I64X2_ADD -> LADD;
            case I64X2_SUB -> LSUB;
            case I64X2_MUL -> LMUL;
            default -> 0;
        };
    }

    /**
     * A binary instruction that is one 64-bit bytecode on each half, with only the second operand
     * set aside: its high half is applied to the first operand's, which is on top of the stack, and
     * that result set aside in turn while its low half is applied; eight bytecodes against twelve
     * when both operands are moved to scratch slots first.
     */
    private void halfByHalf(int opcode) {
        int operation = halfOperation(opcode);
        if (inPlace.length > 0) {
            halfByHalfInPlace(opcode, operation);
            return;
        }
        int high = locals.borrow(ValType.I64);
        int low = locals.borrow(ValType.I64);
        mv.visitVarInsn(LSTORE, high);
        mv.visitVarInsn(LSTORE, low);
        for (int slot : new int[] {high, low}) {
            mv.visitVarInsn(LLOAD, slot);
            if (opcode == V128_ANDNOT) {
                Push.longConst(mv, -1L);
                mv.visitInsn(LXOR);
            }
            mv.visitInsn(operation);
            if (slot == high) mv.visitVarInsn(LSTORE, high);
        }
        mv.visitVarInsn(LLOAD, high);
    }

    /**
     * {@link #halfByHalf} with the second operand in place: six bytecodes without a store when
     * the first is in place too, else its high half's result set aside while the low half's is made.
     */
    private void halfByHalfInPlace(int opcode, int operation) {
        int second = inPlace[inPlace.length - 1];
        int result = inPlace.length == 2 ? -1 : locals.borrow(ValType.I64);
        for (int part = 0; part < 2; part++) {
            boolean lowHalf = inPlace.length == 2 ? part == 0 : part == 1;
            if (inPlace.length == 2) half(inPlace[0], lowHalf);
            half(second, lowHalf);
            if (opcode == V128_ANDNOT) {
                Push.longConst(mv, -1L);
                mv.visitInsn(LXOR);
            }
            mv.visitInsn(operation);
            if (result >= 0 && part == 0) mv.visitVarInsn(LSTORE, result);
        }
        if (result >= 0) mv.visitVarInsn(LLOAD, result);
    }

    /**
     * Whether unary or binary instruction {@code opcode} is bytecode in {@link #lanewise} rather
     * than a helper call a half.
     */
    private static boolean bytecodeLanewise(int opcode) {
        return switch (opcode) {
            case I8X16_ADD, I8X16_SUB, I16X8_ADD, I16X8_SUB, I32X4_ADD, I32X4_SUB, I8X16_AVGR_U, I16X8_AVGR_U,
                 I32X4_MUL, I8X16_NEG, I16X8_NEG, I32X4_NEG, I64X2_NEG, I8X16_ABS, I16X8_ABS,
                 I16X8_EXTADD_PAIRWISE_I8X16_U, I32X4_EXTADD_PAIRWISE_I16X8_U, V128_NOT,
                 F32X4_ABS, F32X4_NEG, F64X2_ABS, F64X2_NEG -> true;
            default -> false;
        };
    }

    /**
     * A unary or binary instruction that is one call of {@code helper} a half, its operands moved
     * no more than the calls need: the high halves set aside (of a second operand first, its low
     * half then moved under the first's with {@code dup2_x2} and {@code pop2}), so that the low
     * halves are the first call's arguments as they lie. Two bytecodes around a unary instruction's
     * calls and six around a binary one's, where moving the vectors to scratch slots and back takes
     * four and eight.
     */
    private void halfCalls(String helper, int operands) {
        String descriptor = operands == 2 ? "(JJ)J" : "(J)J";
        if (inPlace.length == operands) {
            for (int part = 0; part < 2; part++) {
                for (int slot : inPlace) half(slot, part == 0);
                call(helper, descriptor);
            }
            return;
        }
        if (inPlace.length == 1) {
            // The first operand on the stack, the second in place.
            int firstHigh = locals.borrow(ValType.I64);
            mv.visitVarInsn(LSTORE, firstHigh);
            low(inPlace[0]);
            call(helper, descriptor);
            mv.visitVarInsn(LLOAD, firstHigh);
            high(inPlace[0]);
            call(helper, descriptor);
            return;
        }
        int secondHigh = operands == 2 ? locals.borrow(ValType.I64) : -1;
        int firstHigh = locals.borrow(ValType.I64);
        if (operands == 2) {
            mv.visitVarInsn(LSTORE, secondHigh);
            mv.visitInsn(DUP2_X2);
            mv.visitInsn(POP2);
        }
        mv.visitVarInsn(LSTORE, firstHigh);
        call(helper, descriptor);
        mv.visitVarInsn(LLOAD, firstHigh);
        if (operands == 2) mv.visitVarInsn(LLOAD, secondHigh);
        call(helper, descriptor);
    }

    /** One half of a lane-wise instruction's result from the same half of each operand. */
    private void lanewise(int opcode, int[] v, boolean lowHalf) {
        switch (opcode) {
            case I8X16_ADD -> swar(v, lowHalf, 0x8080_8080_8080_8080L, false);
            case I8X16_SUB -> swar(v, lowHalf, 0x8080_8080_8080_8080L, true);
            case I16X8_ADD -> swar(v, lowHalf, 0x8000_8000_8000_8000L, false);
            case I16X8_SUB -> swar(v, lowHalf, 0x8000_8000_8000_8000L, true);
            case I32X4_ADD -> twoLanes(v, lowHalf, false);
            case I32X4_SUB -> twoLanes(v, lowHalf, true);
            case I8X16_NEG -> negate(v[0], lowHalf, 0x8080_8080_8080_8080L);
            case I16X8_NEG -> negate(v[0], lowHalf, 0x8000_8000_8000_8000L);
            case I32X4_NEG -> negate(v[0], lowHalf, INT_MSB);
            case I8X16_ABS -> abs(v[0], lowHalf, 0x8080_8080_8080_8080L, 7, 0xFF);
            case I16X8_ABS -> abs(v[0], lowHalf, 0x8000_8000_8000_8000L, 15, 0xFFFF);
            case I8X16_AVGR_U -> averageRoundingUp(v, lowHalf, 0x7F7F_7F7F_7F7F_7F7FL);
            case I16X8_AVGR_U -> averageRoundingUp(v, lowHalf, 0x7FFF_7FFF_7FFF_7FFFL);
            case I16X8_EXTADD_PAIRWISE_I8X16_U -> pairwiseSum(v[0], lowHalf, 8, 0x00FF_00FF_00FF_00FFL);
            case I32X4_EXTADD_PAIRWISE_I16X8_U -> pairwiseSum(v[0], lowHalf, 16, 0x0000_FFFF_0000_FFFFL);
            case I32X4_MUL -> {
                // The low lane's product as an int; the high lane's as the high lane of a, left in
                // place, times that of b moved down: the low 32 bits of that product are zero.
                half(v[0], lowHalf);
                mv.visitInsn(L2I);
                half(v[1], lowHalf);
                mv.visitInsn(L2I);
                mv.visitInsn(IMUL);
                mv.visitInsn(I2L);
                Push.longConst(mv, LOW32);
                mv.visitInsn(LAND);
                half(v[0], lowHalf);
                Push.longConst(mv, ~LOW32);
                mv.visitInsn(LAND);
                half(v[1], lowHalf);
                Push.intConst(mv, 32);
                mv.visitInsn(LUSHR);
                mv.visitInsn(LMUL);
                mv.visitInsn(LOR);
            }
            case V128_BITSELECT -> {
                // ((a ^ b) & c) ^ b: a where c is set, else b.
                half(v[0], lowHalf);
                half(v[1], lowHalf);
                mv.visitInsn(LXOR);
                half(v[2], lowHalf);
                mv.visitInsn(LAND);
                half(v[1], lowHalf);
                mv.visitInsn(LXOR);
            }
            case F32X4_RELAXED_MADD, F32X4_RELAXED_NMADD, F64X2_RELAXED_MADD, F64X2_RELAXED_NMADD,
                 I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S -> {
                for (int slot : v) half(slot, lowHalf);
                call(helper(opcode), "(JJJ)J");
            }
            default -> halfBitwise(opcode, v, lowHalf);
        }
    }

    /** Lane-wise negation of one half, the SWAR subtraction from zero: {@code (msb - (a & ~msb)) ^ (~a & msb)}. */
    private void negate(int slot, boolean lowHalf, long msb) {
        Push.longConst(mv, msb);
        half(slot, lowHalf);
        Push.longConst(mv, ~msb);
        mv.visitInsn(LAND);
        mv.visitInsn(LSUB);
        half(slot, lowHalf);
        Push.longConst(mv, ~msb);
        mv.visitInsn(LOR);
        Push.longConst(mv, -1L);
        mv.visitInsn(LXOR);
        mv.visitInsn(LXOR);
    }

    /**
     * Lane-wise absolute value of one half: negative lanes complemented, then their 1 added (a
     * complemented negative lane is at most its largest positive value, so the 1 carries into no
     * other lane); {@code top} moves a lane's sign bit to its bottom bit, {@code ones} fills a lane.
     */
    private void abs(int slot, boolean lowHalf, long msb, int top, long ones) {
        int signs = locals.borrow(ValType.I64);
        half(slot, lowHalf);
        Push.longConst(mv, msb);
        mv.visitInsn(LAND);
        Push.intConst(mv, top);
        mv.visitInsn(LUSHR);
        mv.visitVarInsn(LSTORE, signs);
        half(slot, lowHalf);
        mv.visitVarInsn(LLOAD, signs);
        Push.longConst(mv, ones);
        mv.visitInsn(LMUL);
        mv.visitInsn(LXOR);
        mv.visitVarInsn(LLOAD, signs);
        mv.visitInsn(LADD);
    }

    /** {@code avgr_u} of one half: {@code (a | b) - ((a ^ b) >>> 1 & low)}, {@code low} all but each lane's top bit. */
    private void averageRoundingUp(int[] v, boolean lowHalf, long low) {
        half(v[0], lowHalf);
        half(v[1], lowHalf);
        mv.visitInsn(LOR);
        half(v[0], lowHalf);
        half(v[1], lowHalf);
        mv.visitInsn(LXOR);
        Push.intConst(mv, 1);
        mv.visitInsn(LUSHR);
        Push.longConst(mv, low);
        mv.visitInsn(LAND);
        mv.visitInsn(LSUB);
    }

    /** Unsigned {@code extadd_pairwise} of one half: its even and odd lanes of {@code bits} bits, added in wider lanes. */
    private void pairwiseSum(int slot, boolean lowHalf, int bits, long even) {
        half(slot, lowHalf);
        Push.longConst(mv, even);
        mv.visitInsn(LAND);
        half(slot, lowHalf);
        Push.intConst(mv, bits);
        mv.visitInsn(LUSHR);
        Push.longConst(mv, even);
        mv.visitInsn(LAND);
        mv.visitInsn(LADD);
    }

    /**
     * Lane-wise add or subtract of one half without carries between lanes ({@code msb} has each
     * lane's top bit): {@code ((a & ~msb) + (b & ~msb)) ^ ((a ^ b) & msb)}, and for subtraction
     * {@code ((a | msb) - (b & ~msb)) ^ ((a ^ ~b) & msb)}.
     */
    private void swar(int[] v, boolean lowHalf, long msb, boolean subtract) {
        half(v[0], lowHalf);
        Push.longConst(mv, subtract ? msb : ~msb);
        mv.visitInsn(subtract ? LOR : LAND);
        half(v[1], lowHalf);
        Push.longConst(mv, ~msb);
        mv.visitInsn(LAND);
        mv.visitInsn(subtract ? LSUB : LADD);
        half(v[0], lowHalf);
        half(v[1], lowHalf);
        if (subtract) {
            Push.longConst(mv, -1L);
            mv.visitInsn(LXOR);
        }
        mv.visitInsn(LXOR);
        Push.longConst(mv, msb);
        mv.visitInsn(LAND);
        mv.visitInsn(LXOR);
    }

    /**
     * An i32x4 add or subtract of one half, eleven bytecodes where the SWAR form takes thirteen: the
     * halves added or subtracted whole, then the carry or borrow that crossed from the low lane into
     * the high one, bit 32 of {@code a ^ b ^ result}, taken back out. With two lanes to a half only
     * that one crossing can happen, and it is the low lane's own.
     */
    private void twoLanes(int[] v, boolean lowHalf, boolean subtract) {
        half(v[0], lowHalf);
        half(v[1], lowHalf);
        mv.visitInsn(subtract ? LSUB : LADD);
        mv.visitInsn(DUP2);
        half(v[0], lowHalf);
        mv.visitInsn(LXOR);
        half(v[1], lowHalf);
        mv.visitInsn(LXOR);
        Push.longConst(mv, 1L << 32);
        mv.visitInsn(LAND);
        mv.visitInsn(subtract ? LADD : LSUB);
    }

    /** One half of a lane-wise instruction that is a 64-bit bytecode or two on the half alone. */
    private void halfBitwise(int opcode, int[] v, boolean lowHalf) {
        for (int slot : v) half(slot, lowHalf);
        switch (opcode) {
            case V128_NOT -> {
                Push.longConst(mv, -1L);
                mv.visitInsn(LXOR);
            }
            case I64X2_NEG -> mv.visitInsn(LNEG);
            case F32X4_ABS, F32X4_NEG, F64X2_ABS, F64X2_NEG -> {
                // The sign bits cleared or flipped: the other bits, NaN payloads included, stay.
                boolean f32 = opcode == F32X4_ABS || opcode == F32X4_NEG;
                long signs = f32 ? 0x8000_0000_8000_0000L : Long.MIN_VALUE;
                boolean abs = opcode == F32X4_ABS || opcode == F64X2_ABS;
                Push.longConst(mv, abs ? ~signs : signs);
                mv.visitInsn(abs ? LAND : LXOR);
            }
            default -> throw new IllegalStateException(Opcodes.name(opcode) + " is a helper call");
        }
    }

    private void shift(int opcode, OptionalInt constant) {
        int laneBits = switch (opcode) {
            case I8X16_SHL, I8X16_SHR_U -> 8;
            case I16X8_SHL, I16X8_SHR_U -> 16;
            case I32X4_SHL, I32X4_SHR_U -> 32;
            default -> 0;
        };
        boolean left = opcode == I8X16_SHL || opcode == I16X8_SHL || opcode == I32X4_SHL;
        if (laneBits != 0 && constant.isPresent()) {
            constantShift(constant.getAsInt() & (laneBits - 1), laneBits, left);
            return;
        }
        int count = locals.borrow(ValType.I32);
        mv.visitVarInsn(ISTORE, count);
        int[] v = vectors(1);
        if (laneBits != 0) {
            logicalShift(v[0], count, laneBits, left);
            return;
        }
        for (int part = 0; part < 2; part++) {
            half(v[0], part == 0);
            mv.visitVarInsn(ILOAD, count);
            switch (opcode) {
                case I64X2_SHL -> mv.visitInsn(LSHL);
                case I64X2_SHR_S -> mv.visitInsn(LSHR);
                case I64X2_SHR_U -> mv.visitInsn(LUSHR);
                case I32X4_SHR_S -> i32Shift(v[0], part == 0, count, ISHR);
                default -> call(helper(opcode), "(JI)J");
            }
        }
    }

    /**
     * A left or unsigned right shift of lanes of {@code laneBits} bits: each half shifted as a
     * whole, then masked to the bits that stayed in their lane, the mask computed once from the
     * count (taken modulo the lane width) as a lane of ones shifted alike and copied to every lane.
     * Five bytecodes a half where the lane-by-lane {@code int} shifts took nineteen.
     */
    private void logicalShift(int slot, int count, int laneBits, boolean left) {
        long laneOnes = laneOnes(laneBits);
        long everyLane = everyLane(laneBits);
        mv.visitVarInsn(ILOAD, count);
        Push.intConst(mv, laneBits - 1);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, count);
        Push.longConst(mv, laneOnes);
        mv.visitVarInsn(ILOAD, count);
        mv.visitInsn(left ? LSHL : LUSHR);
        if (left) {
            Push.longConst(mv, laneOnes);
            mv.visitInsn(LAND);
        }
        Push.longConst(mv, everyLane);
        mv.visitInsn(LMUL);
        int mask = locals.borrow(ValType.I64);
        mv.visitVarInsn(LSTORE, mask);
        for (int part = 0; part < 2; part++) {
            half(slot, part == 0);
            mv.visitVarInsn(ILOAD, count);
            mv.visitInsn(left ? LSHL : LUSHR);
            mv.visitVarInsn(LLOAD, mask);
            mv.visitInsn(LAND);
        }
    }

    /**
     * {@link #logicalShift} by a count known when compiling, {@code shift} (already taken modulo
     * the lane width), which the instruction right before pushed: the count dropped, each half
     * shifted and masked by constants, the high half first as it lies on top. C1 and C2 folded
     * those constants already; the interpreter ran them, and it runs each of a split function's
     * sequences for its first few hundred calls. Blake3's rotations are such shifts (168
     * {@code i32x4.shl} and 168 {@code i32x4.shr_u} in its compression function): eleven bytecodes (the
     * count dropped, four a half, two to set the high half aside) instead of about twenty-five
     * for the count, the mask and the operand's moves, 8% less bytecode in its jar's main class, and Sightglass blake3-simd's
     * program thread took 0.80 of the CPU (async-profiler samples, medians of 16 alternating runs,
     * 119 against 148 ms, load average 4 to 6).
     */
    private void constantShift(int shift, int laneBits, boolean left) {
        mv.visitInsn(POP);
        long laneOnes = laneOnes(laneBits);
        long mask = (left ? laneOnes << shift & laneOnes : laneOnes >>> shift) * everyLane(laneBits);
        if (inPlace.length == 1) {
            // The operand in place: each half loaded, shifted and masked, no scratch slot.
            for (int part = 0; part < 2; part++) {
                half(inPlace[0], part == 0);
                if (shift != 0) {
                    Push.intConst(mv, shift);
                    mv.visitInsn(left ? LSHL : LUSHR);
                    Push.longConst(mv, mask);
                    mv.visitInsn(LAND);
                }
            }
            return;
        }
        if (shift == 0) return;
        int high = locals.borrow(ValType.I64);
        for (int part = 0; part < 2; part++) {
            Push.intConst(mv, shift);
            mv.visitInsn(left ? LSHL : LUSHR);
            Push.longConst(mv, mask);
            mv.visitInsn(LAND);
            if (part == 0) mv.visitVarInsn(LSTORE, high);
        }
        mv.visitVarInsn(LLOAD, high);
    }

    /** The ones of one lane of {@code laneBits} bits, in the lowest lane. */
    private static long laneOnes(int laneBits) {
        return laneBits == 32 ? LOW32 : (1L << laneBits) - 1;
    }

    /** The multiplier that copies the lowest lane of {@code laneBits} bits to every lane of a half. */
    private static long everyLane(int laneBits) {
        return switch (laneBits) {
            case 8 -> 0x0101_0101_0101_0101L;
            case 16 -> 0x0001_0001_0001_0001L;
            default -> 0x0000_0001_0000_0001L;
        };
    }

    /**
     * Replaces the count on the stack by one half of an i32x4 shift, lane by lane as {@code int}
     * shifts, which take their count modulo 32 as the instruction does.
     */
    private void i32Shift(int slot, boolean lowHalf, int count, int operation) {
        mv.visitInsn(POP);
        mv.visitInsn(L2I);
        mv.visitVarInsn(ILOAD, count);
        mv.visitInsn(operation);
        mv.visitInsn(I2L);
        Push.longConst(mv, LOW32);
        mv.visitInsn(LAND);
        half(slot, lowHalf);
        Push.intConst(mv, 32);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
        mv.visitVarInsn(ILOAD, count);
        mv.visitInsn(operation);
        mv.visitInsn(I2L);
        Push.intConst(mv, 32);
        mv.visitInsn(LSHL);
        mv.visitInsn(LOR);
    }

    private void splat(int opcode) {
        switch (opcode) {
            case I8X16_SPLAT -> replicate(0xFFL, 0x0101_0101_0101_0101L);
            case I16X8_SPLAT -> replicate(0xFFFFL, 0x0001_0001_0001_0001L);
            case I32X4_SPLAT -> replicate(LOW32, 0x0000_0001_0000_0001L);
            case F32X4_SPLAT -> call(helper(opcode), "(F)J");
            case F64X2_SPLAT -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false);
            default -> { }
        }
        mv.visitInsn(DUP2);
    }

    /** Replaces the int on the stack by a half with its low lane bits ({@code laneOnes}) in every lane: one multiply. */
    private void replicate(long laneOnes, long everyLane) {
        mv.visitInsn(I2L);
        Push.longConst(mv, laneOnes);
        mv.visitInsn(LAND);
        Push.longConst(mv, everyLane);
        mv.visitInsn(LMUL);
    }

    /** Pushes the 32 bits that part {@code part} (0 or 1) of a widening result comes from, in the low bits of a long. */
    private void source(int opcode, int slot, int part) {
        String name = Opcodes.name(opcode);
        half(slot, !name.contains("_high_"));
        if (part == 1) {
            Push.intConst(mv, 32);
            mv.visitInsn(LUSHR);
        }
    }

    /** Widens the 32 bits in the low half of the long on the stack as {@code opcode} does its lanes. */
    private void widen(int opcode) {
        switch (opcode) {
            case I16X8_EXTEND_LOW_I8X16_S, I16X8_EXTEND_HIGH_I8X16_S, I16X8_EXTMUL_LOW_I8X16_S, I16X8_EXTMUL_HIGH_I8X16_S ->
                    call("widenI8S", "(J)J");
            case I16X8_EXTEND_LOW_I8X16_U, I16X8_EXTEND_HIGH_I8X16_U, I16X8_EXTMUL_LOW_I8X16_U, I16X8_EXTMUL_HIGH_I8X16_U ->
                    call("widenI8U", "(J)J");
            case I32X4_EXTEND_LOW_I16X8_S, I32X4_EXTEND_HIGH_I16X8_S, I32X4_EXTMUL_LOW_I16X8_S, I32X4_EXTMUL_HIGH_I16X8_S ->
                    call("widenI16S", "(J)J");
            case I32X4_EXTEND_LOW_I16X8_U, I32X4_EXTEND_HIGH_I16X8_U, I32X4_EXTMUL_LOW_I16X8_U, I32X4_EXTMUL_HIGH_I16X8_U ->
                    call("widenI16U", "(J)J");
            case I64X2_EXTEND_LOW_I32X4_S, I64X2_EXTEND_HIGH_I32X4_S, I64X2_EXTMUL_LOW_I32X4_S, I64X2_EXTMUL_HIGH_I32X4_S -> {
                mv.visitInsn(L2I);
                mv.visitInsn(I2L);
            }
            case I64X2_EXTEND_LOW_I32X4_U, I64X2_EXTEND_HIGH_I32X4_U, I64X2_EXTMUL_LOW_I32X4_U, I64X2_EXTMUL_HIGH_I32X4_U -> {
                Push.longConst(mv, LOW32);
                mv.visitInsn(LAND);
            }
            case F64X2_PROMOTE_LOW_F32X4, F64X2_CONVERT_LOW_I32X4_S, F64X2_CONVERT_LOW_I32X4_U -> call(helper(opcode), "(J)J");
            default -> throw new IllegalArgumentException(Opcodes.name(opcode));
        }
    }

    /** Multiplies the two widened halves on the stack as lanes of {@code opcode}'s result shape. */
    private void multiply(int opcode) {
        String name = Opcodes.name(opcode);
        if (name.startsWith("i16x8")) call("i16x8Mul", "(JJ)J");
        else if (name.startsWith("i32x4")) call("i32x4Mul", "(JJ)J");
        else mv.visitInsn(LMUL);
    }

    /** {@code *.extract_lane*} and {@code *.replace_lane}. */
    void visitLane(int opcode, int lane, OperandStack stack) {
        boolean replace = switch (opcode) {
            case I8X16_REPLACE_LANE, I16X8_REPLACE_LANE, I32X4_REPLACE_LANE, I64X2_REPLACE_LANE, F32X4_REPLACE_LANE,
                 F64X2_REPLACE_LANE -> true;
            default -> false;
        };
        int onStack = (replace ? 2 : 1) - takeInPlace(!replace);
        stack.need(onStack);
        int mark = locals.mark();
        int bits = laneBits(opcode);
        if (replace) {
            ValType scalar = stack.peek();
            JvmType.toBits(mv, scalar);
            int value = locals.borrow(ValType.I64);
            mv.visitVarInsn(LSTORE, value);
            int[] v = vectors(1);
            replaceLane(v[0], lane, bits, value);
            stack.pop(2);
            stack.push(ValType.V128);
        } else {
            int[] v = vectors(1);
            extractLane(opcode, v[0], lane, bits);
            stack.pop(onStack);
            stack.push(laneType(opcode));
        }
        locals.release(mark);
    }

    private static int laneBits(int opcode) {
        String name = Opcodes.name(opcode);
        return switch (name.substring(0, 5)) {
            case "i8x16" -> 8;
            case "i16x8" -> 16;
            case "i32x4", "f32x4" -> 32;
            default -> 64;
        };
    }

    private static ValType laneType(int opcode) {
        String name = Opcodes.name(opcode);
        return switch (name.substring(0, 5)) {
            case "i64x2" -> ValType.I64;
            case "f32x4" -> ValType.F32;
            case "f64x2" -> ValType.F64;
            default -> ValType.I32;
        };
    }

    /** Pushes vector {@code slot} with lane {@code lane} of {@code bits} bits replaced by the long in {@code value}. */
    private void replaceLane(int slot, int lane, int bits, int value) {
        int perHalf = 64 / bits;
        boolean inLow = lane < perHalf;
        for (int part = 0; part < 2; part++) {
            boolean lowHalf = part == 0;
            if (lowHalf != inLow) {
                half(slot, lowHalf);
            } else if (bits == 64) {
                mv.visitVarInsn(LLOAD, value);
            } else {
                // (half & ~mask) | ((value << shift) & mask), the mask a constant.
                int shift = lane % perHalf * bits;
                long mask = ((1L << bits) - 1) << shift;
                half(slot, lowHalf);
                Push.longConst(mv, ~mask);
                mv.visitInsn(LAND);
                mv.visitVarInsn(LLOAD, value);
                if (shift != 0) {
                    Push.intConst(mv, shift);
                    mv.visitInsn(LSHL);
                }
                Push.longConst(mv, mask);
                mv.visitInsn(LAND);
                mv.visitInsn(LOR);
            }
        }
    }

    private void extractLane(int opcode, int slot, int lane, int bits) {
        int perHalf = 64 / bits;
        half(slot, lane < perHalf);
        int shift = lane % perHalf * bits;
        if (shift != 0) {
            Push.intConst(mv, shift);
            mv.visitInsn(LUSHR);
        }
        switch (opcode) {
            case I8X16_EXTRACT_LANE_S -> {
                mv.visitInsn(L2I);
                mv.visitInsn(I2B);
            }
            case I8X16_EXTRACT_LANE_U -> {
                mv.visitInsn(L2I);
                Push.intConst(mv, 0xFF);
                mv.visitInsn(IAND);
            }
            case I16X8_EXTRACT_LANE_S -> {
                mv.visitInsn(L2I);
                mv.visitInsn(I2S);
            }
            case I16X8_EXTRACT_LANE_U -> {
                mv.visitInsn(L2I);
                Push.intConst(mv, 0xFFFF);
                mv.visitInsn(IAND);
            }
            case I32X4_EXTRACT_LANE -> JvmType.fromBits(mv, ValType.I32);
            case F32X4_EXTRACT_LANE -> JvmType.fromBits(mv, ValType.F32);
            case F64X2_EXTRACT_LANE -> JvmType.fromBits(mv, ValType.F64);
            default -> { }
        }
    }

    /** The loads and stores of {@code v128} values, on memory {@code memidx}. */
    void visitMemoryAccess(int opcode, int memidx, long offset, OperandStack stack) {
        int mark = locals.mark();
        ValType addressType = memory.address64(memidx) ? ValType.I64 : ValType.I32;
        if (opcode == V128_STORE) {
            int onStack = 2 - takeInPlace(true);
            stack.need(onStack);
            int[] v = vectors(1);
            int address = locals.borrow(addressType);
            JvmType.store(mv, addressType, address);
            JvmType.load(mv, addressType, address);
            high(v[0]);
            memory.callAccess(RuntimeRefs.V128_STORE_HIGH, memidx, offset);
            JvmType.load(mv, addressType, address);
            low(v[0]);
            memory.callAccess(RuntimeRefs.V128_STORE_LOW, memidx, offset);
            calls += 2;
            locals.release(mark);
            stack.pop(onStack);
            return;
        }
        stack.need(1);
        switch (opcode) {
            case V128_LOAD -> {
                int address = locals.borrow(addressType);
                JvmType.store(mv, addressType, address);
                JvmType.load(mv, addressType, address);
                memory.callAccess(RuntimeRefs.V128_LOAD_LOW, memidx, offset);
                JvmType.load(mv, addressType, address);
                memory.callAccess(RuntimeRefs.V128_LOAD_HIGH, memidx, offset);
                calls++;
            }
            case V128_LOAD8X8_S, V128_LOAD8X8_U, V128_LOAD16X4_S, V128_LOAD16X4_U, V128_LOAD32X2_S, V128_LOAD32X2_U -> {
                memory.callAccess(RuntimeRefs.I64_LOAD, memidx, offset);
                int loaded = locals.borrow(ValType.I64);
                mv.visitVarInsn(LSTORE, loaded);
                int extend = switch (opcode) {
                    case V128_LOAD8X8_S -> I16X8_EXTEND_LOW_I8X16_S;
                    case V128_LOAD8X8_U -> I16X8_EXTEND_LOW_I8X16_U;
                    case V128_LOAD16X4_S -> I32X4_EXTEND_LOW_I16X8_S;
                    case V128_LOAD16X4_U -> I32X4_EXTEND_LOW_I16X8_U;
                    case V128_LOAD32X2_S -> I64X2_EXTEND_LOW_I32X4_S;
                    default -> I64X2_EXTEND_LOW_I32X4_U;
                };
                for (int part = 0; part < 2; part++) {
                    mv.visitVarInsn(LLOAD, loaded);
                    if (part == 1) {
                        Push.intConst(mv, 32);
                        mv.visitInsn(LUSHR);
                    }
                    widen(extend);
                }
            }
            case V128_LOAD8_SPLAT -> {
                memory.callAccess(RuntimeRefs.I32_LOAD8_U, memidx, offset);
                replicate(0xFFL, 0x0101_0101_0101_0101L);
                mv.visitInsn(DUP2);
            }
            case V128_LOAD16_SPLAT -> {
                memory.callAccess(RuntimeRefs.I32_LOAD16_U, memidx, offset);
                replicate(0xFFFFL, 0x0001_0001_0001_0001L);
                mv.visitInsn(DUP2);
            }
            case V128_LOAD32_SPLAT -> {
                memory.callAccess(RuntimeRefs.I32_LOAD, memidx, offset);
                replicate(LOW32, 0x0000_0001_0000_0001L);
                mv.visitInsn(DUP2);
            }
            case V128_LOAD64_SPLAT -> {
                memory.callAccess(RuntimeRefs.I64_LOAD, memidx, offset);
                mv.visitInsn(DUP2);
            }
            case V128_LOAD32_ZERO -> {
                memory.callAccess(RuntimeRefs.I64_LOAD32_U, memidx, offset);
                mv.visitInsn(LCONST_0);
            }
            case V128_LOAD64_ZERO -> {
                memory.callAccess(RuntimeRefs.I64_LOAD, memidx, offset);
                mv.visitInsn(LCONST_0);
            }
            default -> throw new IllegalArgumentException(Opcodes.name(opcode));
        }
        calls++;
        locals.release(mark);
        stack.pop();
        stack.push(ValType.V128);
    }

    /** {@code v128.load*_lane} and {@code v128.store*_lane}: one lane from or to memory {@code memidx}. */
    void visitMemoryLane(int opcode, int memidx, long offset, int lane, OperandStack stack) {
        takeInPlace(false);
        stack.need(2);
        int mark = locals.mark();
        int[] v = vectors(1);
        int bits = switch (opcode) {
            case V128_LOAD8_LANE, V128_STORE8_LANE -> 8;
            case V128_LOAD16_LANE, V128_STORE16_LANE -> 16;
            case V128_LOAD32_LANE, V128_STORE32_LANE -> 32;
            default -> 64;
        };
        boolean load = opcode <= V128_LOAD64_LANE;
        if (load) {
            switch (bits) {
                case 8 -> memory.callAccess(RuntimeRefs.I64_LOAD8_U, memidx, offset);
                case 16 -> memory.callAccess(RuntimeRefs.I64_LOAD16_U, memidx, offset);
                case 32 -> memory.callAccess(RuntimeRefs.I64_LOAD32_U, memidx, offset);
                default -> memory.callAccess(RuntimeRefs.I64_LOAD, memidx, offset);
            }
            int value = locals.borrow(ValType.I64);
            mv.visitVarInsn(LSTORE, value);
            replaceLane(v[0], lane, bits, value);
            stack.pop(2);
            stack.push(ValType.V128);
        } else {
            int perHalf = 64 / bits;
            half(v[0], lane < perHalf);
            if (lane % perHalf != 0) {
                Push.intConst(mv, lane % perHalf * bits);
                mv.visitInsn(LUSHR);
            }
            switch (bits) {
                case 8 -> memory.callAccess(RuntimeRefs.I64_STORE8, memidx, offset);
                case 16 -> memory.callAccess(RuntimeRefs.I64_STORE16, memidx, offset);
                case 32 -> memory.callAccess(RuntimeRefs.I64_STORE32, memidx, offset);
                default -> memory.callAccess(RuntimeRefs.I64_STORE, memidx, offset);
            }
            stack.pop(2);
        }
        calls++;
        locals.release(mark);
    }

    /**
     * Moves the top {@code count} vectors into scratch slots, four per vector, its low half first,
     * but for those the instruction reads in place, the topmost: the rest are on the JVM stack.
     * Returns each vector's first slot, the deepest vector first.
     */
    private int[] vectors(int count) {
        int[] slots = new int[count];
        int onStack = count - inPlace.length;
        for (int i = 0; i < onStack; i++) slots[i] = locals.borrow(ValType.V128);
        System.arraycopy(inPlace, 0, slots, onStack, inPlace.length);
        for (int i = onStack - 1; i >= 0; i--) {
            mv.visitVarInsn(LSTORE, slots[i] + 2);
            mv.visitVarInsn(LSTORE, slots[i]);
        }
        return slots;
    }

    private void low(int slot) {
        mv.visitVarInsn(LLOAD, slot);
    }

    private void high(int slot) {
        mv.visitVarInsn(LLOAD, slot + 2);
    }

    private void half(int slot, boolean low) {
        mv.visitVarInsn(LLOAD, low ? slot : slot + 2);
    }

    private void call(String name, String descriptor) {
        mv.visitMethodInsn(INVOKESTATIC, SIMD, name, descriptor, false);
        calls++;
    }

    /** The helper of an instruction: the spec's name in camel case, {@code i8x16.add_sat_s} as {@code i8x16AddSatS}. */
    private static String helper(int opcode) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : Opcodes.name(opcode).toCharArray()) {
            if (c == '.' || c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
