// expect: OK
// attack: a setuid-root binary: the test makes this very program owned by root with mode
//   4755 on the host; inside it must still run as the sandbox user (nosuid mounts,
//   no_new_privs, and root is not mapped in the run's user namespace)
// setup: setuid-root
// stdout: euid 1000
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("euid %d\n", (int)geteuid());
  return geteuid() == 0;
}
