// Grows its memory one 64 KiB page at a time until memory.grow fails, and prints how far it got:
// the size of memory the host allowed. Stops at 16384 pages (1 GiB) so that a run without a limit
// ends too. Exits 0.
#include <stdio.h>

int main(void) {
    size_t start = __builtin_wasm_memory_size(0);
    size_t pages = start;
    while (pages < 16384 && __builtin_wasm_memory_grow(0, 1) != (size_t) -1) pages++;
    printf("grew from %zu to %zu pages: memory.grow %s\n", start, pages, pages < 16384 ? "failed" : "succeeded throughout");
    return 0;
}
