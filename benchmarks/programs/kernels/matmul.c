/*
 * Dense double-precision matrix multiply with every loop in main, entered once: the way a user's
 * program runs, so a JIT must compile the loops on-stack (OSR) rather than a hot function called
 * again and again. Verified against the sum of all elements of C = A * B, which also equals
 * sum over k of (column k of A's sum) * (row k of B's sum), computed independently in O(N^2).
 */
#include <math.h>
#include <stdio.h>

#define N 512
#define ROUNDS 6

static double a[N][N], b[N][N], c[N][N];

int main(void) {
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            a[i][j] = (double) ((i * 31 + j * 17) % 101) / 101.0 - 0.5;
            b[i][j] = (double) ((i * 7 + j * 13) % 97) / 97.0 - 0.5;
        }
    }
    double checksum = 0.0;
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
        double total = 0.0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                total += c[i][j];
            }
        }
        double expected = 0.0;
        for (int k = 0; k < N; k++) {
            double column = 0.0, row = 0.0;
            for (int i = 0; i < N; i++) {
                column += a[i][k];
                row += b[k][i];
            }
            expected += column * row;
        }
        if (fabs(total - expected) > 1e-9 * (1.0 + fabs(expected))) {
            printf("matmul: round %d: sum of C is %.17g, expected %.17g\n", r, total, expected);
            return 1;
        }
        checksum += total;
        /* Change A from round to round, so that no round repeats the previous one. */
        a[r][(r * 7) % N] += 0.25;
    }
    printf("matmul %dx%d, %d rounds: checksum %.9f, c[7][11] %.9f\n", N, N, ROUNDS, checksum, c[7][11]);
    return 0;
}
