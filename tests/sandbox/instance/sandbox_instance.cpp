// One sandbox in a process of its own, driven over stdin, for the tests of several instances on
// one host (tests/sandbox/instances_test.cpp). Started as pid 1 of a PID namespace of its own,
// it is what a containerised server looks like to the sandbox.
//
// usage: sandbox_instance UID_BASE UID_COUNT STATE_DIR BIND_DIR
//   prints "ready <pid> <cgroup_root>" once the sandbox exists (or "error <why>" and exits 1),
//   then for each stdin line "<cpu_ms> <wall_ms> <memory_mib> <argv...>" runs argv (BIND_DIR is
//   mounted read-only at /probe) and prints "<status> <cpu_ms> <wall_ms> <memory_bytes> <message>".
//   Destroys the sandbox and exits 0 at the end of stdin.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include "codejudge/sandbox/sandbox.h"

int main(int argc, char** argv) {
  using namespace codejudge::sandbox;
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s UID_BASE UID_COUNT STATE_DIR BIND_DIR\n", argv[0]);
    return 2;
  }
  Options options;
  options.uid_base = static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 10));
  options.uid_count = static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 10));
  options.state_dir = argv[3];
  const std::string bind_dir = argv[4];
  std::string error;
  auto box = Sandbox::create(options, &error);
  if (!box) {
    std::cout << "error " << error << std::endl;
    return 1;
  }
  std::cout << "ready " << getpid() << " " << box->report().cgroup_root << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    RunSpec spec;
    uint64_t memory_mib = 0;
    words >> spec.limits.cpu_ms >> spec.limits.wall_ms >> memory_mib;
    spec.limits.memory_bytes = memory_mib << 20;
    for (std::string word; words >> word;) spec.argv.push_back(word);
    spec.binds.push_back({bind_dir, "/probe", false});
    Result result = box->run(spec);
    std::string message = result.message;
    for (char& c : message) {
      if (c == '\n') c = ' ';
    }
    std::cout << status_name(result.status) << " " << result.cpu_ms << " " << result.wall_ms << " "
              << result.memory_bytes << " " << message << std::endl;
  }
  return 0;
}
