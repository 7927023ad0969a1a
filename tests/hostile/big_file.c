// expect: OLE
// attack: writes one file far past the file size limit (RLIMIT_FSIZE): SIGXFSZ ends the run
// limits: file-mb=4
// message: file size limit
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  static char block[1 << 20];
  memset(block, 'f', sizeof block);
  int fd = open("/tmp/big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 2;
  for (int i = 0; i < 64; ++i) {
    if (write(fd, block, sizeof block) < 0) return 1;
  }
  return 0;
}
