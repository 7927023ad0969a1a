// expect: SE
// attack: io_uring_setup: io_uring performs I/O the seccomp filter never sees
// message: forbidden syscall: io_uring_setup
#include <linux/io_uring.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  struct io_uring_params params = {0};
  long fd = syscall(SYS_io_uring_setup, 8, &params);
  printf("io_uring_setup returned %ld\n", fd);
  return 0;
}
