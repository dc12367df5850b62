package com.example.mathlib;

import dev.wasm2jvm.runtime.Memory;

import java.nio.charset.StandardCharsets;

/** Calls the C library's exports through the typed methods of its generated class. */
public final class Main {
    public static void main(String[] args) {
        // mathlib.wasm imports nothing, so it is instantiated without arguments.
        MathLib lib = MathLib.instantiate();

        System.out.println("gcd(1071, 462) = " + lib.gcd(1071, 462));
        System.out.println("fibonacci(90) = " + lib.fibonacci(90));
        // The export "is-prime" is the method isPrime; C's int is Java's int.
        System.out.println("is-prime(2147483647) = " + (lib.isPrime(2147483647) != 0));

        // Pass bytes through the module's memory: copy them to the buffer it exports, then call.
        byte[] text = "Wikipedia".getBytes(StandardCharsets.US_ASCII);
        Memory memory = lib.memory();
        int buffer = lib.buffer();
        memory.writeBytes(buffer, text, 0, text.length);
        System.out.printf("adler32(\"Wikipedia\") = 0x%08x%n", lib.adler32(text.length));
    }
}
