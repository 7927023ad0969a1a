// The seccomp-bpf policy: built once with libseccomp, exported as raw BPF so that the child
// can load it between clone() and execve() without allocating.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <string>
#include <vector>

namespace codejudge::sandbox {

struct SeccompProgram {
  std::vector<sock_filter> instructions;
  bool notify = false;  // denied syscalls raise a user notification we can name
};

// Builds the policy. With notify, a denied syscall suspends the caller and reports it to
// the supervisor (SECCOMP_RET_USER_NOTIF); without, it kills the process.
bool build_seccomp_program(bool notify, SeccompProgram* out, std::string* error);

// "ptrace" for a native syscall, or a description of a foreign-ABI or unknown one.
std::string syscall_name(uint32_t arch, int nr);

}  // namespace codejudge::sandbox
