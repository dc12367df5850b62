//! Sums 0 .. N-1 on 4 std.Thread threads: each worker adds its slice to a total under a Mutex and
//! signals a Condition; the main thread waits on the Condition until every worker is done, joins
//! them and prints the total, which must not depend on the scheduling.
//!
//! Workers first wait at a start gate that main opens once every spawn has returned: Zig 0.14-dev's
//! wasi-threads support stores a thread's id into its handle after `thread-spawn` returns, and a
//! worker that finished before that store would have its "done" mark overwritten, leaving join
//! waiting forever.
const std = @import("std");

const threads = 4;

const Shared = struct {
    mutex: std.Thread.Mutex = .{},
    changed: std.Thread.Condition = .{},
    started: bool = false,
    total: u64 = 0,
    finished: u32 = 0,
};

fn worker(shared: *Shared, index: u32, count: u32) void {
    shared.mutex.lock();
    while (!shared.started) shared.changed.wait(&shared.mutex);
    shared.mutex.unlock();
    var sum: u64 = 0;
    var i: u32 = 0;
    while (i < count) : (i += 1) sum += @as(u64, index) * count + i;
    shared.mutex.lock();
    defer shared.mutex.unlock();
    shared.total += sum;
    shared.finished += 1;
    shared.changed.broadcast();
}

pub fn main() !void {
    var shared = Shared{};
    var count: u32 = 2_500_000;
    _ = &count;
    var handles: [threads]std.Thread = undefined;
    for (&handles, 0..) |*handle, i| {
        handle.* = try std.Thread.spawn(.{ .allocator = std.heap.page_allocator, .stack_size = 256 * 1024 }, worker, .{ &shared, @as(u32, @intCast(i)), count });
    }
    shared.mutex.lock();
    shared.started = true;
    shared.changed.broadcast();
    while (shared.finished < threads) shared.changed.wait(&shared.mutex);
    shared.mutex.unlock();
    for (handles) |handle| handle.join();
    try std.io.getStdOut().writer().print("sum of 0..{d} on {d} threads: {d}\n", .{ threads * count, threads, shared.total });
}
