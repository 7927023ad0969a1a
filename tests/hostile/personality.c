// expect: SE
// attack: personality(ADDR_NO_RANDOMIZE) turns off ASLR for what it executes next
// message: forbidden syscall: personality
#include <stdio.h>
#include <sys/personality.h>

int main(void) {
  int rc = personality(ADDR_NO_RANDOMIZE);
  printf("personality returned %d\n", rc);
  return 0;
}
