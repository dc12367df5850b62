/*
 * Pointer chasing through a 4 MiB random cyclic permutation: dependent loads that miss the
 * cache, so the cost of each memory access (bounds checks, address arithmetic) shows.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"

#define NODES (1024 * 1024)
#define HOPS 4000000

static uint32_t next_node[NODES];

/* A fixed generator, so every build chases the same cycle. */
static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint32_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t) rng_state;
}

int main(void) {
    uint32_t *order = malloc(NODES * sizeof *order);
    for (uint32_t i = 0; i < NODES; i++) {
        order[i] = i;
    }
    for (uint32_t i = NODES - 1; i > 0; i--) {
        uint32_t j = rng() % (i + 1);
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < NODES; i++) {
        next_node[order[i]] = order[(i + 1) % NODES];
    }
    free(order);
    bench_start();
    uint32_t p = 0;
    uint64_t sum = 0;
    for (uint32_t h = 0; h < HOPS; h++) {
        p = next_node[p];
        sum += p;
    }
    bench_end();
    printf("chase %d hops end %u sum %llu\n", HOPS, p, (unsigned long long) sum);
    return 0;
}
