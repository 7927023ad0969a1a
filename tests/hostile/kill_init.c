// expect: OK
// attack: signals the run's pid 1 (the supervisor's stub) to make the run end without a
//   status, which would turn its verdict into an internal error blamed on the sandbox
// stdout: init survived
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  int sigs[] = {SIGKILL, SIGTERM, SIGINT, SIGSEGV, SIGSTOP};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; ++i) kill(1, sigs[i]);
  usleep(100000);
  kill(1, SIGCONT);
  puts("init survived");
  return 0;
}
