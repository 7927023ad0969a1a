// expect: TLE
// attack: fork bomb: every process forks forever; the process limit caps the tree and the
//   CPU limit of the whole tree ends the run
// limits: time-ms=500 processes=16
#include <unistd.h>

int main(void) {
  for (;;) fork();
}
