/*
 * Grows its memory by 8 MiB through malloc, fills it and prints a checksum: a command whose linear
 * memory must be reserved at run time. Built by build-wasi-limits.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    size_t size = 8u << 20;
    unsigned char *block = malloc(size);
    if (block == NULL) return 1;
    memset(block, 7, size);
    unsigned long sum = 0;
    for (size_t i = 0; i < size; i += 4096) sum += block[i];
    printf("grown by %zu bytes, sum %lu\n", size, sum);
    return 0;
}
