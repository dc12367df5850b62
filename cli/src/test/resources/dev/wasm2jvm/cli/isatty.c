/* Prints whether wasi-libc takes standard input and output for terminals, as "isatty(0) isatty(1)". */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    int in = isatty(0);
    int out = isatty(1);
    printf("%d %d\n", in, out);
    return 0;
}
