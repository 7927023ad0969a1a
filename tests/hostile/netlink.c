// expect: SE
// attack: socket(AF_NETLINK): talks to kernel subsystems (routing, audit...) directly
// message: forbidden syscall: socket
#include <linux/netlink.h>
#include <stdio.h>
#include <sys/socket.h>

int main(void) {
  int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  printf("socket returned %d\n", fd);
  return 0;
}
