// codejudge-hack: problem=digital-root-steps language=c expect=CE
// Includes the compiler's own stderr, the sandbox's pipe: the compiler may not open it, CE.
#include "/dev/stderr"
int main(void) { return 0; }
