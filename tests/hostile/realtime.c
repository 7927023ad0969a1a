// expect: OK
// attack: asks for a real-time scheduling class and the highest priority, which would let a
//   spinning program starve the host (and the supervisor) of CPU
// stdout: refused
#include <sched.h>
#include <stdio.h>
#include <sys/resource.h>

int main(void) {
  struct sched_param param = {.sched_priority = 1};
  int fifo = sched_setscheduler(0, SCHED_FIFO, &param);
  int nice = setpriority(PRIO_PROCESS, 0, -20);
  printf("SCHED_FIFO %s, nice -20 %s\n", fifo == 0 ? "GRANTED" : "refused",
         nice == 0 ? "GRANTED" : "refused");
  return fifo == 0 || nice == 0;
}
