/* A deliberate trap at a known line, for the DWARF line number tests (see build.sh). */

__attribute__((noinline)) static int divide(int a, int b) {
    if (b == 0) {
        __builtin_trap();
    }
    return a / b;
}

__attribute__((export_name("run"))) int run(int a, int b) {
    int q = divide(a, b);
    return q + 1;
}
