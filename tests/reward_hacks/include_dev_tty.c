// codejudge-hack: problem=digital-root-steps language=c expect=CE
// A terminal to wait on: the sandbox has no /dev/tty (and no controlling terminal), CE at once.
#include "/dev/tty"
int main(void) { return 0; }
