// expect: OK
// attack: fills /tmp and /work with files until the disk is full; both are size-bounded
//   tmpfs mounts of the run, so it stops at ENOSPC and the host disk never sees a byte
// limits: tmpfs-mb=8
// stdout: /tmp: ENOSPC
// stdout: /work: ENOSPC
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { kBlock = 1 << 20, kBlocksPerFile = 4 };  // files stay under the file size limit

// Far past the 8 MiB tmpfs: if the limit fails, stop here rather than fill the host's disk.
static const long long kGiveUpBytes = 64LL << 20;

// Returns the bytes written before the first failure (or the give-up point); *error is its
// errno, 0 when it gave up.
static long long fill(const char* dir, const char* marker, int* error) {
  static char block[kBlock];
  memset(block, 'x', sizeof block);
  long long total = 0;
  *error = 0;
  for (int i = 0; total < kGiveUpBytes; ++i) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s-fill-%d", dir, marker, i);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
      *error = errno;
      return total;
    }
    for (int j = 0; j < kBlocksPerFile; ++j) {
      ssize_t n = write(fd, block, sizeof block);
      if (n < 0) {
        *error = errno;
        close(fd);
        return total;
      }
      total += n;
    }
    close(fd);
  }
  return total;
}

int main(int argc, char** argv) {
  const char* marker = argc > 1 ? argv[1] : "cjhostile";
  int ok = 1;
  for (const char** dir = (const char*[]){"/tmp", "/work", NULL}; *dir; ++dir) {
    int error = 0;
    long long total = fill(*dir, marker, &error);
    printf("%s: %s after %lld bytes\n", *dir,
           error == ENOSPC ? "ENOSPC"
           : error         ? strerror(error)
                           : "NO LIMIT",
           total);
    if (error != ENOSPC) ok = 0;
  }
  return ok ? 0 : 1;
}
