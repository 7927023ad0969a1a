#include "seccomp_policy.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fd.h"

namespace codejudge::sandbox {
namespace {

struct Rule {
  const char* name;
  const char* why;
};

// Every rule says why. Default is allow: the namespaces, the unprivileged uid and the empty
// capability set already stop most of these; the filter shrinks the kernel surface the
// program can reach in case one of those layers has a bug.
constexpr Rule kDenied[] = {
    {"ptrace", "inspecting or controlling another process is the classic sandbox escape"},
    {"process_vm_readv", "reads another process's memory without ptrace"},
    {"process_vm_writev", "writes another process's memory without ptrace"},
    {"pidfd_getfd", "steals file descriptors from another process"},
    {"process_madvise", "acts on another process's memory"},
    {"kcmp", "compares kernel objects of other processes: an information leak"},
    {"mount", "the filesystem view is fixed by the sandbox"},
    {"umount2", "unmounting could reveal what the sandbox hid"},
    {"pivot_root", "changing the root is only for the sandbox setup"},
    {"chroot", "chroot tricks are a classic escape"},
    {"fsopen", "new mount API: same reason as mount"},
    {"fsconfig", "new mount API: same reason as mount"},
    {"fsmount", "new mount API: same reason as mount"},
    {"fspick", "new mount API: same reason as mount"},
    {"move_mount", "new mount API: same reason as mount"},
    {"open_tree", "new mount API: can clone mounts"},
    {"mount_setattr", "new mount API: changes mount flags"},
    {"unshare", "new namespaces give capabilities inside them and widen the kernel surface"},
    {"setns", "joining other namespaces"},
    {"kexec_load", "replaces the running kernel"},
    {"kexec_file_load", "replaces the running kernel"},
    {"bpf", "eBPF programs are a large kernel attack surface"},
    {"perf_event_open", "performance counters leak host information and had many CVEs"},
    {"io_uring_setup", "io_uring bypasses seccomp for the operations it performs"},
    {"io_uring_enter", "io_uring bypasses seccomp for the operations it performs"},
    {"io_uring_register", "io_uring bypasses seccomp for the operations it performs"},
    {"keyctl", "the kernel keyring is shared across namespaces"},
    {"add_key", "the kernel keyring is shared across namespaces"},
    {"request_key", "the kernel keyring is shared across namespaces"},
    {"userfaultfd", "stalls kernel page faults: a building block of race exploits"},
    {"init_module", "loading kernel modules"},
    {"finit_module", "loading kernel modules"},
    {"delete_module", "unloading kernel modules"},
    {"reboot", "rebooting the host"},
    {"swapon", "host swap configuration"},
    {"swapoff", "host swap configuration"},
    {"settimeofday", "setting the host clock"},
    {"clock_settime", "setting the host clock"},
    {"clock_adjtime", "adjusting the host clock"},
    {"adjtimex", "adjusting the host clock"},
    {"open_by_handle_at", "opens files by handle, bypassing the mount view (the shocker escape)"},
    {"name_to_handle_at", "the other half of open_by_handle_at"},
    {"acct", "host process accounting"},
    {"quotactl", "host disk quotas"},
    {"syslog", "the kernel log leaks host information"},
    {"vhangup", "terminal control of the host"},
    {"iopl", "raw I/O port access"},
    {"ioperm", "raw I/O port access"},
    {"uselib", "obsolete loader with a history of bugs"},
    {"lookup_dcookie", "profiling interface leaking paths"},
    {"migrate_pages", "moves another process's pages"},
    {"move_pages", "moves another process's pages"},
    {"sethostname", "the hostname is fixed by the sandbox"},
    {"setdomainname", "the domain name is fixed by the sandbox"},
    {"fanotify_init", "filesystem-wide event monitoring"},
    {"modify_ldt", "custom segment descriptors: rarely needed, a past source of kernel bugs"},
};

// Namespace flags that clone() must not carry: new namespaces give the program capabilities
// inside them and reach kernel code that is otherwise unreachable.
constexpr unsigned long kNamespaceFlags[] = {CLONE_NEWNS,    CLONE_NEWUTS, CLONE_NEWIPC,
                                             CLONE_NEWUSER,  CLONE_NEWPID, CLONE_NEWNET,
                                             CLONE_NEWCGROUP};

}  // namespace

bool build_seccomp_program(bool notify, SeccompProgram* out, std::string* error) {
  const uint32_t deny = notify ? SCMP_ACT_NOTIFY : SCMP_ACT_KILL_PROCESS;
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) {
    *error = "seccomp_init failed";
    return false;
  }
  auto fail = [&](const std::string& what, int rc) {
    *error = what + ": " + std::strerror(-rc);
    seccomp_release(ctx);
    return false;
  };
  // Syscalls of another ABI (i386 via int 0x80, x32) would bypass a native-only filter: they
  // are denied like the rest (and so reported for any process of the run, not only the first).
  int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, deny);
  if (rc < 0) return fail("seccomp badarch", rc);
  // We load the program ourselves (after no_new_privs), so libseccomp must not set it.
  rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
  if (rc < 0) return fail("seccomp nnp", rc);

  for (const Rule& rule : kDenied) {
    int nr = seccomp_syscall_resolve_name(rule.name);
    if (nr == __NR_SCMP_ERROR) continue;  // not on this architecture
    rc = seccomp_rule_add(ctx, deny, nr, 0);
    if (rc < 0) return fail(std::string("seccomp rule ") + rule.name, rc);
  }
  for (unsigned long flag : kNamespaceFlags) {
    rc = seccomp_rule_add(ctx, deny, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
    if (rc < 0) return fail("seccomp rule clone", rc);
  }
  // clone3 passes its flags in memory the filter cannot read; ENOSYS makes libc fall back
  // to clone(), whose flags the rules above inspect.
  rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  if (rc < 0) return fail("seccomp rule clone3", rc);
  // Only local sockets: the network namespace is empty anyway, and other families (netlink,
  // packet, vsock...) reach kernel code the program has no business with. An error rather than
  // a kill: runtimes probe for IPv4/IPv6 support at start-up (javac does) and must keep working.
  for (int nr : {SCMP_SYS(socket), SCMP_SYS(socketpair)}) {
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), nr, 1,
                          SCMP_A0_32(SCMP_CMP_NE, AF_UNIX));
    if (rc < 0) return fail("seccomp rule socket", rc);
  }
  // personality() can turn off ASLR or enable READ_IMPLIES_EXEC; only the query is allowed.
  rc = seccomp_rule_add(ctx, deny, SCMP_SYS(personality), 1, SCMP_A0_32(SCMP_CMP_NE, 0xffffffffu));
  if (rc < 0) return fail("seccomp rule personality", rc);

  UniqueFd mem(memfd_create("codejudge-seccomp", MFD_CLOEXEC));
  if (!mem.valid()) return fail("memfd_create", -errno);
  rc = seccomp_export_bpf(ctx, mem.get());
  if (rc < 0) return fail("seccomp_export_bpf", rc);
  seccomp_release(ctx);

  struct stat st {};
  if (fstat(mem.get(), &st) != 0 || st.st_size <= 0 || st.st_size % sizeof(sock_filter) != 0) {
    *error = "seccomp export produced no program";
    return false;
  }
  out->instructions.resize(static_cast<size_t>(st.st_size) / sizeof(sock_filter));
  if (pread(mem.get(), out->instructions.data(), static_cast<size_t>(st.st_size), 0) !=
      st.st_size) {
    *error = errno_message("read seccomp program");
    return false;
  }
  out->notify = notify;
  return true;
}

std::string syscall_name(uint32_t arch, int nr) {
  if (arch != seccomp_arch_native()) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%x", arch);
    return "syscall " + std::to_string(nr) + " of a non-native ABI (audit arch " + hex + ")";
  }
  // x32 shares the native audit arch but sets bit 30 of the number.
  if (nr & 0x40000000) return "x32 syscall " + std::to_string(nr & ~0x40000000);
  char* name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
  if (!name) return "syscall " + std::to_string(nr);
  std::string result(name);
  std::free(name);
  return result;
}

}  // namespace codejudge::sandbox
