// expect: OK
// attack: connects to an abstract AF_UNIX socket the test listens on in the host's network
//   namespace (CJ_UNIX_NAME); abstract names are per network namespace, so it must fail and
//   the host listener sees nothing
// stdout: connect failed
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(void) {
  const char* name = getenv("CJ_UNIX_NAME");
  if (!name) return 2;
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) {
    perror("socket");
    return 2;
  }
  struct sockaddr_un addr = {0};
  addr.sun_family = AF_UNIX;
  size_t len = strlen(name);
  if (len + 1 > sizeof addr.sun_path) return 2;
  memcpy(addr.sun_path + 1, name, len);  // sun_path[0] == '\0': the abstract namespace
  socklen_t size = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
  if (connect(fd, (struct sockaddr*)&addr, size) == 0) {
    puts("CONNECTED");
    return 1;
  }
  printf("connect failed: %s\n", strerror(errno));
  return 0;
}
