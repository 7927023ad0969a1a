// codejudge-hack: problem=digital-root-steps language=c expect=CE
// Includes the compiler's descriptors through /proc/self/fd, the way around /dev/stdout. There
// is no -pipe for its assembly to travel through, the sandbox's pipes cannot be opened, and a
// read that blocks all the same is stopped after 5 s: CE.
#include "/proc/self/fd/1"
#include "/proc/self/fd/3"
#include "/proc/self/fd/4"
int main(void) { return 0; }
