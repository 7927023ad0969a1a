// expect: SE
// attack: setns() into a namespace by descriptor (here its own network namespace)
// message: forbidden syscall: setns
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>

int main(void) {
  int fd = open("/proc/self/ns/net", O_RDONLY);
  if (fd < 0) {
    perror("open /proc/self/ns/net");
    return 1;
  }
  int rc = setns(fd, 0);
  printf("setns returned %d\n", rc);
  return 0;
}
