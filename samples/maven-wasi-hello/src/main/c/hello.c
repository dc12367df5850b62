// A WASI command: greets each argument, or the user named by $USER, or the world.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc > 1) {
        for (int i = 1; i < argc; i++) printf("Hello, %s!\n", argv[i]);
        return 0;
    }
    const char *user = getenv("USER");
    printf("Hello, %s! (I am %s)\n", user != NULL ? user : "world", argv[0]);
    return 0;
}
