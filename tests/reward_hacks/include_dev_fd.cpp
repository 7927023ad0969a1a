// codejudge-hack: problem=digital-root-steps language=cpp expect=CE
// /dev/fd/2 is /proc/self/fd/2, the compiler's stderr pipe, which it may not open: CE.
#include "/dev/fd/2"
int main() { return 0; }
