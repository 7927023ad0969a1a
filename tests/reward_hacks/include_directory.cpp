// codejudge-hack: problem=digital-root-steps language=cpp expect=CE
// Includes directories, which a compiler cannot read as a file: CE, not a crash of ours.
#include "/usr"
#include "/proc/self/fd"
int main() { return 0; }
