// expect: SE
// attack: unshare(CLONE_NEWUSER | CLONE_NEWNS) to gain capabilities in fresh namespaces
// message: forbidden syscall: unshare
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>

int main(void) {
  int rc = unshare(CLONE_NEWUSER | CLONE_NEWNS);
  printf("unshare returned %d\n", rc);
  return 0;
}
