#include "instance.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <sstream>

namespace codejudge::sandbox {
namespace {

constexpr size_t kIdHexDigits = 16;
constexpr const char* kLockSuffix = ".lock";
constexpr const char* kNewSuffix = ".new";  // a lock file before it is locked and renamed
// A .new file this old whose lock is free was left by an instance that died making it.
constexpr time_t kAbandonedNewSeconds = 60;

std::string random_id() {
  unsigned char bytes[kIdHexDigits / 2];
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return "";
    got += static_cast<size_t>(n);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

bool is_id(const std::string& text) {
  return text.size() == kIdHexDigits &&
         text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// mkdir -p, root-only: the files here decide what other instances remove.
bool make_dirs(const std::string& path, std::string* error) {
  for (size_t pos = path.find('/', 1);; pos = path.find('/', pos + 1)) {
    const std::string prefix = path.substr(0, pos);
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      *error = errno_message("mkdir " + prefix);
      return false;
    }
    if (pos == std::string::npos) return true;
  }
}

// Removes a cgroup directory and the cgroups below it, deepest first. Only on a cgroup
// filesystem: there rmdir takes a directory with its control files and nothing is a symlink.
// True when the directory is gone.
bool remove_cgroup_tree(const std::string& dir) {
  struct statfs fs {};
  if (statfs(dir.c_str(), &fs) != 0) return errno == ENOENT;
  if (fs.f_type != CGROUP_SUPER_MAGIC && fs.f_type != CGROUP2_SUPER_MAGIC) return false;
  if (DIR* d = opendir(dir.c_str())) {
    std::vector<std::string> children;
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (e->d_type == DT_DIR && name != "." && name != "..") children.push_back(name);
    }
    closedir(d);
    for (const std::string& child : children) remove_cgroup_tree(dir + "/" + child);
  }
  // The dead owner's runs died with it (PDEATHSIG); on v2 cgroup.kill takes any straggler.
  write_file(dir + "/cgroup.kill", "1", nullptr);
  for (int attempt = 0; attempt < 20; ++attempt) {
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return true;
    if (errno != EBUSY) return false;
    ::usleep(1000);  // a killed cgroup is busy until its last process is reaped
  }
  return false;
}

bool read_all(int fd, std::string* out) {
  char buf[4096];
  off_t offset = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buf, sizeof buf, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out->append(buf, static_cast<size_t>(n));
    offset += n;
  }
}

// The ids of the files in lock_dir named <id><suffix>.
std::vector<std::string> ids_with_suffix(const std::string& lock_dir, const std::string& suffix) {
  std::vector<std::string> ids;
  if (DIR* d = opendir(lock_dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name.size() <= suffix.size() ||
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
        continue;
      }
      name.resize(name.size() - suffix.size());
      if (is_id(name)) ids.push_back(name);
    }
    closedir(d);
  }
  return ids;
}

// Removes what instances that are provably dead (their lock file can be locked) recorded, then
// their lock files. A file whose directories cannot all be removed yet stays for a later try.
void reap_dead(const std::string& lock_dir, const std::string& own_id) {
  for (const std::string& id : ids_with_suffix(lock_dir, kNewSuffix)) {
    const std::string path = lock_dir + "/" + id + kNewSuffix;
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    struct stat st {};
    if (id != own_id && fd.valid() && fstat(fd.get(), &st) == 0 &&
        time(nullptr) - st.st_mtime > kAbandonedNewSeconds &&
        flock(fd.get(), LOCK_EX | LOCK_NB) == 0) {
      ::unlink(path.c_str());  // it recorded nothing: directories are recorded once renamed
    }
  }
  std::vector<std::string> ids = ids_with_suffix(lock_dir, kLockSuffix);
  for (const std::string& id : ids) {
    if (id == own_id) continue;
    const std::string path = lock_dir + "/" + id + kLockSuffix;
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd.valid() || flock(fd.get(), LOCK_EX | LOCK_NB) != 0) continue;  // alive, or gone
    // Still the file at the path: another survivor may have reaped and unlinked it meanwhile.
    struct stat held {
    }, named{};
    if (fstat(fd.get(), &held) != 0 || lstat(path.c_str(), &named) != 0 ||
        held.st_ino != named.st_ino || held.st_dev != named.st_dev) {
      continue;
    }
    std::string text;
    if (!read_all(fd.get(), &text)) continue;
    bool all_gone = true;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind("dir /", 0) != 0) continue;
      const std::string dir = line.substr(4);
      // Only the dead owner's own directory, whatever else the file says.
      const size_t slash = dir.rfind('/');
      if (dir.substr(slash + 1) != instance_dir_name(id)) continue;
      if (!remove_cgroup_tree(dir)) all_gone = false;
    }
    if (all_gone) ::unlink(path.c_str());
  }
}

}  // namespace

