// codejudge-hack: problem=digital-root-steps language=cpp expect=CE
// Includes the compiler's own stdout. With g++ -pipe that was the pipe cc1plus writes its
// assembly to: the preprocessor waited for input that never came, until the 40 s wall fuse (an
// internal error, not cached, so every resubmission cost 40 s). Compiles run without -pipe, the
// sandbox's pipes belong to root (the compiler cannot open them), and a compiler that makes no
// progress for 5 s is stopped: a CE, cached, in seconds.
#include "/dev/stdout"
int main() { return 0; }
