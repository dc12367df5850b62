static int divide(int a, int b) {
    if (b == 0) __builtin_trap();
    return a / b;
}

int checked_ratio(int total, int parts) {
    return divide(total, parts);
}
