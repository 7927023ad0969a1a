// expect: TLE
// attack: thread bomb: every thread spawns threads forever; threads count against the
//   process limit, and the CPU limit of the whole tree ends the run
// limits: time-ms=500 processes=16
#include <pthread.h>

static void* spawn(void* arg) {
  (void)arg;
  for (;;) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, spawn, NULL) == 0) pthread_detach(thread);
  }
  return NULL;
}

int main(void) {
  spawn(NULL);
  return 0;
}
