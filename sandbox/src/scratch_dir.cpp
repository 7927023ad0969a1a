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

bool plain_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
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
  if (!plain_name(name)) {
    *error = "not a plain file name: " + name;
    return false;
  }
  UniqueFd dir(::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  // O_NONBLOCK and the regular-file check: a FIFO or device planted by a program must not
  // block or receive our data; O_NOFOLLOW refuses a planted symlink.
  UniqueFd fd(dir.valid() ? ::openat(dir.get(), name.c_str(),
                                     O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644)
                          : -1);
  struct stat st {};
  if (!fd.valid() || fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
      ftruncate(fd.get(), 0) != 0) {
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
  if (!plain_name(name)) return std::nullopt;
  UniqueFd dir(::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) return std::nullopt;
  // O_NOFOLLOW and the regular-file check: a planted symlink or FIFO reads as nothing.
  UniqueFd fd(::openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
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
