/*
 * The timed region of a kernel lies between bench_start() and bench_end().
 *
 * Compiled to wasm, they are the Sightglass imports `bench.start` and `bench.end`, so every wasm
 * engine times the kernel exactly as it times a Sightglass program. Compiled natively, they read
 * the monotonic clock themselves and write the region's length in nanoseconds to the file named
 * by BENCH_TIMING_FILE, which keeps stdout and stderr identical to the wasm build's.
 */
#ifndef BENCH_H
#define BENCH_H

#ifdef __wasm__

__attribute__((import_module("bench"), import_name("start"))) void bench_start(void);
__attribute__((import_module("bench"), import_name("end"))) void bench_end(void);

#else

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static struct timespec bench_started;

static void bench_start(void) {
    clock_gettime(CLOCK_MONOTONIC, &bench_started);
}

static void bench_end(void) {
    struct timespec ended;
    clock_gettime(CLOCK_MONOTONIC, &ended);
    long long ns = (ended.tv_sec - bench_started.tv_sec) * 1000000000LL
            + (ended.tv_nsec - bench_started.tv_nsec);
    const char *path = getenv("BENCH_TIMING_FILE");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "%lld\n", ns);
        fclose(f);
    }
}

#endif
#endif
