/*
 * An embarrassingly parallel kernel for the scaling benchmark: run(threads, rounds) hashes
 * `rounds` values on each of `threads` wasi-threads threads (xorshift mixing, no shared data) and
 * returns the xor of their results, so the work per thread is fixed and the threads never contend.
 */
#include <stdint.h>

#define MAX_THREADS 16
#define STACK_SIZE 16384
#define TLS_SIZE 64

__attribute__((import_module("wasi"), import_name("thread-spawn")))
int thread_spawn(void *start);

struct start {
    uint32_t stack_top;
    uint32_t tls_base;
    uint32_t index;
    uint32_t rounds;
    uint64_t result;
};

static char stacks[MAX_THREADS][STACK_SIZE] __attribute__((aligned(16)));
static char tls_blocks[MAX_THREADS][TLS_SIZE] __attribute__((aligned(16)));
static struct start starts[MAX_THREADS];
static int done;

void thread_main(int tid, struct start *start) {
    (void) tid;
    uint64_t x = 0x9E3779B97F4A7C15ull * (start->index + 1);
    for (uint32_t i = 0; i < start->rounds; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    start->result = x;
    __atomic_fetch_add(&done, 1, __ATOMIC_SEQ_CST);
    __builtin_wasm_memory_atomic_notify(&done, 1);
}

__attribute__((export_name("run")))
uint64_t run(int threads, uint32_t rounds) {
    if (threads < 1 || threads > MAX_THREADS || __builtin_wasm_tls_size() > TLS_SIZE) return 0;
    __atomic_store_n(&done, 0, __ATOMIC_SEQ_CST);
    for (int t = 0; t < threads; t++) {
        starts[t].stack_top = (uint32_t) (uintptr_t) (stacks[t] + STACK_SIZE);
        starts[t].tls_base = (uint32_t) (uintptr_t) tls_blocks[t];
        starts[t].index = (uint32_t) t;
        starts[t].rounds = rounds;
        if (thread_spawn(&starts[t]) < 0) return 0;
    }
    for (int d; (d = __atomic_load_n(&done, __ATOMIC_SEQ_CST)) < threads;) {
        __builtin_wasm_memory_atomic_wait32(&done, d, -1);
    }
    uint64_t result = 0;
    for (int t = 0; t < threads; t++) result ^= starts[t].result;
    return result;
}
