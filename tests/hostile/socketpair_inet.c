// expect: OK
// attack: socketpair(AF_INET): the seccomp rule keeps socket() to AF_UNIX, but socketpair()
//   takes a family too, and the kernel runs that family's socket creation before it says
//   "not supported": the same kernel code the socket() rule keeps the program away from
// stdout: socketpair returned -1
#include <stdio.h>
#include <sys/socket.h>

int main(void) {
  int fds[2];
  int rc = socketpair(AF_INET, SOCK_STREAM, 0, fds);
  printf("socketpair returned %d\n", rc);
  return 0;
}
