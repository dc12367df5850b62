#include <stdio.h>

int checked_ratio(int total, int parts);

int main(void) {
    printf("ratio %d\n", checked_ratio(12, 3));
    return checked_ratio(7, 0);
}
