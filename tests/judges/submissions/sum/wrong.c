#include <stdio.h>
int main(void) {
  int a, b;  /* overflows on big inputs, and prints the product */
  if (scanf("%d %d", &a, &b) != 2) return 1;
  printf("%d\n", a * b);
  return 0;
}
