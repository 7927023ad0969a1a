// What one sandbox owns on a host it shares with other codejudge instances (other PID
// namespaces, containers, a server beside a trainer), and how the others tell whether it lives.
//
// Process ids prove nothing across PID namespaces (every container's server is pid 1), so:
// - An instance has a random id, and the cgroups it makes are named after it.
// - It holds an exclusive flock on <lock_dir>/<id>.lock for its whole life. The kernel drops a
//   flock when the last descriptor of its file goes, crash or SIGKILL included, so an instance
//   that can take the lock has proved the owner dead. The file lists the directories the owner
//   made (each recorded before it is made), and that list is all a survivor ever removes. A
//   cgroup whose lock file this instance cannot see is left alone: it may belong to an instance
//   in another mount namespace.
// - Outside uids: <lock_dir>/uids stands for the uid space, one byte per uid. An instance holds
//   an OFD write lock on the bytes of its slots' uids (dropped on exit like the flock), so two
//   instances that share the lock directory never run programs under the same host uid.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fd.h"

namespace codejudge::sandbox {

// The uid block an instance takes when it is given none: the first free block of uid_count
// uids in [kAutoUidFirst, kAutoUidEnd), which stays clear of nobody (65534) and of 16-bit -1.
constexpr uint32_t kAutoUidFirst = 61000;
constexpr uint32_t kAutoUidEnd = 65534;

class Instance {
 public:
  // Registers a new instance in lock_dir (created if missing) and takes its uids:
  // [uid_base, uid_base + uid_count), or with uid_base 0 the first free block of the automatic
  // range. Then removes what dead instances registered there left behind. Returns nullptr with
  // *error when the directory is unusable or the uids are held by another live instance.
  static std::unique_ptr<Instance> create(const std::string& lock_dir, uint32_t uid_base,
                                          uint32_t uid_count, std::string* error);
  // Unregisters, unless a recorded directory still exists: then the (unlocked) file stays so
  // that the next instance retries the removal.
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const std::string& id() const { return id_; }  // 16 lower-case hex digits
  uint32_t uid_base() const { return uid_base_; }

  // Adds dir (absolute) to what this instance owns. Call before making it.
  bool record(const std::string& dir, std::string* error);

 private:
  Instance() = default;
  std::string id_;
  std::string path_;  // <lock_dir>/<id>.lock
  UniqueFd lock_;     // holds the flock
  UniqueFd uids_;     // holds the uid range lock
  uint32_t uid_base_ = 0;
  std::vector<std::string> dirs_;
};

// The cgroup directory name of an instance: "codejudge.<id>". Not "codejudge-<digits>": older
// versions read a pid from those names and would remove the directory when no such pid exists.
std::string instance_dir_name(const std::string& id);

}  // namespace codejudge::sandbox
