#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "codejudge/sandbox/sandbox.h"
#include "fd.h"

namespace codejudge::sandbox {
namespace {

// Splits a relative path into its components; false for an absolute path, an empty one, or
// one with an empty, "." or ".." component (nothing may name a place outside the directory).
bool components(const std::string& path, std::vector<std::string>* parts) {
  if (path.empty() || path.front() == '/') return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    parts->push_back(std::move(part));
    start = end + 1;
  }
  return true;
}

// Opens the directory that holds the last component, one component at a time from the root
// with O_NOFOLLOW: a symlink the program planted anywhere on the way (a directory link to /etc)
// fails the walk instead of leading out. create makes missing directories, open to every
// sandbox uid as the root is.
UniqueFd open_parent(const std::string& root, const std::vector<std::string>& parts, bool create) {
  UniqueFd dir(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  for (size_t i = 0; dir.valid() && i + 1 < parts.size(); ++i) {
    const char* name = parts[i].c_str();
    // Open to every sandbox uid whatever our umask; a directory left closed fails the walk.
    if (create && mkdirat(dir.get(), name, 0777) == 0 && fchmodat(dir.get(), name, 0777, 0) != 0) {
      return UniqueFd();
    }
    dir.reset(::openat(dir.get(), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  }
  return dir;
}

}  // namespace

std::unique_ptr<ScratchDir> ScratchDir::create(const std::string& parent, uint64_t size_bytes,
                                               std::string* error) {
  std::string pattern = parent + "/codejudge-scratch-XXXXXX";
  std::vector<char> path(pattern.begin(), pattern.end());
  path.push_back('\0');
  if (!mkdtemp(path.data())) {
    *error = errno_message("mkdtemp " + pattern);
    return nullptr;
  }
  std::string dir(path.data());
  // Its own tmpfs: the size bounds what a compiler (or a hostile program) can write, and
  // cleanup is an unmount, which follows no symlink the program may have planted.
  const std::string options = "size=" + std::to_string(size_bytes) + ",nr_inodes=65536,mode=0777";
  if (mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
    *error = errno_message("mount tmpfs on " + dir);
    ::rmdir(dir.c_str());
    return nullptr;
  }
  return std::unique_ptr<ScratchDir>(new ScratchDir(std::move(dir)));
}

ScratchDir::~ScratchDir() {
  umount2(path_.c_str(), MNT_DETACH);
  ::rmdir(path_.c_str());
}

bool ScratchDir::write_file(const std::string& name, const std::string& data,
                            std::string* error) const {
  std::vector<std::string> parts;
  if (!components(name, &parts)) {
    *error = "not a relative path inside the directory: " + name;
    return false;
  }
  UniqueFd dir = open_parent(path_, parts, true);
  // O_NONBLOCK and the regular-file check: a FIFO or device planted by a program must not
  // block or receive our data; O_NOFOLLOW refuses a planted symlink.
  UniqueFd fd(dir.valid() ? ::openat(dir.get(), parts.back().c_str(),
                                     O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644)
                          : -1);
  struct stat st {};
  if (!fd.valid() || fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
      ftruncate(fd.get(), 0) != 0 || fchmod(fd.get(), 0666) != 0) {
    *error = errno_message("create " + path_ + "/" + name);
    if (fd.valid() && !S_ISREG(st.st_mode)) *error = "not a regular file: " + path_ + "/" + name;
    return false;
  }
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = errno_message("write " + path_ + "/" + name);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

std::optional<std::string> ScratchDir::read_file(const std::string& name,
                                                 uint64_t max_bytes) const {
  std::vector<std::string> parts;
  if (!components(name, &parts)) return std::nullopt;
  UniqueFd dir = open_parent(path_, parts, false);
  if (!dir.valid()) return std::nullopt;
  // O_NOFOLLOW and the regular-file check: a planted symlink or FIFO reads as nothing.
  UniqueFd fd(
      ::openat(dir.get(), parts.back().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  struct stat st {};
  if (!fd.valid() || fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<uint64_t>(st.st_size) > max_bytes) {
    return std::nullopt;
  }
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > max_bytes) return std::nullopt;
  }
  return data;
}

}  // namespace codejudge::sandbox
