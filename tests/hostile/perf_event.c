// expect: SE
// attack: perf_event_open(): hardware counters, a side channel and a long CVE history
// message: forbidden syscall: perf_event_open
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  struct perf_event_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
  printf("perf_event_open returned %ld\n", fd);
  return 0;
}
