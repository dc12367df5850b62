// A small freestanding C library (no libc): integer maths and a checksum over a buffer that the
// caller fills through the module's exported memory.

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("gcd") int gcd(int a, int b) {
    while (b != 0) {
        int t = a % b;
        a = b;
        b = t;
    }
    return a < 0 ? -a : a;
}

EXPORT("fibonacci") long long fibonacci(int n) {
    long long a = 0, b = 1;
    for (int i = 0; i < n; i++) {
        long long t = a + b;
        a = b;
        b = t;
    }
    return a;
}

EXPORT("is-prime") int is_prime(unsigned n) {
    if (n < 2) return 0;
    for (unsigned d = 2; d * d <= n; d++) {
        if (n % d == 0) return 0;
    }
    return 1;
}

static unsigned char buffer[4096];

// Where the caller puts the bytes to check; it holds sizeof(buffer) bytes.
EXPORT("buffer") unsigned char *get_buffer(void) {
    return buffer;
}

// Adler-32 of the first len bytes of the buffer.
EXPORT("adler32") unsigned adler32(unsigned len) {
    unsigned a = 1, b = 0;
    if (len > sizeof buffer) len = sizeof buffer;
    for (unsigned i = 0; i < len; i++) {
        a = (a + buffer[i]) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}
