// expect: TLE
// attack: spins forever on the CPU
// limits: time-ms=500
// message: CPU time limit
int main(void) {
  volatile unsigned long counter = 0;
  for (;;) ++counter;
}
