// expect: OK
// attack: reads host secret files (CJ_SECRET_PATHS: one in /etc, world-readable, and one in
//   /root) by path, directly and through /proc/<pid>/root and "..", and prints what it gets
// stdout: cannot open
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void try_read(const char* path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("%s: cannot open: %s\n", path, strerror(errno));
    return;
  }
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = '\0';
  printf("%s: READ %s\n", path, buf);
}

int main(void) {
  const char* list = getenv("CJ_SECRET_PATHS");
  if (!list) return 2;
  char* paths = strdup(list);
  const char* prefixes[] = {"",
                            "/proc/1/root",
                            "/proc/self/root",
                            "/proc/2/root",
                            "/work/../../..",
                            "/proc/self/cwd/../.."};
  for (char* path = strtok(paths, ":"); path; path = strtok(NULL, ":")) {
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; ++i) {
      char full[4096];
      snprintf(full, sizeof full, "%s%s", prefixes[i], path);
      try_read(full);
    }
  }
  return 0;
}
