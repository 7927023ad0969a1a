// expect: OK
// attack: tries to create files outside its work directory (/, /usr, /etc, /bin, /lib, /dev,
//   the read-only bound directory /hostile, /proc) and to write host kernel settings
// stdout: all blocked
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int wrote = 0;

static void try_create(const char* dir, const char* marker) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, marker);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    printf("create %s: blocked: %s\n", path, strerror(errno));
    return;
  }
  printf("create %s: WROTE\n", path);
  wrote = 1;
  close(fd);
}

static void try_write(const char* path, const char* data) {
  int fd = open(path, O_WRONLY);
  if (fd < 0 || write(fd, data, strlen(data)) < 0) {
    printf("write %s: blocked: %s\n", path, strerror(errno));
  } else {
    printf("write %s: WROTE\n", path);
    wrote = 1;
  }
  if (fd >= 0) close(fd);
}

int main(int argc, char** argv) {
  const char* marker = argc > 1 ? argv[1] : "cjhostile";
  const char* dirs[] = {"/",    "/usr",     "/usr/bin", "/etc",  "/bin",
                        "/lib", "/hostile", "/dev",     "/proc", "/proc/sys/kernel"};
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; ++i) try_create(dirs[i], marker);
  try_write("/proc/sys/kernel/hostname", "cjhostile");
  try_write("/proc/sys/vm/drop_caches", "3");
  try_write("/proc/sysrq-trigger", "h");
  if (!wrote) puts("all blocked");
  return wrote;
}
