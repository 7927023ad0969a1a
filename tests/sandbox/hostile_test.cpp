// The hostile corpus: every file in tests/hostile/ is one attack, run in the real sandbox.
// Its header says what must happen:
//
//   expect: OK|RE|TLE|MLE|OLE|SE|CE   the run's status (CE: compiled by gcc inside the sandbox)
//   attack: one line (continued on indented lines) saying what it tries
//   limits: time-ms=N wall-ms=N memory-mb=N processes=N output-kb=N tmpfs-mb=N file-mb=N
//   message: text that Result::message must contain (repeatable)
//   stdout: text that stdout must contain, to show the attack ran (repeatable)
//   check: stdout-truncated | stderr-truncated | no-supervisor-cmdline | no-host-processes
//   work: scratch                     /work is a ScratchDir instead of a private tmpfs
//   setup: setuid-root                the compiled program is made setuid root on the host
//   refused: NAME...                  entries the program plants in the ScratchDir, which
//                                     ScratchDir::read_file must refuse
//   unwritable: NAME...               planted entries ScratchDir::write_file must refuse,
//                                     promptly and without writing through them
//
// An escape is judged from outside, never by the program's word: around every case the test
// plants secrets (a file in /etc, one in /root, a variable in its own environment), opens
// TCP, UDP and abstract unix listeners on the host, and starts sentinel processes (as root
// and as each sandbox uid). The listeners and the secret files stay open in the test process
// without close-on-exec while the run starts, as a careless server's descriptors would.
// After the run the secrets must be absent from the output and intact, the listeners must
// have seen nothing, the sentinels must be alive, no file with the run's marker may exist on
// the host, and nothing may be left behind (processes, mounts, scratch directories, cgroups).
// CODEJUDGE_TEST_VERBOSE=1 prints every result.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "support.h"

namespace codejudge::sandbox::test {
namespace {

namespace fs = std::filesystem;

const std::string kHostileDir = std::string(CODEJUDGE_SOURCE_DIR) + "/tests/hostile";
// The sentinels sleep this many seconds: a number that shows up in any output that lists them.
constexpr const char* kSentinelArg = "987654";
constexpr const char* kEnvSecretName = "CJHOSTILE_ENV_SECRET";
// Host directories where no file of a run may appear.
const char* const kWatchedDirs[] = {"/",    "/etc", "/usr", "/usr/bin", "/bin",     "/lib",
                                    "/dev", "/tmp", "/run", "/root",    "/var/tmp", "/work"};
// Host files a run must not change.
const char* const kWatchedFiles[] = {"/etc/passwd", "/etc/hosts", "/etc/hostname"};

// A case name is the file's; a python file also runs as "<file>+warm", from the warm python
// runtime (the judges' own, judges/harness/warm_python.py), where the host has warm runtimes.
constexpr std::string_view kWarmSuffix = "+warm";

std::vector<std::string> hostile_files(bool warm) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kHostileDir, ec)) {
    const std::string ext = entry.path().extension();
    if (!warm && (ext == ".c" || ext == ".py")) files.push_back(entry.path().filename());
    if (warm && ext == ".py") files.push_back(entry.path().filename().string() + "+warm");
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Header {
  std::string expect;
  std::string attack;
  std::map<std::string, uint64_t> limits;
  std::vector<std::string> messages;
  std::vector<std::string> stdout_has;
  std::set<std::string> checks;
  bool scratch_work = false;
  bool setuid_root = false;
  std::vector<std::string> refused;
  std::vector<std::string> unwritable;
};

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> result;
  std::string word;
  while (in >> word) result.push_back(word);
  return result;
}

