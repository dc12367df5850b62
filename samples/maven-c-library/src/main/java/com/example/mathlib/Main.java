package com.example.mathlib;

import dev.wasm2jvm.runtime.Memory;

/** Calls the C library's exports through the typed methods of its generated class. */
public final class Main {
    public static void main(String[] args) {
        // mathlib.wasm imports nothing, so it is instantiated without arguments.
        MathLib lib = MathLib.instantiate();

        System.out.println("gcd(1071, 462) = " + lib.gcd(1071, 462));
        System.out.println("fibonacci(90) = " + lib.fibonacci(90));
        // The export "is-prime" is the method isPrime; C's int is Java's int.
        System.out.println("is-prime(2147483647) = " + (lib.isPrime(2147483647) != 0));

        // Pass a string through the module's memory: write it, UTF-8, to the buffer it exports, then call.
        Memory memory = lib.memory();
        int length = memory.writeString(lib.buffer(), "Wikipedia");
        System.out.printf("adler32(\"Wikipedia\") = 0x%08x%n", lib.adler32(length));
    }
}
