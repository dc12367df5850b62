/**
 * Splitting a function too large for one JVM method: HotSpot does not JIT-compile a method of more
 * than 8000 bytes of bytecode, and C1 gives up on methods with a few hundred calls among many live
 * values ({@code layout.JvmLimits}). {@code FunctionMethods} emits the methods of a function, split
 * or not, for the final classes and for the trials by which {@code FunctionPlanner} decides how to
 * emit each function: it measures the unsplit method, and for one too large tries budgets from
 * {@code JvmLimits.SPLIT_METHOD} down until the largest method of a plan fits. Planning:
 * {@code RegionScanner} finds the regions of a body, and in the same reading ({@code Tee})
 * {@code FlowInstructions} records the instructions that the locals' analyses follow,
 * {@code SplitPlan} decides, from sizes estimated as wasm bytes times the bytecode per byte measured
 * on the unsplit function, which of them to outline, and {@code Outlining} holds the result: which
 * part starts where, each part's method name and descriptor, the locals it exchanges through the
 * frame ({@code MethodLocals}: those live where it leaves, from {@code LiveLocals}), and its place
 * on the operand stack. Lowering: {@code OutlinedCalls}
 * emits the call of each part and the dispatch on its exit code, {@code StateMachines} the state
 * machines of nests, {@code RegionFrame} the frame's class, {@code GroupDispatch} the dispatcher of
 * a nest's state groups; {@code StepMethods} spreads any long run of independent steps (a
 * constructor's) over methods.
 *
 * <p>The seam: {@code emit.body} lowers the instructions of every method, and this package, which
 * depends on it (never the reverse), drives it. {@code Outlining.method} describes each method to
 * the body emitters as a {@code body.SplitMethod}, whose {@code Ops} ({@code OutlinedCalls}) emit
 * the <em>pseudo-operations</em> of splitting where {@code FunctionEmitter} asks for them, and
 * where {@code ControlEmitter} branches to a label that another method holds; and
 * {@code Outlining.lowerPart} lowers a part's method: its prologue, its own range of the body read
 * in place ({@code CodeReader.readPart}), and its end. No wasm byte is made up: a group's blocks
 * are opened by its prologue, its own frame closed by {@code FunctionEmitter.endPart}. Glossary:
 * <dl>
 *   <dt>region</dt>
 *   <dd>a structured construct of the body, or the body itself ({@code Region}, found by
 *       {@code RegionScanner}), with its byte range, the locals it reads and writes, its calls and
 *       the labels outside it that it branches to (its escapes).</dd>
 *   <dt>construct</dt>
 *   <dd>a {@code block}, {@code loop} or {@code if} outlined whole into a static method of its own,
 *       called where it stood; {@code SplitPlan} outlines the largest first until its parent fits.</dd>
 *   <dt>sequence</dt>
 *   <dd>a run of straight-line instructions cut out of a region whose own code is still too large,
 *       between points where the operand stack holds at most {@code SplitPlan.MAX_CARRIED} values,
 *       which the sequence's method takes as operands and gives back as results.</dd>
 *   <dt>nest</dt>
 *   <dd>a chain of plain blocks each opening the body of the one before, as compilers lower a
 *       {@code switch} ({@code BlockNest}); too large for one method, it runs as a state machine.</dd>
 *   <dt>remote block</dt>
 *   <dd>a block of a method whose end, and the code after it, are in another method: each block
 *       of a running nest but its outermost ({@code ControlEmitter.openRemoteBlock}). The control
 *       emitter lowers the branches to it and its end as pseudo-operations, which
 *       {@code StateMachines} turns into a jump to its state.</dd>
 *   <dt>state group</dt>
 *   <dd>consecutive states of a nest's state machine (state {@code k}: just after the end of block
 *       {@code k}) outlined together into one method, which the nest's dispatcher calls with the
 *       state to enter.</dd>
 *   <dt>frame</dt>
 *   <dd>an object of a class generated per split function ({@code RegionFrame}) through which its
 *       methods pass the wasm locals each part may read ({@code MethodLocals} computes which) and
 *       the results of a {@code return}.</dd>
 *   <dt>pseudo-operation</dt>
 *   <dd>what a split function's methods do besides their instructions, asked for through
 *       {@code SplitMethod.Ops}: call an outlined part where it starts ({@code callSequence},
 *       {@code callConstruct}, which say where reading resumes, after the part), open a block
 *       ({@code openBlock}: a nest's as a state machine's), pass over the code of a nest's states,
 *       which its groups hold ({@code passStates}), go to a remote block's state
 *       ({@code branchRemote}, {@code endRemote}, after which a nest's dispatcher follows its entry,
 *       and {@code branchTable}), enter a part ({@code enterPart}, a group entering its state),
 *       exit a part with an exit code ({@code exitBranch}, {@code exitReturn}, {@code exitEnd}),
 *       and pass locals through the frame ({@code enterTry}, {@code reloadLocals},
 *       {@code writeThrough}).</dd>
 *   <dt>exit code</dt>
 *   <dd>the int an outlined method returns to say where control goes on: {@code 0} falls through
 *       its end, {@code -1} returns from the function (results in the frame), {@code -2} asks an
 *       outlined loop's caller to call it again (every 64 iterations, so that HotSpot compiles it
 *       as a method), {@code k > 0} branches
 *       to the label {@code k - 1} levels out from the frame around the part; the caller dispatches
 *       on it ({@code OutlinedCalls}).</dd>
 * </dl>
 */
package dev.wasm2jvm.compiler.emit.split;