// Reads the leading comment block ("//" in C, "#" in Python).
bool parse_header(const std::string& source, const std::string& comment, Header* header,
                  std::string* error) {
  static const std::set<std::string> kKeys = {"expect", "attack",    "limits", "message",
                                              "stdout", "check",     "work",   "refused",
                                              "setup",  "unwritable"};
  static const std::set<std::string> kLimits = {"time-ms",   "wall-ms",  "memory-mb", "processes",
                                                "output-kb", "tmpfs-mb", "file-mb"};
  static const std::set<std::string> kChecks = {"stdout-truncated", "stderr-truncated",
                                                "no-supervisor-cmdline", "no-host-processes"};
  std::istringstream lines(source);
  std::string line, last_key;
  while (std::getline(lines, line) && line.rfind(comment, 0) == 0) {
    std::string body = line.substr(comment.size());
    if (body.size() > 1 && body[0] == ' ' && body[1] == ' ') {  // continuation
      if (last_key == "attack") header->attack += " " + body.substr(body.find_first_not_of(' '));
      continue;
    }
    if (!body.empty() && body[0] == ' ') body.erase(0, 1);
    const size_t colon = body.find(": ");
    if (colon == std::string::npos) continue;  // prose
    const std::string key = body.substr(0, colon), value = body.substr(colon + 2);
    if (!kKeys.count(key)) {
      *error = "unknown header key: " + key;
      return false;
    }
    last_key = key;
    if (key == "expect") header->expect = value;
    if (key == "attack") header->attack = value;
    if (key == "message") header->messages.push_back(value);
    if (key == "stdout") header->stdout_has.push_back(value);
    if (key == "work") header->scratch_work = value == "scratch";
    if (key == "setup") header->setuid_root = value == "setuid-root";
    if (key == "refused") header->refused = words(value);
    if (key == "unwritable") header->unwritable = words(value);
    if (key == "check") {
      for (const std::string& check : words(value)) {
        if (!kChecks.count(check)) {
          *error = "unknown check: " + check;
          return false;
        }
        header->checks.insert(check);
      }
    }
    if (key == "limits") {
      for (const std::string& item : words(value)) {
        const size_t eq = item.find('=');
        const std::string name = item.substr(0, eq);
        if (eq == std::string::npos || !kLimits.count(name)) {
          *error = "bad limit: " + item;
          return false;
        }
        header->limits[name] = std::stoull(item.substr(eq + 1));
      }
    }
  }
  static const std::set<std::string> kStatuses = {"OK", "RE", "TLE", "MLE", "OLE", "SE", "CE"};
  if (!kStatuses.count(header->expect) || header->attack.empty()) {
    *error = "the header needs `expect: STATUS` and `attack: description`";
    return false;
  }
  return true;
}

Limits limits_for(const Header& header) {
  Limits limits;
  limits.cpu_ms = 1000;
  limits.memory_bytes = 128ull << 20;
  limits.processes = 16;
  auto set = [&](const char* name, auto* field, uint64_t scale) {
    auto it = header.limits.find(name);
    if (it != header.limits.end())
      *field = static_cast<std::decay_t<decltype(*field)>>(it->second * scale);
  };
  set("time-ms", &limits.cpu_ms, 1);
  set("wall-ms", &limits.wall_ms, 1);
  set("memory-mb", &limits.memory_bytes, 1ull << 20);
  set("processes", &limits.processes, 1);
  set("output-kb", &limits.output_bytes, 1ull << 10);
  set("tmpfs-mb", &limits.tmpfs_bytes, 1ull << 20);
  set("file-mb", &limits.file_size_bytes, 1ull << 20);
  return limits;
}

// The first element of a /proc/<pid>/cmdline.
std::string first_arg(const std::string& cmdline_path) {
  std::string cmdline = read_host_file(cmdline_path).value_or("");
  return cmdline.substr(0, cmdline.find('\0'));
}

bool contains(const std::string& haystack, const std::string& needle) {
  return !needle.empty() && haystack.find(needle) != std::string::npos;
}

