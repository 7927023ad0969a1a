#include "text_file.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

extern char** environ;

namespace codejudge::problems::detail {
namespace {

std::string errno_text(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

// Runs gzip -dc on the file (no shell: the path is an argv entry) and collects its stdout.
bool gunzip(const std::string& path, std::string* text, std::string* error) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    *error = errno_text("pipe");
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::string arg0 = "gzip", arg1 = "-dc", arg2 = "--";
  std::string file = path;
  char* argv[] = {arg0.data(), arg1.data(), arg2.data(), file.data(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "gzip", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    *error = std::string("cannot run gzip: ") + std::strerror(rc);
    return false;
  }
  text->clear();
  char buffer[1 << 16];
  while (true) {
    ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n > 0) {
      text->append(buffer, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    *error = "gzip -dc failed on " + path + " (corrupt or truncated file?)";
    return false;
  }
  return true;
}

}  // namespace

bool read_text_file(const std::string& path, std::string* text, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = errno_text(("cannot open " + path).c_str());
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    *error = "cannot read " + path;
    return false;
  }
  *text = std::move(buffer).str();
  if (text->size() >= 2 && static_cast<unsigned char>((*text)[0]) == 0x1f &&
      static_cast<unsigned char>((*text)[1]) == 0x8b) {
    return gunzip(path, text, error);
  }
  return true;
}

}  // namespace codejudge::problems::detail
