// expect: SE
// attack: keyctl(): reads the kernel keyring, which namespaces do not isolate
// message: forbidden syscall: keyctl
#include <linux/keyctl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  long id = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0);
  printf("keyctl returned %ld\n", id);
  return 0;
}
