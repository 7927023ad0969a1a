// expect: OK
// attack: TCP connect to a listener the test opens on the host's 127.0.0.1 (CJ_TCP_PORT);
//   the listener must see no connection
// stdout: connect returned -1
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

int main(void) {
  const char* port = getenv("CJ_TCP_PORT");
  if (!port) return 2;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int rc = connect(fd, (struct sockaddr*)&addr, sizeof addr);
  printf("connect returned %d\n", rc);
  return 0;
}
