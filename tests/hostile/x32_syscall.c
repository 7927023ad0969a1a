// expect: SE
// attack: a syscall through the x32 ABI (number | 0x40000000), which shares x86_64's audit
//   architecture and so slips past filters that do not check the x32 bit
// message: x32 syscall
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  long result = syscall(SYS_getpid | 0x40000000L);
  printf("x32 getpid returned %ld\n", result);
  return 0;
}
