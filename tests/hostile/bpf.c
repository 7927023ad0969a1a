// expect: SE
// attack: bpf(): creates an eBPF map, the first step of most eBPF exploits
// message: forbidden syscall: bpf
#include <linux/bpf.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  union bpf_attr attr = {0};
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = 4;
  attr.max_entries = 1;
  long fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
  printf("bpf returned %ld\n", fd);
  return 0;
}
