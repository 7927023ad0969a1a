// expect: OK
// attack: lists every process it can see in /proc with its command line; only the run's own
//   processes may show (no host sentinel, not the host's pid 1)
// check: no-host-processes
// stdout: pids seen:
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  DIR* proc = opendir("/proc");
  if (!proc) return 2;
  int count = 0;
  struct dirent* entry;
  while ((entry = readdir(proc))) {
    if (!isdigit((unsigned char)entry->d_name[0])) continue;
    ++count;
    char path[512], cmdline[4096];
    snprintf(path, sizeof path, "/proc/%s/cmdline", entry->d_name);
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, cmdline, sizeof cmdline - 1) : -1;
    if (fd >= 0) close(fd);
    for (ssize_t i = 0; i < n; ++i) {
      if (cmdline[i] == '\0') cmdline[i] = ' ';
    }
    cmdline[n > 0 ? n : 0] = '\0';
    printf("pid %s: %s\n", entry->d_name, cmdline);
  }
  closedir(proc);
  printf("pids seen: %d\n", count);
  // The run's init and this program; a handful at most.
  return count <= 4 ? 0 : 1;
}
