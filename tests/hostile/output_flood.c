// expect: OLE
// attack: writes to stdout forever; the run stops at the output limit and keeps what fit
// limits: output-kb=16
// check: stdout-truncated
#include <string.h>
#include <unistd.h>

int main(void) {
  static char block[65536];
  memset(block, 'A', sizeof block);
  for (;;) {
    if (write(1, block, sizeof block) < 0) return 1;
  }
}
