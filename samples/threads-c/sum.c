/*
 * Sums the squares of 0 .. N-1 on THREADS wasi-threads threads, freestanding (no libc): each thread
 * sums a slice, adds it to the total under a futex-based mutex, and counts itself done; the main
 * thread sleeps on that counter with memory.atomic.wait32 until every thread is done, then prints
 * the total, which must not depend on how the threads were scheduled.
 */
#include <stdint.h>

#define N 3000000u
#define THREADS 4
#define STACK_SIZE 16384
#define TLS_SIZE 64

typedef struct {
    const void *buf;
    uint32_t len;
} ciovec;

__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write")))
int fd_write(int fd, const ciovec *iovs, int count, uint32_t *written);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
_Noreturn void proc_exit(int code);
__attribute__((import_module("wasi"), import_name("thread-spawn")))
int thread_spawn(void *start);

/* What wasi_thread_start (thread_start.s) reads: the stack top first, then the TLS block. */
struct start {
    uint32_t stack_top;
    uint32_t tls_base;
    uint32_t index;
};

static char stacks[THREADS][STACK_SIZE] __attribute__((aligned(16)));
static char tls_blocks[THREADS][TLS_SIZE] __attribute__((aligned(16)));
static struct start starts[THREADS];

static int mutex;
static uint64_t total;
static int done;

/* 0 unlocked, 1 locked: a waiter sleeps until the holder's unlock notifies it. */
static void lock(int *m) {
    while (__atomic_exchange_n(m, 1, __ATOMIC_SEQ_CST) != 0) __builtin_wasm_memory_atomic_wait32(m, 1, -1);
}

static void unlock(int *m) {
    __atomic_store_n(m, 0, __ATOMIC_SEQ_CST);
    __builtin_wasm_memory_atomic_notify(m, 1);
}

void thread_main(int tid, struct start *start) {
    (void) tid;
    uint32_t from = (uint32_t) ((uint64_t) N * start->index / THREADS);
    uint32_t to = (uint32_t) ((uint64_t) N * (start->index + 1) / THREADS);
    uint64_t sum = 0;
    for (uint32_t i = from; i < to; i++) sum += (uint64_t) i * i;
    lock(&mutex);
    total += sum;
    unlock(&mutex);
    __atomic_fetch_add(&done, 1, __ATOMIC_SEQ_CST);
    __builtin_wasm_memory_atomic_notify(&done, 1);
}

static void print(const char *text, uint32_t length) {
    ciovec iov = {text, length};
    uint32_t written;
    fd_write(1, &iov, 1, &written);
}

static uint32_t format(uint64_t value, char *out) {
    char digits[20];
    uint32_t n = 0;
    do {
        digits[n++] = (char) ('0' + value % 10);
        value /= 10;
    } while (value != 0);
    for (uint32_t i = 0; i < n; i++) out[i] = digits[n - 1 - i];
    return n;
}

void _start(void) {
    if (__builtin_wasm_tls_size() > TLS_SIZE) proc_exit(2);
    for (int t = 0; t < THREADS; t++) {
        starts[t].stack_top = (uint32_t) (uintptr_t) (stacks[t] + STACK_SIZE);
        starts[t].tls_base = (uint32_t) (uintptr_t) tls_blocks[t];
        starts[t].index = (uint32_t) t;
        if (thread_spawn(&starts[t]) < 0) proc_exit(3);
    }
    for (int d; (d = __atomic_load_n(&done, __ATOMIC_SEQ_CST)) < THREADS;) {
        __builtin_wasm_memory_atomic_wait32(&done, d, -1);
    }
    static const char label[] = "sum of squares below 3000000 on 4 threads: ";
    char line[sizeof label + 21];
    uint32_t n = 0;
    for (; n < sizeof label - 1; n++) line[n] = label[n];
    n += format(total, line + n);
    line[n++] = '\n';
    print(line, n);
}
