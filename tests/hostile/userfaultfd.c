// expect: SE
// attack: userfaultfd(): stalls kernel page faults, the usual tool to win kernel races
// message: forbidden syscall: userfaultfd
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  long fd = syscall(SYS_userfaultfd, O_CLOEXEC);
  printf("userfaultfd returned %ld\n", fd);
  return 0;
}