std::string instance_dir_name(const std::string& id) {
  return "codejudge." + id;
}

std::unique_ptr<Instance> Instance::create(const std::string& lock_dir, uint32_t uid_base,
                                           uint32_t uid_count, std::string* error) {
  if (!make_dirs(lock_dir, error)) return nullptr;
  auto instance = std::unique_ptr<Instance>(new Instance());
  instance->id_ = random_id();
  if (instance->id_.empty()) {
    *error = errno_message("getrandom");
    return nullptr;
  }
  // The file appears under its name already locked: made as <id>.new, locked, then renamed (a
  // survivor scanning meanwhile never takes a live instance's file for a dead one's). Not
  // O_TMPFILE: overlayfs, a container's /run, has it only since Linux 6.6.
  const std::string fresh = lock_dir + "/" + instance->id_ + kNewSuffix;
  UniqueFd fd(::open(fresh.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) {
    *error = errno_message("create " + fresh);
    return nullptr;
  }
  const std::string pid_line = "pid " + std::to_string(getpid()) + "\n";
  instance->path_ = lock_dir + "/" + instance->id_ + kLockSuffix;
  if (flock(fd.get(), LOCK_EX) != 0 ||
      ::write(fd.get(), pid_line.data(), pid_line.size()) !=
          static_cast<ssize_t>(pid_line.size()) ||
      ::rename(fresh.c_str(), instance->path_.c_str()) != 0) {
    *error = errno_message("lock file " + fresh);
    ::unlink(fresh.c_str());
    instance->path_.clear();
    return nullptr;
  }
  instance->lock_ = std::move(fd);

  const std::string uids_path = lock_dir + "/uids";
  instance->uids_.reset(::open(uids_path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!instance->uids_.valid()) {
    *error = errno_message("open " + uids_path);
    return nullptr;
  }
  // An OFD lock belongs to this open file: a second sandbox in the same process conflicts too.
  auto try_claim = [&](uint64_t base) -> bool {
    struct flock range {};
    range.l_type = F_WRLCK;
    range.l_whence = SEEK_SET;
    range.l_start = static_cast<off_t>(base);
    range.l_len = static_cast<off_t>(uid_count);
    return fcntl(instance->uids_.get(), F_OFD_SETLK, &range) == 0;
  };
  const std::string count = std::to_string(uid_count);
  if (uid_base != 0) {
    if (static_cast<uint64_t>(uid_base) + uid_count > (1ull << 32) - 1) {
      *error = "uid_base + uid_count must stay below 2^32 - 1";
      return nullptr;
    }
    if (!try_claim(uid_base)) {
      *error = errno == EAGAIN || errno == EACCES
                   ? "uids " + std::to_string(uid_base) + " to " +
                         std::to_string(uid_base + uid_count - 1) +
                         " are in use by another codejudge instance on this host (see " +
                         uids_path + "): give each instance its own uid_base"
                   : errno_message("lock uids in " + uids_path);
      return nullptr;
    }
    instance->uid_base_ = uid_base;
  } else {
    for (uint64_t base = kAutoUidFirst; base + uid_count <= kAutoUidEnd; base += uid_count) {
      if (try_claim(base)) {
        instance->uid_base_ = static_cast<uint32_t>(base);
        break;
      }
      if (errno != EAGAIN && errno != EACCES) {
        *error = errno_message("lock uids in " + uids_path);
        return nullptr;
      }
    }
    if (instance->uid_base_ == 0) {
      *error = "no free block of " + count + " uids in [" + std::to_string(kAutoUidFirst) + ", " +
               std::to_string(kAutoUidEnd) +
               ") for this instance: other instances hold them; give uid_base, or fewer slots";
      return nullptr;
    }
  }
  reap_dead(lock_dir, instance->id_);
  return instance;
}

Instance::~Instance() {
  if (path_.empty()) return;
  for (const std::string& dir : dirs_) {
    if (::access(dir.c_str(), F_OK) == 0) return;  // the next instance retries; lock drops now
  }
  // Still locked while it is unlinked: a survivor that opened it meanwhile sees it is gone.
  ::unlink(path_.c_str());
}

bool Instance::record(const std::string& dir, std::string* error) {
  const std::string line = "dir " + dir + "\n";
  if (::write(lock_.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    *error = errno_message("record " + dir + " in " + path_);
    return false;
  }
  dirs_.push_back(dir);
  return true;
}

}  // namespace codejudge::sandbox
