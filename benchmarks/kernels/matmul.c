/* Dense double-precision matrix multiply: floating-point arithmetic over row-major arrays. */
#include <stdio.h>
#include "bench.h"

#define N 256
#define ROUNDS 16

static double a[N][N], b[N][N], c[N][N];

int main(void) {
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            a[i][j] = (double) ((i * 31 + j * 17) % 101) / 101.0;
            b[i][j] = (double) ((i * 7 + j * 13) % 97) / 97.0;
        }
    }
    bench_start();
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                c[i][j] = 0.0;
            }
            for (int k = 0; k < N; k++) {
                double aik = a[i][k];
                for (int j = 0; j < N; j++) {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
        /* Feed the result back so no round can be skipped. */
        a[r][r] += c[N - 1 - r][r] * 1e-6;
    }
    bench_end();
    double trace = 0.0;
    for (int i = 0; i < N; i++) {
        trace += c[i][i];
    }
    printf("matmul %d trace %.6f\n", N, trace);
    return 0;
}
