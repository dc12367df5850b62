/* A freestanding memory64 module (clang's wasm64 target, i64 pointers): fills and checksums a
 * static table, and grows its memory past 4 GiB to touch the last byte. Memory64Test runs it. */
#include <stddef.h>
#include <stdint.h>

static uint64_t table[1024];

__attribute__((export_name("fill")))
void fill(uint64_t seed) {
    for (size_t i = 0; i < 1024; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        table[i] = seed >> 17;
    }
}

__attribute__((export_name("checksum")))
uint64_t checksum(void) {
    uint64_t sum = 0;
    for (size_t i = 0; i < 1024; i++) sum = (sum ^ table[i]) * 1099511628211ULL;
    return sum;
}

__attribute__((export_name("grow_and_touch")))
int64_t grow_and_touch(int64_t pages) {
    int64_t old = __builtin_wasm_memory_grow(0, pages);
    if (old < 0) return -1;
    volatile uint8_t *last = (volatile uint8_t *)(uintptr_t)((old + pages) * 65536 - 1);
    *last = 0x5a;
    return (int64_t)(uintptr_t)last;
}

__attribute__((export_name("peek")))
uint32_t peek(uint64_t address) {
    return *(volatile uint8_t *)(uintptr_t)address;
}
