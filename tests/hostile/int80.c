// expect: SE
// attack: a syscall through the i386 ABI (int $0x80) from a 64-bit process: the syscall
//   numbers differ, so a filter that only knows x86_64 would be bypassed
// message: non-native ABI
#include <stdio.h>

int main(void) {
  long result;
  // 20 is getpid in the i386 table.
  __asm__ volatile("int $0x80" : "=a"(result) : "a"(20L) : "memory");
  printf("int 0x80 getpid returned %ld\n", result);
  return 0;
}
