// expect: SE
// attack: ptrace(PTRACE_ATTACH) on another process (its own child)
// message: forbidden syscall: ptrace
#include <stdio.h>
#include <sys/ptrace.h>
#include <unistd.h>

int main(void) {
  pid_t child = fork();
  if (child == 0) {
    for (;;) pause();
  }
  long rc = ptrace(PTRACE_ATTACH, child, NULL, NULL);
  printf("ptrace returned %ld\n", rc);
  return 0;
}
