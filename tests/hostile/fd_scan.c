// expect: OK
// attack: looks for descriptors inherited from the supervisor (the test holds its listeners
//   and the planted secret file open, without close-on-exec, while the run starts) and reads
//   or accepts on every one it finds
// stdout: no inherited descriptors
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
  int found = 0;
  for (int fd = 3; fd < 4096; ++fd) {
    struct stat st;
    if (fstat(fd, &st) != 0) continue;
    found = 1;
    char buf[256] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    int peer = accept(fd, NULL, NULL);
    printf("fd %d open (mode %o): read %zd \"%s\", accept %d\n", fd, st.st_mode, n,
           n > 0 ? buf : "", peer);
  }
  if (!found) puts("no inherited descriptors");
  return found;
}
