// `codejudge sandbox` and `codejudge doctor`.
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "codejudge/server/wire.h"
#include "commands.h"

namespace codejudge::cli {
namespace {

constexpr const char* kSandboxUsage =
    "usage: codejudge sandbox [--time-ms N] [--wall-ms N] [--memory-mb N] [--output-kb N]\n"
    "                         [--processes N] [--stdin FILE] [--bind-ro PATH]... -- CMD [ARGS...]\n"
    "  --time-ms N     CPU time of the whole process tree, ms (default 2000)\n"
    "  --wall-ms N     wall-clock fuse, ms (default 3 * time + 1000, and time + 1000 for a\n"
    "                  program that waits rather than computes)\n"
    "  --memory-mb N   memory limit, MiB (default 256)\n"
    "  --output-kb N   stdout and stderr limit each, KiB (default 64)\n"
    "  --processes N   processes and threads (default 64)\n"
    "  --stdin FILE    standard input (default empty)\n"
    "  --bind-ro PATH  also mount host PATH read-only at the same place\n"
    "prints one JSON object; exit 0 whenever the command ran, 2 on bad usage or sandbox failure\n";

constexpr const char* kDoctorUsage = "usage: codejudge doctor\n";

}  // namespace

int cmd_sandbox(const Args& args) {
  sandbox::RunSpec spec;
  // Everything after "--" is the command, never a flag of ours.
  const auto dashes = std::find(args.begin(), args.end(), "--");
  const Args ours(args.begin(), dashes);
  auto readable = [](const std::string& flag, const std::string& value, std::string* why) {
    if (access(value.c_str(), R_OK) == 0) return true;
    *why = flag + ": cannot read " + value;
    return false;
  };
  std::vector<flags::Flag> table = {
      {"--stdin", "FILE", "",
       [&](const std::string& value, std::string* why) {
         if (!readable("--stdin", value, why)) return false;
         spec.stdin_path = value;
         return true;
       }},
      {"--bind-ro", "PATH", "",
       [&](const std::string& value, std::string* why) {
         if (!readable("--bind-ro", value, why)) return false;
         if (value.empty() || value[0] != '/') {
           *why = "--bind-ro needs an absolute path";
           return false;
         }
         spec.binds.push_back({value, value, false});
         return true;
       }},
  };
  add_limit_flags(&table, &spec.limits);
  if (int code = parse_flags(ours, table, nullptr, kSandboxUsage); code >= 0) return code;
  if (dashes == args.end() || dashes + 1 == args.end()) {
    return usage_error("no command given after --", kSandboxUsage);
  }
  spec.argv.assign(dashes + 1, args.end());
  spec.env = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8"};

  auto box = make_sandbox({});
  if (!box) return 2;
  sandbox::Result result = box->run(spec);
  std::cout << render(server::wire::sandbox_result_json(result)) << "\n";
  return result.status == sandbox::Status::kInternalError ? 2 : 0;
}

int cmd_doctor(const Args& args) {
  if (!args.empty()) {
    if (args[0] == "--help" || args[0] == "-h") {
      std::cout << kDoctorUsage;
      return 0;
    }
    return usage_error("doctor takes no arguments", kDoctorUsage);
  }
  std::string error;
  auto box = sandbox::Sandbox::create({}, &error);
  nlohmann::json report;
  if (!box) {
    report = {{"safe", false}, {"error", error}};
    std::cout << render(report, 2) << "\n";
    return 1;
  }
  const sandbox::HostReport& host = box->report();
  // A run of /bin/true proves the whole chain (namespaces, mounts, seccomp, cgroups) works.
  sandbox::RunSpec probe;
  probe.argv = {"/bin/true"};
  sandbox::Result result = box->run(probe);
  report = {
      {"user_namespaces", host.user_namespaces},
      {"network_namespace", host.network_namespace},
      {"seccomp", host.seccomp},
      {"seccomp_notify", host.seccomp_notify},
      {"warm_runtimes", host.warm_runtimes},
      {"cgroup_version", host.cgroup_version},
      {"cgroup_root", host.cgroup_root},
      {"cgroup_controllers", host.cgroup_controllers},
      {"instance_id", host.instance_id},
      {"uid_base", host.uid_base},
      {"uid_count", host.uid_count},
      {"warnings", host.warnings},
      {"probe_run", server::wire::sandbox_result_json(result)},
  };
  const bool safe = host.safe() && result.status == sandbox::Status::kOk;
  report["safe"] = safe;
  std::cout << render(report, 2) << "\n";
  return safe ? 0 : 1;
}

}  // namespace codejudge::cli
