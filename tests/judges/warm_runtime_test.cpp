// Warm runtimes (sandbox.h WarmRuntime) through the real judge: runs served warm give what cold
// runs give, and nothing one run leaves behind, in the runtime or anywhere else, reaches the next.
// Each judge here has one sandbox slot, so that consecutive runs share one runtime. Needs root
// and a host with warm runtimes (cgroup v1 and user namespaces); elsewhere the tests check that
// every run is cold instead.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "codejudge/judges/judge.h"

namespace codejudge::judges {
namespace {

namespace fs = std::filesystem;

class WarmRuntimeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char dir[] = "/tmp/codejudge-warm-test-XXXXXX";
    cache_dir_ = new std::string(mkdtemp(dir));
    warm_ = make(true).release();
    cold_ = make(false).release();
  }
  static void TearDownTestSuite() {
    delete warm_;
    delete cold_;
    std::error_code ec;
    fs::remove_all(*cache_dir_, ec);
    delete cache_dir_;
  }
  static std::unique_ptr<Judge> make(bool warm) {
    JudgeConfig config;
    config.cache_dir = *cache_dir_;
    config.workers = 1;
    config.sandbox.uid_count = 1;
    config.detect_toolchains_at_start = false;
    config.warm_runtimes = warm;
    std::string error;
    auto judge = Judge::create(config, &error);
    EXPECT_NE(judge, nullptr) << error;
    return judge;
  }
  void SetUp() override { ASSERT_TRUE(warm_ && cold_) << "root and a working sandbox are needed"; }

  static bool host_has_warm() { return warm_->host().warm_runtimes; }

  static sandbox::Result run(Judge* judge, const std::string& code,
                             const std::string& stdin_data = "", uint64_t cpu_ms = 2000,
                             uint64_t memory_mb = 128) {
    sandbox::Limits limits;
    limits.cpu_ms = cpu_ms;
    limits.memory_bytes = memory_mb << 20;
    Judge::RunOutput out = judge->run(Submission{"python", code}, stdin_data, limits);
    EXPECT_TRUE(out.compile.ok) << out.compile.stderr_data;
    return out.run;
  }
  // A run of the warm judge, which must have been served warm where the host has them.
  static sandbox::Result run_warm(const std::string& code, const std::string& stdin_data = "",
                                  uint64_t cpu_ms = 2000, uint64_t memory_mb = 128) {
    sandbox::Result result = run(warm_, code, stdin_data, cpu_ms, memory_mb);
    EXPECT_EQ(result.warm, host_has_warm()) << result.message << "\n" << result.stderr_data;
    return result;
  }

  static Judge* warm_;
  static Judge* cold_;
  static std::string* cache_dir_;
};

Judge* WarmRuntimeTest::warm_ = nullptr;
Judge* WarmRuntimeTest::cold_ = nullptr;
std::string* WarmRuntimeTest::cache_dir_ = nullptr;

struct Program {
  std::string name;
  std::string code;
  std::string stdin_data;
  uint64_t cpu_ms = 2000;
  uint64_t memory_mb = 128;
};

Program program(std::string name, std::string code, std::string stdin_data = "",
                uint64_t cpu_ms = 2000, uint64_t memory_mb = 128) {
  return {std::move(name), std::move(code), std::move(stdin_data), cpu_ms, memory_mb};
}

// What a program can observe of how it was started and how it ends.
const std::vector<Program>& programs() {
  static const std::vector<Program> list = {
      program("hello", "print('hello')\n"),
      program("script", "import sys\nprint(__name__, __file__, sys.argv, sys.path[0])\n"),
      program("environment", "import os\nprint(sorted(os.environ.items()))\nprint(os.getcwd())\n"),
      program("ids", "import os\nprint(os.getpid(), os.getppid(), os.getuid(), os.getgid())\n"),
      program("stdin", "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n",
              "1 2 3\n4\n"),
      program("dev_stdin", "print(open('/dev/stdin').read().upper())\n", "abc\n"),
      program("traceback", "def f():\n    return 1 // 0\n\nprint('before')\nf()\n"),
      program("late_syntax_error", "exec('print(')\n"),
      program("exit_code", "import sys\nprint('out')\nsys.exit(3)\n"),
      program("exit_message", "import sys\nsys.exit('bye')\n"),
      program("exit_none", "raise SystemExit\n"),
      program("os_exit", "import os\nprint('lost', end='')\nos._exit(4)\n"),
      program("atexit",
              "import atexit\natexit.register(lambda: print('at exit'))\nprint('main')\n"),
      program("thread",
              "import threading, time\n"
              "def late():\n    time.sleep(0.05)\n    print('thread')\n"
              "threading.Thread(target=late).start()\nprint('main')\n"),
      program("finalizer",
              "class A:\n    def __del__(self):\n        print('del')\n\na = A()\nprint('main')\n"),
      program("signal", "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"),
      program("recursion", "def f(n):\n    return f(n + 1)\n\nf(0)\n"),
      program("memory", "x = bytearray(200 << 20)\nprint(len(x))\n", "", 2000, 64),
      program("cpu", "while True:\n    pass\n", "", 300),
      program("network", "import socket\nsocket.socket(socket.AF_INET).connect(('1.1.1.1', 53))\n"),
      program("multiprocessing",
              "from multiprocessing import Pool\n"
              "if __name__ == '__main__':\n"
              "    with Pool(2) as p:\n        print(sum(p.map(abs, range(-5, 5))))\n"),
      program("proc", "import os\nprint(sorted(p for p in os.listdir('/proc') if p.isdigit()))\n"),
      program("files",
              "import os\nprint([sorted(os.listdir(d)) for d in ('/box', '/tmp', '/work', "
              "'/dev/shm')])\nopen('/work/x', 'w').write('x')\nopen('/tmp/y', 'w').write('y')\n"),
      program("read_only_box", "open('/box/main.py', 'a').write('x')\n"),
  };
  return list;
}

