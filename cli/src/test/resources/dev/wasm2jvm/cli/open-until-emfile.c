/* Opens the file named by its argument until open() fails; prints how many opens succeeded and
   the errno, then closes one descriptor and opens once more. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror(argv[1]);
        return 2;
    }
    close(fd);
    int count = 0, last = -1;
    while ((fd = open(argv[1], O_RDONLY)) >= 0) {
        count++;
        last = fd;
    }
    int error = errno;
    close(last);
    int again = open(argv[1], O_RDONLY);
    printf("opened %d, then %s; after a close, %s\n", count, strerror(error), again == last ? "reopened" : "failed");
    return error == EMFILE ? 0 : 1;
}
