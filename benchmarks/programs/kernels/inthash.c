/*
 * 32- and 64-bit integer arithmetic with every loop in main, entered once: a multiplicative hash
 * (xorshift, multiply, rotate) of a counter spreads values over a histogram, and Collatz chains
 * exercise divisions and data-dependent branches. Verified by totals counted two ways.
 */
#include <stdint.h>
#include <stdio.h>

#define BUCKETS (1u << 16)
#define HASHES 40000000u
#define COLLATZ_LIMIT 1500000u

static uint32_t histogram[BUCKETS];

int main(void) {
    uint64_t state = 0x9E3779B97F4A7C15ull;
    uint64_t added = 0;
    for (uint32_t i = 0; i < HASHES; i++) {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        uint64_t h = state * 0x2545F4914F6CDD1Dull;
        uint32_t x = (uint32_t) (h >> 32);
        x = (x << 13 | x >> 19) ^ (uint32_t) h;
        histogram[x & (BUCKETS - 1)] += (x >> 28) + 1;
        added += (x >> 28) + 1;
    }
    uint64_t total = 0;
    uint32_t fullest = 0;
    for (uint32_t b = 0; b < BUCKETS; b++) {
        total += histogram[b];
        if (histogram[b] > histogram[fullest]) {
            fullest = b;
        }
    }
    if (total != added) {
        printf("inthash: histogram holds %llu, expected %llu\n", (unsigned long long) total, (unsigned long long) added);
        return 1;
    }

    uint32_t longest = 0, longestStart = 0;
    uint64_t steps = 0, stepsByParity = 0;
    for (uint32_t n = 1; n < COLLATZ_LIMIT; n++) {
        uint64_t x = n;
        uint32_t length = 0, odd = 0;
        while (x != 1) {
            if (x & 1) {
                x = 3 * x + 1;
                odd++;
            } else {
                x /= 2;
            }
            length++;
        }
        steps += length;
        stepsByParity += odd + (length - odd);
        if (length > longest) {
            longest = length;
            longestStart = n;
        }
    }
    if (steps != stepsByParity) {
        printf("inthash: Collatz steps %llu, counted by parity %llu\n", (unsigned long long) steps,
               (unsigned long long) stepsByParity);
        return 1;
    }
    printf("inthash: state %016llx, fullest bucket %u (%u); collatz steps %llu, longest %u from %u\n",
           (unsigned long long) state, fullest, histogram[fullest], (unsigned long long) steps, longest, longestStart);
    return 0;
}
