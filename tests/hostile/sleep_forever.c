// expect: TLE
// attack: sleeps forever, using no CPU: only the wall-clock fuse can end it
// limits: time-ms=1000 wall-ms=500
// message: wall time limit
#include <unistd.h>

int main(void) {
  for (;;) pause();
}
