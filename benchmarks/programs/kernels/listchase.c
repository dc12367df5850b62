/*
 * Pointer chasing with every loop in main, entered once: a singly linked cycle through 1 Mi
 * nodes in a random order, walked many times round, so that each load depends on the previous
 * one and most miss the caches. Verified by the walk: after whole laps it is back at its start
 * and has summed every node's value once per lap.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NODES (1u << 16)
#define LAPS 320

struct node {
    struct node *next;
    uint32_t value;
};

static struct node nodes[NODES];
static uint32_t order[NODES];

int main(void) {
    uint32_t seed = 2463534242u;
    for (uint32_t i = 0; i < NODES; i++) {
        order[i] = i;
    }
    /* Fisher-Yates with xorshift32: one random cycle through all nodes. */
    for (uint32_t i = NODES - 1; i > 0; i--) {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        uint32_t j = seed % (i + 1);
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    uint64_t lapSum = 0;
    for (uint32_t i = 0; i < NODES; i++) {
        struct node *n = &nodes[order[i]];
        n->next = &nodes[order[(i + 1) % NODES]];
        n->value = order[i] * 2654435761u >> 20;
        lapSum += n->value;
    }

    struct node *start = &nodes[order[0]];
    struct node *p = start;
    uint64_t sum = 0;
    uint32_t mixed = 0;
    for (uint32_t lap = 0; lap < LAPS; lap++) {
        for (uint32_t step = 0; step < NODES; step++) {
            sum += p->value;
            mixed = (mixed ^ p->value) * 16777619u;
            p = p->next;
        }
        if (p != start) {
            printf("listchase: lap %u ended at node %ld, not at the start\n", lap, (long) (p - nodes));
            return 1;
        }
    }
    if (sum != lapSum * LAPS) {
        printf("listchase: walked sum %llu, expected %llu\n", (unsigned long long) sum,
               (unsigned long long) (lapSum * LAPS));
        return 1;
    }
    printf("listchase: %u nodes, %u laps, sum %llu, mix %08x\n", NODES, LAPS, (unsigned long long) sum, mixed);
    return 0;
}
