// codejudge-hack: problem=digital-root-steps language=c expect=CE
// Includes a large binary file of the toolchain: the compiler reads it and fails on its bytes
// within the compile's limits; CE.
#include "/usr/bin/gcc"
int main(void) { return 0; }
