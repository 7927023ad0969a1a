// codejudge-hack: problem=digital-root-steps language=cpp expect=WA,CE
// Includes the compiler's stdin, hoping it blocks like a pipe. A compile's stdin is empty (a
// sealed memfd), so this includes nothing; the program then answers nothing: WA.
#include "/dev/stdin"
int main() { return 0; }
