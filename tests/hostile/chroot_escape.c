// expect: SE
// attack: the classic chroot escape: chroot into a subdirectory, then walk up with ".."
// message: forbidden syscall: chroot
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
  mkdir("/tmp/jail", 0755);
  int rc = chroot("/tmp/jail");
  printf("chroot returned %d\n", rc);
  for (int i = 0; i < 64; ++i) chdir("..");
  chroot(".");
  return 0;
}
