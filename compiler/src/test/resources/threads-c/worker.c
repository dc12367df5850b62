// A C library whose calls keep their state on the C stack, in linear memory below the
// __stack_pointer global, as C code does: an array, and a function pointer called through the
// table. env.pause hands control to the host in the middle of a call, so that a test can hold two
// calls open at once on one instance. Built freestanding (no libc): see build.sh.

__attribute__((import_module("env"), import_name("pause"))) void pause(int value);

static int square(int x) { return x * x; }
static int negate(int x) { return -x; }

// The sum of op(n + i) for i in 0..15, where op is negate for odd n and square for even n.
__attribute__((export_name("work")))
int work(int n) {
    int (*volatile op)(int) = n % 2 ? negate : square;
    volatile int values[16];
    for (int i = 0; i < 16; i++) values[i] = n + i;
    pause(n);
    int sum = 0;
    for (int i = 0; i < 16; i++) sum += op(values[i]);
    return sum;
}

// Zeroes a 1 KiB stack frame: what any deeper call does to the memory below the stack pointer.
__attribute__((export_name("scribble")))
int scribble(void) {
    volatile int frame[256];
    for (int i = 0; i < 256; i++) frame[i] = 0;
    return frame[255];
}
