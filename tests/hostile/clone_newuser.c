// expect: SE
// attack: clone() with CLONE_NEWUSER: a child with every capability in a new user namespace
// message: forbidden syscall: clone
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) _exit(0);
  printf("clone returned %ld\n", pid);
  return 0;
}
