// expect: OK
// attack: socket(AF_NETLINK): talks to kernel subsystems (routing, audit...) directly
// stdout: socket returned -1
#include <linux/netlink.h>
#include <stdio.h>
#include <sys/socket.h>

int main(void) {
  int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  printf("socket returned %d\n", fd);
  return 0;
}
