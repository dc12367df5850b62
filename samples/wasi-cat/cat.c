/*
 * A small WASI command: greets with $GREETING, prints each file named on the command line with
 * numbered lines, and exits with the status in $EXIT_CODE (0 when unset), or 1 if a file cannot be
 * read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int print_numbered(const char *path, int line) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "%s: ", path);
        perror("cannot open");
        return -1;
    }
    char buffer[256];
    int at_line_start = 1;
    while (fgets(buffer, sizeof buffer, f) != NULL) {
        if (at_line_start) printf("%4d  ", ++line);
        fputs(buffer, stdout);
        at_line_start = strchr(buffer, '\n') != NULL;
    }
    if (!at_line_start) putchar('\n');
    fclose(f);
    return line;
}

int main(int argc, char **argv) {
    const char *greeting = getenv("GREETING");
    printf("%s from %s, with %d file(s)\n", greeting != NULL ? greeting : "hello", argv[0], argc - 1);
    int lines = 0;
    for (int i = 1; i < argc; i++) {
        printf("== %s\n", argv[i]);
        lines = print_numbered(argv[i], lines);
        if (lines < 0) return 1;
    }
    printf("%d line(s)\n", lines);
    const char *exit_code = getenv("EXIT_CODE");
    return exit_code != NULL ? atoi(exit_code) : 0;
}
