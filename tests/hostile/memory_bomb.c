// expect: MLE
// attack: allocates and touches memory forever; the cgroup's OOM killer stops it
// limits: memory-mb=64
#include <stdlib.h>
#include <string.h>

struct Block {
  struct Block* next;
  char data[(1 << 20) - sizeof(struct Block*)];
};

struct Block* volatile head;

int main(void) {
  for (;;) {
    struct Block* block = malloc(sizeof *block);
    if (!block) return 3;  // an address-space limit instead of the cgroup: RE, not MLE
    memset(block->data, 1, sizeof block->data);
    block->next = head;
    head = block;
  }
}
