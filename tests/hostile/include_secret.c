// expect: CE
// attack: compile-time read of a host secret: the compiler includes a file by absolute path
//   and would echo its text in the diagnostics. The test compiles this file with gcc INSIDE
//   the sandbox (as `codejudge run` does), with -DCJ_SECRET='"/etc/<the planted secret>"':
//   the path does not exist there, so the compile fails and the secret never appears.
#include CJ_SECRET

int main(void) {
  return 0;
}
