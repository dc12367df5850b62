/* Sieve of Eratosthenes over a byte array: tight integer loops with strided memory stores. */
#include <stdio.h>
#include <string.h>
#include "bench.h"

#define LIMIT 4000000
#define ROUNDS 6

static unsigned char composite[LIMIT + 1];

int main(void) {
    int count = 0;
    bench_start();
    for (int r = 0; r < ROUNDS; r++) {
        memset(composite, 0, sizeof composite);
        count = 0;
        for (int i = 2; i <= LIMIT; i++) {
            if (!composite[i]) {
                count++;
                for (long long j = (long long) i * i; j <= LIMIT; j += i) {
                    composite[j] = 1;
                }
            }
        }
    }
    bench_end();
    printf("sieve %d primes %d\n", LIMIT, count);
    return 0;
}