// Runs warm and cold give the same status, exit code, signal and output, stderr included: the
// traceback, the syntax error and SystemExit's message are the interpreter's own words.
TEST_F(WarmRuntimeTest, RunsGiveWhatColdRunsGive) {
  for (const Program& program : programs()) {
    SCOPED_TRACE(program.name);
    sandbox::Result warm =
        run_warm(program.code, program.stdin_data, program.cpu_ms, program.memory_mb);
    sandbox::Result cold =
        run(cold_, program.code, program.stdin_data, program.cpu_ms, program.memory_mb);
    EXPECT_FALSE(cold.warm);
    EXPECT_EQ(sandbox::status_name(warm.status), std::string(sandbox::status_name(cold.status)))
        << warm.message << " / " << cold.message;
    EXPECT_EQ(warm.exit_code, cold.exit_code);
    EXPECT_EQ(warm.signal, cold.signal);
    EXPECT_EQ(warm.stdout_data, cold.stdout_data);
    // How deep a recursion gets before RecursionError depends on the frames below the script's.
    if (program.name != "recursion") {
      EXPECT_EQ(warm.stderr_data, cold.stderr_data);
    }
  }
}

// A run that tries to leave something for the next one: files in each writable place, a process
// that outlives it, SysV and POSIX IPC objects, its environment, changed modules, builtins and
// interpreter state, a seeded random generator. The next run of the same slot (the same runtime)
// finds none of it.
TEST_F(WarmRuntimeTest, NothingOneRunLeavesIsSeenByTheNext) {
  const std::string leaver = R"(import builtins, collections, json, os, random, signal, sys, time
for d in ('/tmp', '/work', '/dev/shm'):
    open(d + '/left', 'w').write('x')
os.environ['LEFT'] = '1'
os.putenv('LEFT_PUT', '1')
builtins.LEFT = 1
builtins.print = lambda *a, **k: None
json.dumps = lambda *a, **k: 'hijacked'
collections.LEFT = 1
sys.modules['left_module'] = collections
sys.path.insert(0, '/tmp')
signal.signal(signal.SIGTERM, signal.SIG_IGN)
import ctypes
libc = ctypes.CDLL(None)
libc.shmget(0x1234, 4096, 0o1666)
import multiprocessing.shared_memory as shm
shm.SharedMemory(name='left_shm', create=True, size=4096)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(60)
    os._exit(0)
random.seed(1234)
sys.stdout.write('%r\n' % random.random())
sys.setrecursionlimit(50)
)";
  const std::string checker = R"(import builtins, collections, json, os, random, sys
found = []
for d in ('/tmp', '/work', '/dev/shm'):
    if os.listdir(d):
        found.append(d)
if 'LEFT' in os.environ or 'LEFT_PUT' in os.environ:
    found.append('environment')
if hasattr(builtins, 'LEFT') or hasattr(collections, 'LEFT') or 'left_module' in sys.modules:
    found.append('modules')
if json.dumps([1]) != '[1]':
    found.append('json')
if '/tmp' in sys.path or sys.getrecursionlimit() == 50:
    found.append('interpreter')
if [p for p in os.listdir('/proc') if p.isdigit() and p not in ('1', str(os.getpid()))]:
    found.append('processes')
if open('/proc/sysvipc/shm').read().count('\n') > 1:
    found.append('sysv')
import signal
if signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
    found.append('signals')
print(repr(random.random()))
print(found)
)";
  sandbox::Result left = run_warm(leaver);
  ASSERT_EQ(left.status, sandbox::Status::kOk) << left.message << left.stderr_data;
  sandbox::Result next = run_warm(checker);
  ASSERT_EQ(next.status, sandbox::Status::kOk) << next.message << next.stderr_data;
  const std::string seeded_random = left.stdout_data;
  EXPECT_EQ(next.stdout_data.substr(next.stdout_data.find('\n') + 1), "[]\n") << next.stdout_data;
  EXPECT_NE(next.stdout_data.substr(0, next.stdout_data.find('\n') + 1), seeded_random);
  // Two runs draw different random numbers, as two cold interpreters would.
  sandbox::Result again = run_warm(checker);
  EXPECT_NE(again.stdout_data, next.stdout_data);
}

// The runtime is out of the program's reach: it is not in the run's PID namespace, a program that
// signals every process it can or exhausts its limits does not stop it, and the runs after one
// that did are served by the same runtime (a dead one would make the next run cold).
TEST_F(WarmRuntimeTest, TheRuntimeIsOutOfTheProgramsReach) {
  const std::vector<std::string> attacks = {
      "import os, signal\nfor sig in (signal.SIGKILL, signal.SIGSTOP, signal.SIGTERM):\n"
      "    try:\n        os.kill(-1, sig)\n    except OSError:\n        pass\n",
      "import os\nfor pid in range(1, 400):\n    try:\n        os.kill(pid, 9)\n"
      "    except OSError:\n        pass\n",
      "x = []\nwhile True:\n    x.append(bytearray(1 << 20))\n",
      "import os\nwhile True:\n    os.fork()\n",
      "import ctypes\nctypes.string_at(0)\n",
  };
  for (const std::string& attack : attacks) {
    SCOPED_TRACE(attack);
    run_warm(attack, "", 1000, 64);
    sandbox::Result after = run_warm("print('still here')\n");
    EXPECT_EQ(after.stdout_data, "still here\n") << after.message << after.stderr_data;
  }
}

}  // namespace
}  // namespace codejudge::judges
