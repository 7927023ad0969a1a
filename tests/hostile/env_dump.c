// expect: OK
// attack: dumps its whole environment, looking for the caller's secrets
// stdout: CJ_MARKER=
#include <stdio.h>

extern char** environ;

int main(void) {
  for (char** var = environ; *var; ++var) puts(*var);
  return 0;
}
