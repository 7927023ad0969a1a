// codejudge-hack: problem=digital-root-steps language=cpp expect=CE
// An endless random include: stops at the compile's limits (or at the first stray byte), CE.
#include "/dev/urandom"
int main() { return 0; }
