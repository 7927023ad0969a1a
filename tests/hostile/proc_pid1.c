// expect: OK
// attack: reads /proc/1 (the run's init, a fork of the supervisor): its command line,
//   environment and status, looking for the supervisor's arguments and environment
// check: no-supervisor-cmdline
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void dump(const char* path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("%s: cannot open: %s\n", path, strerror(errno));
    return;
  }
  char buf[8192];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) {
    printf("%s: cannot read: %s\n", path, strerror(errno));
    return;
  }
  for (ssize_t i = 0; i < n; ++i) {
    if (buf[i] == '\0') buf[i] = ' ';
  }
  buf[n] = '\0';
  printf("%s: %s\n", path, buf);
}

int main(void) {
  dump("/proc/1/cmdline");
  dump("/proc/1/environ");
  dump("/proc/1/status");
  return 0;
}