// A process that must outlive every run: `sleep 987654`, as root or as a sandbox uid.
pid_t start_sentinel(uid_t uid) {
  pid_t pid = fork();
  if (pid == 0) {
    if (uid != 0 && (setresgid(uid, uid, uid) != 0 || setresuid(uid, uid, uid) != 0)) _exit(126);
    execl("/bin/sleep", "sleep", kSentinelArg, static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// What the test plants on the host around one run, and the checks that it was not touched.
class HostFixtures {
 public:
  HostFixtures() = default;
  HostFixtures(const HostFixtures&) = delete;
  HostFixtures& operator=(const HostFixtures&) = delete;

  ~HostFixtures() {
    for (pid_t pid : sentinels_) {
      if (reaped_.count(pid)) continue;  // its pid may belong to someone else by now
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    for (int fd : {tcp_, udp_, unix_}) {
      if (fd >= 0) ::close(fd);
    }
    for (int fd : secret_fds_) ::close(fd);
    for (const auto& [path, secret] : secret_files_) ::unlink(path.c_str());
    unsetenv(kEnvSecretName);
  }

  bool start(std::string* error) {
    const TestArea& area = test_area();
    marker_ = "cjhostile-" + random_token();
    for (const char* dir : {"/etc", "/root"}) {
      // World-readable on purpose: only the sandbox's filesystem view may keep it out.
      std::string path = std::string(dir) + "/cjhostile-secret-" + std::to_string(area.index);
      std::string secret = "cjsecret_" + random_token();
      if (!write_host_file(path, secret, 0644)) {
        *error = "cannot plant " + path;
        return false;
      }
      secret_files_[path] = secret;
    }
    env_secret_ = "cjenvsecret_" + random_token();
    setenv(kEnvSecretName, env_secret_.c_str(), 1);
    std::vector<uid_t> uids = {0};
    for (uint32_t i = 0; i < area.uid_count; ++i) uids.push_back(area.uid_base + i);
    for (uid_t uid : uids) {
      const pid_t pid = start_sentinel(uid);
      if (pid <= 0) {
        *error = std::string("fork: ") + std::strerror(errno);
        return false;
      }
      sentinels_.push_back(pid);
    }
    // After the sentinels, so that only the sandbox could hand these to anyone.
    if (!open_listeners(error)) return false;
    for (const auto& [path, secret] : secret_files_) {
      secret_fds_.push_back(::open(path.c_str(), O_RDONLY));  // no O_CLOEXEC, on purpose
    }
    // Wait until each sentinel is the sleep, so that a death later is the run's doing.
    for (pid_t pid : sentinels_) {
      const std::string cmdline = "/proc/" + std::to_string(pid) + "/cmdline";
      for (int i = 0; i < 200 && !contains(read_host_file(cmdline).value_or(""), kSentinelArg);
           ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      if (!contains(read_host_file(cmdline).value_or(""), kSentinelArg)) {
        *error = "sentinel " + std::to_string(pid) + " did not start";
        return false;
      }
    }
    for (const char* dir : kWatchedDirs) dirs_before_[dir] = list_dir(dir);
    for (const char* file : kWatchedFiles) files_before_[file] = read_host_file(file);
    bin_before_ = list_dir(area.bin_dir);
    hostname_before_ = hostname();
    return true;
  }

  const std::string& marker() const { return marker_; }
  std::set<pid_t> sentinels() const { return {sentinels_.begin(), sentinels_.end()}; }

  std::vector<std::string> env() const {
    std::string paths;
    for (const auto& [path, secret] : secret_files_) paths += (paths.empty() ? "" : ":") + path;
    return {"PATH=/usr/local/bin:/usr/bin:/bin",
            "CJ_MARKER=" + marker_,
            "CJ_TCP_PORT=" + std::to_string(tcp_port_),
            "CJ_UDP_PORT=" + std::to_string(udp_port_),
            "CJ_UNIX_NAME=" + unix_name_,
            "CJ_SECRET_PATHS=" + paths};
  }

  // Secrets that must never appear in a run's output.
  std::vector<std::string> secrets() const {
    std::vector<std::string> result = {env_secret_};
    for (const auto& [path, secret] : secret_files_) result.push_back(secret);
    return result;
  }
  std::string etc_secret_path() const { return secret_files_.begin()->first; }

  // What changed on the host: dead sentinels, contacted listeners, touched files.
  std::vector<std::string> check() {
    std::vector<std::string> problems;
    for (pid_t pid : sentinels_) {
      int status = 0;
      if (reaped_.count(pid) || waitpid(pid, &status, WNOHANG) != 0) {
        reaped_.insert(pid);
        problems.push_back("sentinel " + std::to_string(pid) + " died (status " +
                           std::to_string(status) + ")");
      }
    }
    int fd = accept4(tcp_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0 || errno != EAGAIN) problems.push_back("the TCP listener saw a connection");
    if (fd >= 0) ::close(fd);
    char byte;
    if (recv(udp_, &byte, 1, MSG_DONTWAIT) >= 0 || errno != EAGAIN) {
      problems.push_back("the UDP socket received a datagram");
    }
    fd = accept4(unix_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0 || errno != EAGAIN) problems.push_back("the abstract unix listener saw a peer");
    if (fd >= 0) ::close(fd);
    for (const auto& [path, secret] : secret_files_) {
      if (read_host_file(path) != secret) problems.push_back("secret file changed: " + path);
    }
    for (const auto& [file, content] : files_before_) {
      if (read_host_file(file) != content) problems.push_back("host file changed: " + file);
    }
    for (const auto& [dir, before] : dirs_before_) {
      const std::set<std::string> now = list_dir(dir);
      for (const std::string& name : now) {
        if (!contains(name, marker_)) continue;
        problems.push_back("the run created " + dir + "/" + name);
        // Clean up after an escape (never following a link), so one failure stays one.
        ::unlink((dir + "/" + name).c_str());
      }
      // Nothing may disappear from /etc (say, through a symlink followed by a cleanup), but
      // the secrets of test processes running beside this one come and go.
      if (dir != "/etc") continue;
      for (const std::string& name : before) {
        if (!now.count(name) && name.rfind("cjhostile-", 0) != 0) {
          problems.push_back("/etc/" + name + " disappeared");
        }
      }
    }
    struct stat st {};
    if (stat("/root", &st) != 0 || !S_ISDIR(st.st_mode)) problems.push_back("/root is gone");
    const TestArea& area = test_area();
    if (list_dir(area.bin_dir) != bin_before_) {
      problems.push_back("the bound directory changed: " + area.bin_dir);
    }
    if (!list_dir(area.state_dir + "/root").empty()) {
      problems.push_back("the staging root is not empty on the host");
    }
    if (hostname() != hostname_before_) problems.push_back("the host name changed");
    return problems;
  }

 private:
  static std::string hostname() {
    char name[256] = {};
    gethostname(name, sizeof name - 1);
    return name;
  }

  static int ephemeral_port(int fd) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return -1;
    return ntohs(addr.sin_port);
  }

  bool open_listeners(std::string* error) {
    sockaddr_in loopback{};
    loopback.sin_family = AF_INET;
    loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // No SOCK_CLOEXEC, on purpose: the sandbox must not rely on its caller's flags.
    tcp_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    udp_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    unix_ = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (tcp_ < 0 || udp_ < 0 || unix_ < 0 ||
        bind(tcp_, reinterpret_cast<sockaddr*>(&loopback), sizeof loopback) != 0 ||
        listen(tcp_, 8) != 0 ||
        bind(udp_, reinterpret_cast<sockaddr*>(&loopback), sizeof loopback) != 0) {
      *error = std::string("cannot open the loopback listeners: ") + std::strerror(errno);
      return false;
    }
    tcp_port_ = ephemeral_port(tcp_);
    udp_port_ = ephemeral_port(udp_);
    unix_name_ = marker_ + "-unix";
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path + 1, unix_name_.data(), unix_name_.size());
    const auto size =
        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + unix_name_.size());
    if (bind(unix_, reinterpret_cast<sockaddr*>(&addr), size) != 0 || listen(unix_, 8) != 0) {
      *error = std::string("cannot open the abstract unix listener: ") + std::strerror(errno);
      return false;
    }
    return true;
  }

  std::string marker_;
  std::map<std::string, std::string> secret_files_;  // path -> content
  std::string env_secret_;
  int tcp_ = -1, udp_ = -1, unix_ = -1;
  std::vector<int> secret_fds_;
  int tcp_port_ = 0, udp_port_ = 0;
  std::string unix_name_;
  std::vector<pid_t> sentinels_;
  std::set<pid_t> reaped_;
  std::map<std::string, std::set<std::string>> dirs_before_;
  std::map<std::string, std::optional<std::string>> files_before_;
  std::set<std::string> bin_before_;
  std::string hostname_before_;
};

// ScratchDir::write_file on a name the program planted. A FIFO would block a careless open
// forever: after a second the test opens the read end itself to let the writer go, and
// reports the block as a failure.
bool write_planted(const ScratchDir& scratch, const std::string& name) {
  auto writer = std::async(std::launch::async, [&] {
    std::string error;
    return scratch.write_file(name, "cjhostile-overwritten", &error);
  });
  if (writer.wait_for(std::chrono::seconds(1)) == std::future_status::ready) return writer.get();
  ADD_FAILURE() << "ScratchDir::write_file blocked on " << name;
  int fd = ::open((scratch.path() + "/" + name).c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  const bool wrote = writer.get();
  if (fd >= 0) ::close(fd);
  return wrote;
}

class HostileTest : public SandboxTest, public ::testing::WithParamInterface<std::string> {
 protected:
  void TearDown() override {
    // Sentinels run as sandbox uids: stop them before the leftover check looks for those.
    fixtures_.reset();
    SandboxTest::TearDown();
  }

  // Runs gcc inside the sandbox on `source` in a fresh ScratchDir, as `codejudge run` does.
  Result compile_inside(const std::string& source, const std::vector<std::string>& flags,
                        std::optional<std::string>* binary) {
    std::string error;
    auto scratch = ScratchDir::create(test_area().scratch_parent, 64ull << 20, &error);
    if (!scratch) {
      ADD_FAILURE() << error;
      return {};
    }
    EXPECT_TRUE(scratch->write_file("x.c", source, &error)) << error;
    RunSpec spec;
    spec.argv = {"/usr/bin/gcc"};
    spec.argv.insert(spec.argv.end(), flags.begin(), flags.end());
    spec.argv.insert(spec.argv.end(), {"-o", "/work/a", "/work/x.c"});
    spec.env = fixtures_->env();
    spec.limits.cpu_ms = 10000;
    spec.limits.wall_ms = 30000;
    spec.limits.memory_bytes = 512ull << 20;
    spec.limits.processes = 32;
    spec.work_dir = scratch->path();
    Result result = sandbox_->run(spec);
    *binary = scratch->read_file("a", 64ull << 20);
    return result;
  }

  std::unique_ptr<HostFixtures> fixtures_;
};

TEST_P(HostileTest, IsContained) {
  std::string file = GetParam();
  const bool warm = file.ends_with(kWarmSuffix);
  if (warm) file.resize(file.size() - kWarmSuffix.size());
  const bool python = fs::path(file).extension() == ".py";
  const std::string source = read_host_file(kHostileDir + "/" + file).value_or("");
  ASSERT_FALSE(source.empty()) << "cannot read " << file;
  Header header;
  std::string error;
  ASSERT_TRUE(parse_header(source, python ? "#" : "//", &header, &error)) << file << ": " << error;

  const TestArea& area = test_area();
  RunSpec spec;
  if (header.expect != "CE") {
    // The last argument becomes the run's marker; it is in the command line of every
    // process the program forks.
    if (python) {
      ASSERT_TRUE(write_host_file(area.bin_dir + "/" + file, source, 0644));
      spec.argv = {"/usr/bin/python3", "/hostile/" + file, ""};
    } else {
      const std::string name = fs::path(file).stem();
      std::string log;
      const std::string binary = area.bin_dir + "/" + name;
      ASSERT_TRUE(compile_c(kHostileDir + "/" + file, binary, &log)) << log;
      if (header.setuid_root) {
        ASSERT_EQ(chown(binary.c_str(), 0, 0), 0);
        ASSERT_EQ(chmod(binary.c_str(), 04755), 0);
      }
      spec.argv = {"/hostile/" + name, ""};
    }
  }
  // After compiling: the bound directory's contents are part of what must not change.
  fixtures_ = std::make_unique<HostFixtures>();
  ASSERT_TRUE(fixtures_->start(&error)) << error;
  Result result;
  std::unique_ptr<ScratchDir> scratch;

  if (header.expect == "CE") {
    // First a clean source, so that a compiler broken inside the sandbox cannot pass as
    // a blocked attack.
    std::optional<std::string> binary;
    Result control = compile_inside("int main(void) { return 0; }\n", {}, &binary);
    ASSERT_EQ(control.status, Status::kOk) << describe(control);
    ASSERT_TRUE(binary && !binary->empty()) << "gcc inside the sandbox produced no binary";
    result =
        compile_inside(source, {"-DCJ_SECRET=\"" + fixtures_->etc_secret_path() + "\""}, &binary);
    EXPECT_EQ(result.status, Status::kRuntimeError) << describe(result);
    EXPECT_NE(result.exit_code, 0);
    EXPECT_TRUE(contains(result.stderr_data, "No such file or directory")) << describe(result);
    EXPECT_FALSE(binary.has_value()) << "the compile of the secret include succeeded";
  } else {
    spec.argv.back() = fixtures_->marker();
    spec.env = fixtures_->env();
    spec.limits = limits_for(header);
    spec.binds = {{area.bin_dir, "/hostile", false}};
    if (header.scratch_work) {
      scratch = ScratchDir::create(area.scratch_parent, 16ull << 20, &error);
      ASSERT_NE(scratch, nullptr) << error;
      spec.work_dir = scratch->path();
    }
    if (warm) spec.warm = &warm_python();
    result = sandbox_->run(spec);
    EXPECT_EQ(status_name(result.status), header.expect) << file << ": " << describe(result);
    EXPECT_EQ(result.warm, warm && sandbox_->report().warm_runtimes && !header.scratch_work);
  }
  if (std::getenv("CODEJUDGE_TEST_VERBOSE")) std::cerr << describe(result) << "\n";

  for (const std::string& message : header.messages) {
    EXPECT_TRUE(contains(result.message, message)) << "message lacks \"" << message << "\"\n"
                                                   << describe(result);
  }
  for (const std::string& text : header.stdout_has) {
    EXPECT_TRUE(contains(result.stdout_data, text)) << "stdout lacks \"" << text << "\"\n"
                                                    << describe(result);
  }
  const Limits limits = limits_for(header);
  if (header.checks.count("stdout-truncated")) {
    EXPECT_TRUE(result.stdout_truncated);
    EXPECT_EQ(result.stdout_data.size(), limits.output_bytes) << "the output kept is not whole";
  }
  if (header.checks.count("stderr-truncated")) {
    EXPECT_TRUE(result.stderr_truncated);
    EXPECT_EQ(result.stderr_data.size(), limits.output_bytes) << "the output kept is not whole";
  }
  const std::string output = result.stdout_data + result.stderr_data;
  if (header.checks.count("no-supervisor-cmdline")) {
    // The run's pid 1 is a fork of this process: its command line is the supervisor's.
    const std::string self = first_arg("/proc/self/cmdline");
    EXPECT_FALSE(contains(output, self))
        << "the supervisor's command line (" << self << ") is visible inside:\n"
        << describe(result);
  }
  if (header.checks.count("no-host-processes")) {
    const std::string host_init = first_arg("/proc/1/cmdline");
    EXPECT_FALSE(contains(output, host_init))
        << "the host's pid 1 (" << host_init << ") is visible inside:\n"
        << describe(result);
  }
  for (const std::string& secret : fixtures_->secrets()) {
    EXPECT_FALSE(contains(output, secret)) << "a host secret leaked:\n" << describe(result);
  }
  EXPECT_FALSE(contains(output, kSentinelArg)) << "a host sentinel is visible inside:\n"
                                               << describe(result);

  if (scratch) {
    for (const std::string& name : header.refused) {
      // What the program planted: the entry itself, or for "dir/name" the directory link.
      const std::string planted = name.substr(0, name.find('/'));
      struct stat st {};
      ASSERT_EQ(lstat((scratch->path() + "/" + planted).c_str(), &st), 0)
          << "the program did not plant " << planted;
      EXPECT_FALSE(S_ISREG(st.st_mode)) << planted;
      EXPECT_FALSE(scratch->read_file(name, 1 << 20).has_value())
          << "ScratchDir::read_file followed " << name;
    }
    for (const std::string& name : header.unwritable) {
      EXPECT_FALSE(write_planted(*scratch, name))
          << "ScratchDir::write_file wrote through " << name;
    }
    const std::string path = scratch->path();
    scratch.reset();
    struct stat st {};
    EXPECT_NE(lstat(path.c_str(), &st), 0) << "the ScratchDir outlived its object: " << path;
  }

  for (const std::string& problem : fixtures_->check()) ADD_FAILURE() << file << ": " << problem;
  // A warm runtime outlives its runs, and goes with its sandbox: after that, nothing may remain.
  if (warm) sandbox_.reset();
  for (const std::string& problem :
       leftovers(before_, fixtures_->marker(), fixtures_->sentinels())) {
    ADD_FAILURE() << file << ": " << problem;
  }
}

std::string case_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, HostileTest, ::testing::ValuesIn(hostile_files(false)), case_name);
INSTANTIATE_TEST_SUITE_P(WarmCorpus, HostileTest, ::testing::ValuesIn(hostile_files(true)),
                         case_name);

// The outside checks must be able to fail: do by hand, from the host, what an escaped
// program would, and every one of them must notice.
TEST(HostileFixtures, NoticeAnEscape) {
  ASSERT_TRUE(test_area().error.empty()) << test_area().error;
  HostFixtures fixtures;
  std::string error;
  ASSERT_TRUE(fixtures.start(&error)) << error;
  ASSERT_TRUE(fixtures.check().empty()) << ::testing::PrintToString(fixtures.check());
  std::map<std::string, std::string> env;
  for (const std::string& var : fixtures.env()) {
    env[var.substr(0, var.find('='))] = var.substr(var.find('=') + 1);
  }
  sockaddr_in loopback{};
  loopback.sin_family = AF_INET;
  loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  loopback.sin_port = htons(static_cast<uint16_t>(std::stoi(env["CJ_TCP_PORT"])));
  int tcp = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(connect(tcp, reinterpret_cast<sockaddr*>(&loopback), sizeof loopback), 0);
  loopback.sin_port = htons(static_cast<uint16_t>(std::stoi(env["CJ_UDP_PORT"])));
  int udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(sendto(udp, "x", 1, 0, reinterpret_cast<sockaddr*>(&loopback), sizeof loopback), 1);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string name = env["CJ_UNIX_NAME"];
  std::memcpy(addr.sun_path + 1, name.data(), name.size());
  int unix_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(connect(unix_fd, reinterpret_cast<sockaddr*>(&addr),
                    static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size())),
            0);
  const std::string planted = "/tmp/" + fixtures.marker() + "-escaped";
  ASSERT_TRUE(write_host_file(planted, "x", 0644));
  kill(*fixtures.sentinels().begin(), SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));

  const std::string problems = ::testing::PrintToString(fixtures.check());
  for (const char* expected :
       {"sentinel", "TCP listener", "UDP socket", "abstract unix", "the run created /tmp/"}) {
    EXPECT_NE(problems.find(expected), std::string::npos) << expected << " in " << problems;
  }
  EXPECT_NE(access(planted.c_str(), F_OK), 0) << "the escaped file was not cleaned up";
  for (int fd : {tcp, udp, unix_fd}) ::close(fd);
}

TEST(HostileCorpus, HasTheAttacks) {
  // A missing directory would silently instantiate no case at all.
  const std::vector<std::string> files = hostile_files(false);
  EXPECT_GE(files.size(), 30u) << kHostileDir;
  EXPECT_GE(hostile_files(true).size(), 5u) << kHostileDir;
}

}  // namespace
}  // namespace codejudge::sandbox::test
