// expect: OK
// attack: clone3() with CLONE_NEWUSER: clone3 passes its flags in memory the filter cannot
//   read, so the sandbox answers ENOSYS to every clone3 (libc falls back to clone)
// stdout: clone3 refused: ENOSYS
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  struct clone_args args;
  memset(&args, 0, sizeof args);
  args.flags = CLONE_NEWUSER;
  args.exit_signal = SIGCHLD;
  long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid == 0) _exit(0);
  if (pid > 0) {
    printf("clone3 created %ld\n", pid);
    return 1;
  }
  printf("clone3 refused: %s\n", errno == ENOSYS ? "ENOSYS" : strerror(errno));
  return errno == ENOSYS ? 0 : 1;
}
