// expect: OK
// attack: kill(-1, SIGKILL) signals every process it may; host sentinels (run as root and as
//   the sandbox uids) must survive, while the program's own child dies
// stdout: own child killed
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t child = fork();
  if (child == 0) {
    for (;;) pause();
  }
  if (kill(-1, SIGKILL) != 0) {
    perror("kill(-1)");
    return 1;
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) puts("own child killed");
  return 0;
}
