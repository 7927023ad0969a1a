#include "fd.h"

#include <fcntl.h>

namespace codejudge::sandbox {

bool write_file(const std::string& path, const std::string& data, std::string* error) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (error) *error = errno_message("open " + path);
    return false;
  }
  ssize_t n = ::write(fd.get(), data.data(), data.size());
  if (n != static_cast<ssize_t>(data.size())) {
    if (error) *error = errno_message("write " + path);
    return false;
  }
  return true;
}

bool read_file(const std::string& path, std::string* out) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return false;
  out->clear();
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out->append(buf, static_cast<size_t>(n));
  }
}

}  // namespace codejudge::sandbox
