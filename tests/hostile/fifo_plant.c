// expect: OK
// attack: plants a FIFO in a ScratchDir work directory: a host-side open of it for writing
//   (ScratchDir::write_file of the same name) would block forever with no reader, and a
//   reader would block without O_NONBLOCK
// work: scratch
// refused: fifo
// unwritable: fifo
// stdout: planted
#include <stdio.h>
#include <sys/stat.h>

int main(void) {
  if (mkfifo("/work/fifo", 0666) != 0) {
    perror("mkfifo");
    return 1;
  }
  puts("planted");
  return 0;
}
