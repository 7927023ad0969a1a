// codejudge-hack: problem=digital-root-steps language=c expect=CE
// An endless include: the preprocessor reads /dev/zero until the compile's memory or CPU limit.
#include "/dev/zero"
int main(void) { return 0; }
