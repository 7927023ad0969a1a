// expect: SE
// attack: mount(): bind the root elsewhere to change the filesystem view
// message: forbidden syscall: mount
#include <stdio.h>
#include <sys/mount.h>

int main(void) {
  int rc = mount("/", "/tmp", NULL, MS_BIND | MS_REC, NULL);
  printf("mount returned %d\n", rc);
  return 0;
}
