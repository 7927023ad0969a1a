// Small RAII and errno helpers shared by the sandbox sources.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace codejudge::sandbox {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// "step: strerror(errno)" for IE messages that say which setup step failed and why.
inline std::string errno_message(const std::string& step, int err = errno) {
  return step + ": " + std::strerror(err);
}

// Writes a whole string to a (small, kernel) file such as a cgroup or /proc control file.
bool write_file(const std::string& path, const std::string& data, std::string* error);
// Reads a small file (cgroup stats, /proc) whole; empty optional-like bool on failure.
bool read_file(const std::string& path, std::string* out);

}  // namespace codejudge::sandbox
