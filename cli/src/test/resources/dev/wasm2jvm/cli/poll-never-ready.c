/* poll() on descriptors that can never become ready: stdout for reading and stdin for writing,
   first with no timeout, then beside an hour's timeout. Each must return at once with POLLNVAL. */
#include <poll.h>
#include <stdio.h>

int main(void) {
    struct pollfd fds[2] = {{.fd = 1, .events = POLLIN}, {.fd = 0, .events = POLLOUT}};
    int n = poll(fds, 2, -1);
    printf("%d %d %d\n", n, fds[0].revents == POLLNVAL, fds[1].revents == POLLNVAL);
    struct pollfd out = {.fd = 1, .events = POLLIN};
    n = poll(&out, 1, 3600 * 1000);
    printf("%d %d\n", n, out.revents == POLLNVAL);
    return 0;
}
