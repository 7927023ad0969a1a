// expect: OK
// attack: UDP datagram to a socket the test binds on the host's 127.0.0.1 (CJ_UDP_PORT);
//   the socket must receive nothing
// stdout: sendto returned -1
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

int main(void) {
  const char* port = getenv("CJ_UDP_PORT");
  if (!port) return 2;
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  long rc = sendto(fd, "escape", 6, 0, (struct sockaddr*)&addr, sizeof addr);
  printf("sendto returned %ld\n", rc);
  return 0;
}
