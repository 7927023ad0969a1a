// expect: OK
// attack: a daemon: double fork and setsid, the grandchild sleeps forever with stdout still
//   open after its parent exits; the run must end with the program, and the grandchild
//   (its command line carries the run's marker) must not survive on the host
// limits: time-ms=1000 wall-ms=3000
// stdout: daemon started
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t child = fork();
  if (child == 0) {
    setsid();
    if (fork() == 0) {
      for (;;) sleep(1000);
    }
    _exit(0);
  }
  waitpid(child, NULL, 0);
  puts("daemon started");
  return 0;
}
