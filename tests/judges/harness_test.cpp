// The harness generators, tested by running what they generate with the host toolchains
// (python3, node, g++, javac/java) directly, without the sandbox. Compiled programs are cached
// on disk by content (see build()), so each is compiled once even though ctest runs every test
// in a process of its own.
#include "codejudge/judges/harness.h"

#include "codejudge/judges/checker.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace codejudge::judges {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Process helpers

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_file(const fs::path& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

bool have_tool(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// One scratch directory for the whole run, removed at exit.
const fs::path& scratch_root() {
  struct Root {
    fs::path path;
    Root() {
      std::string templ = (fs::temp_directory_path() / "codejudge-harness-XXXXXX").string();
      if (mkdtemp(templ.data()) != nullptr) path = templ;
    }
    ~Root() {
      std::error_code ec;
      if (!path.empty()) fs::remove_all(path, ec);
    }
  };
  static Root root;
  return root.path;
}

fs::path fresh_dir(const std::string& name) {
  static std::mutex mutex;
  static int counter = 0;
  std::lock_guard lock(mutex);
  fs::path dir = scratch_root() / (name + "-" + std::to_string(counter++));
  fs::create_directories(dir);
  return dir;
}

struct Output {
  int exit_code = -1;  // 128 + signal when the shell saw the program die of a signal
  std::string out;
  std::string err;
};

// Runs a shell command in dir with stdin from a file; capped at 60 s of wall time.
Output run_in(const fs::path& dir, const std::string& command, std::string_view stdin_data) {
  write_file(dir / "stdin.txt", stdin_data);
  std::string shell =
      "cd '" + dir.string() + "' && timeout 60 " + command + " <stdin.txt >stdout.txt 2>stderr.txt";
  int status = std::system(shell.c_str());
  Output output;
  output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  output.out = read_file(dir / "stdout.txt");
  output.err = read_file(dir / "stderr.txt");
  return output;
}

// A generated program's source; a python harness (harness.py) also gets the main.py that the
// judge's byte-compile step writes, so it runs from its source here.
void write_python_harness_or_source(const fs::path& dir, const GeneratedSource& generated) {
  write_file(dir / generated.file_name, generated.source);
  if (generated.file_name == "harness.py") {
    write_file(dir / "main.py", "import harness\nharness.main()\n");
  }
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// ---------------------------------------------------------------------------------------------
// Function mode: building and calling generated programs

struct Built {
  fs::path dir;              // the artifacts; tests run them from scratch directories of their own
  std::string run;           // the command that runs it, with absolute paths
  std::string stdin_prefix;  // Python: the submission and its problem, as data
  bool ok = false;
  std::string error;  // generator or compiler messages
};

problems::Signature signature(std::string returns,
                              std::vector<std::pair<std::string, std::string>> params) {
  problems::Signature sig;
  sig.returns = std::move(returns);
  for (auto& [name, type] : params) sig.params.push_back({name, type});
  return sig;
}

// ctest runs every test in a process of its own, so successful builds are cached on disk next to
// the test binary, keyed by the generated source and the compile command: a C++ or Java program
// is compiled once per harness change, not once per test.
fs::path cache_root() {
  static const fs::path root = [] {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    fs::path dir = ec ? scratch_root() / "cache" : exe.parent_path() / "harness_test_cache";
    fs::create_directories(dir, ec);
    // Entries unused for two weeks (older harness versions) and abandoned builds go.
    const auto now = fs::file_time_type::clock::now();
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      auto age = now - entry.last_write_time(ec);
      bool abandoned =
          entry.path().filename().string().starts_with("tmp-") && age > std::chrono::hours(1);
      if (!ec && (abandoned || age > std::chrono::hours(24 * 14))) fs::remove_all(entry, ec);
    }
    return dir;
  }();
  return root;
}

std::string content_key(std::string_view text) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

// argv as one shell command line, every argument quoted.
std::string shell_command(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& arg : argv) {
    if (!line.empty()) line += ' ';
    line += '\'';
    for (char c : arg) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

// A run command with the directory of the artifacts where the judge mounts them (kBoxDir).
std::vector<std::string> in_dir(std::vector<std::string> argv, const fs::path& dir) {
  for (std::string& arg : argv) {
    if (arg == kBoxDir || arg.starts_with(std::string(kBoxDir) + "/")) {
      arg = dir.string() + arg.substr(kBoxDir.size());
    }
  }
  return argv;
}

// The memory a generated program may use, for the JVM's heap.
constexpr uint64_t kRunMemoryBytes = 1ull << 30;

// Generates and compiles (or syntax-checks, as the judge does) a function program with the
// language table's commands.
Built build(const std::string& language, const problems::Signature& sig, const std::string& entry,
            const std::string& preamble, const std::string& code) {
  Built built;
  auto generated = make_function_program(language, sig, entry, preamble, code, &built.error);
  if (!generated) return built;
  built.stdin_prefix = generated->stdin_prefix;
  // The language table's commands, as the judge runs them but outside the sandbox: the
  // harness's own recipe (python's byte-compile) or the language's compile.
  const Language& table_entry = *find_language(language);
  const std::string compile = shell_command(generated->compile.argv.empty()
                                                ? table_entry.compile_command(generated->file_name)
                                                : generated->compile.argv);
  const fs::path root = cache_root();
  built.dir = root / (language + "-" + content_key(compile + "\n" + generated->source));
  if (!fs::exists(built.dir / "built.ok")) {
    std::string templ = (root / "tmp-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) {
      built.error = "mkdtemp failed";
      return built;
    }
    fs::path work = templ;
    write_python_harness_or_source(work, *generated);
    Output compiled = run_in(work, compile, "");
    std::error_code ec;
    if (compiled.exit_code != 0) {
      built.error = compiled.err + compiled.out;
      fs::remove_all(work, ec);
      return built;
    }
    write_file(work / "built.ok", "");
    fs::rename(work, built.dir, ec);  // another process may have won the race: use its copy
    if (ec) fs::remove_all(work, ec);
  }
  built.ok = true;
  std::error_code ec;
  fs::last_write_time(built.dir, fs::file_time_type::clock::now(), ec);  // in use: keep it
  built.run = shell_command(in_dir(table_entry.run_argv(kRunMemoryBytes), built.dir));
  return built;
}

struct Called {
  Output raw;
  std::map<size_t, std::string> results;
};

Called call(const Built& built, const std::vector<std::string>& argument_lines) {
  std::string token = make_token();
  Called called;
  called.raw = run_in(fresh_dir("run"), built.run,
                      built.stdin_prefix + function_stdin(token, argument_lines));
  for (auto& [index, line] : parse_result_lines(called.raw.out, token).by_index) {
    called.results[index] = line.value;
  }
  return called;
}

// Structural equality; numbers compare by value (6 == 6.0), so languages may differ in form.
void expect_json(const std::map<size_t, std::string>& results, size_t index,
                 const std::string& expected) {
  auto it = results.find(index);
  ASSERT_NE(it, results.end()) << "no result for test " << index;
  json actual = json::parse(it->second, nullptr, false);
  ASSERT_FALSE(actual.is_discarded()) << "not JSON: " << it->second;
  EXPECT_EQ(actual, json::parse(expected)) << "test " << index << " wrote " << it->second;
}

// ---------------------------------------------------------------------------------------------
// The scenarios: one signature, a submission per language.

struct Scenario {
  problems::Signature sig;
  std::string entry;
  std::map<std::string, std::string> code;  // language -> submission
};

// Every argument type but the nodes, and a list[str] result with escapes. Mutates nums[0] (so a
// leak between tests would show in the sum), prints without a newline, throws when a == -1.
Scenario describe_scenario() {
  Scenario s;
  s.sig = signature("list[str]", {{"a", "int"},
                                  {"b", "long"},
                                  {"c", "float"},
                                  {"d", "bool"},
                                  {"s", "str"},
                                  {"nums", "list[int]"},
                                  {"grid", "list[list[int]]"},
                                  {"words", "list[str]"}});
  s.entry = "Solution().describe";
  s.code["python"] = R"PY(from __future__ import annotations


class Solution:
    def describe(self, a: int, b: int, c: float, d: bool, s: str, nums: List[int],
                 grid: List[List[int]], words: List[str]) -> List[str]:
        print("noise", end="")
        if a == -1:
            raise ValueError("boom")
        nums[0] += 100
        return [s, "|".join(words), str(a + b), str(sum(nums)),
                str(sum(len(row) for row in grid)), "yes" if d else "no",
                "big" if c > 1.25 else "small"]


if __name__ == "__main__":
    raise SystemExit("a demo block must not run")
)PY";
  s.code["javascript"] = R"JS(/**
 * @param {number} a
 * @return {string[]}
 */
var describe = function(a, b, c, d, s, nums, grid, words) {
  process.stdout.write("noise");
  if (a === -1) throw new Error("boom");
  nums[0] += 100;
  return [s, words.join("|"), String(a + b), String(nums.reduce((x, y) => x + y, 0)),
          String(grid.reduce((x, row) => x + row.length, 0)), d ? "yes" : "no",
          c > 1.25 ? "big" : "small"];
};
)JS";
  s.code["cpp"] =
      R"CPP(class Solution {
             public:
              vector<string> describe(int a, long long b, double c, bool d, string s,
                                      vector<int>& nums, const vector<vector<int>>& grid,
                                      vector<string> words) {
                cout << "noise";
                if (a == -1) throw runtime_error("boom");
                nums[0] += 100;
                string joined;
                for (size_t i = 0; i < words.size(); ++i) joined += (i ? "|" : "") + words[i];
                long long total = accumulate(nums.begin(), nums.end(), 0LL);
                size_t cells = 0;
                for (const auto& row : grid) cells += row.size();
                return {s,
                        joined,
                        to_string(a + b),
                        to_string(total),
                        to_string(cells),
                        d ? "yes" : "no",
                        c > 1.25 ? "big" : "small"};
              }
            };
      )CPP";
  // A package line, an import, public classes and a demo Main: all must still compile.
  s.code["java"] = R"JAVA(package demo.solutions;

import java.util.stream.Collectors;

public class Solution {
    public List<String> describe(int a, long b, double c, boolean d, String s, int[] nums,
                                 List<List<Integer>> grid, String[] words) {
        System.out.print("noise");
        if (a == -1) throw new IllegalStateException("boom");
        nums[0] += 100;
        long total = Arrays.stream(nums).asLongStream().sum();
        int cells = grid.stream().collect(Collectors.summingInt(List::size));
        return List.of(s, String.join("|", words), String.valueOf(a + b), String.valueOf(total),
                       String.valueOf(cells), d ? "yes" : "no", c > 1.25 ? "big" : "small");
    }
}

public class Main {
    public static void main(String[] args) {
        System.out.println("the submission's own Main must not run");
    }
}
)JAVA";
  return s;
}

// Floats: shortest round-trip output, NaN and infinity as null.
Scenario scale_scenario() {
  Scenario s;
  s.sig = signature("float", {{"x", "float"}, {"k", "int"}});
  s.entry = "Solution().scale";
  s.code["python"] = R"PY(class Solution:
    def scale(self, x, k):
        if k == -1:
            return float("nan")
        if k == -2:
            return float("-inf")
        return x * k
)PY";
  s.code["javascript"] = R"JS(class Solution {
  scale(x, k) {
    if (k === -1) return NaN;
    if (k === -2) return -Infinity;
    return x * k;
  }
}
)JS";
  s.code["cpp"] = R"CPP(class Solution {
                         public:
                          double scale(double x, int k) const {
                            if (k == -1) return NAN;
                            if (k == -2) return -INFINITY;
                            return x * k;
                          }
                        };
  )CPP";
  s.code["java"] = R"JAVA(class Solution {
    public double scale(double x, int k) {
        if (k == -1) return Double.NaN;
        if (k == -2) return Double.NEGATIVE_INFINITY;
        return x * k;
    }
}
)JAVA";
  return s;
}

// A free-function entry point with 64-bit values.
Scenario add_scenario() {
  Scenario s;
  s.sig = signature("long", {{"a", "long"}, {"b", "long"}});
  s.entry = "add";
  s.code["python"] = "def add(a, b):\n    return a + b\n";
  s.code["javascript"] = "function add(a, b) {\n  return a + b;\n}\n";
  s.code["cpp"] = "long long add(long long a, long long b) { return a + b; }\n";
  // Java has no free functions: a static (here package-private) method of Solution.
  s.code["java"] = "class Solution {\n    static long add(long a, long b) { return a + b; }\n}\n";
  return s;
}

// ListNode in and out, with LeetCode's commented-out definition in the submission.
Scenario reverse_scenario() {
  Scenario s;
  s.sig = signature("ListNode", {{"head", "ListNode"}});
  s.entry = "Solution().reverseList";
  s.code["python"] = R"PY(# Definition for singly-linked list.
# class ListNode:
#     def __init__(self, val=0, next=None):
#         self.val = val
#         self.next = next
class Solution:
    def reverseList(self, head: Optional[ListNode]) -> Optional[ListNode]:
        prev = None
        while head:
            head.next, prev, head = prev, head, head.next
        return prev
)PY";
  s.code["javascript"] = R"JS(/**
 * Definition for singly-linked list.
 * function ListNode(val, next) {
 *     this.val = (val===undefined ? 0 : val)
 *     this.next = (next===undefined ? null : next)
 * }
 */
var reverseList = function(head) {
  let prev = null;
  while (head) {
    const next = head.next;
    head.next = prev;
    prev = head;
    head = next;
  }
  return prev;
};
)JS";
  // The competitive-programming `#define int long long` must not break the driver.
  s.code["cpp"] = R"CPP(/**
                         * Definition for singly-linked list.
                         * struct ListNode {
                         *     int val;
                         *     ListNode *next;
                         *     ListNode(int x) : val(x), next(nullptr) {}
                         * };
                         */
#define int long long
                        class Solution {
                         public:
                          ListNode* reverseList(ListNode* head) {
                            ListNode* prev = nullptr;
                            while (head) {
                              ListNode* next = head->next;
                              head->next = prev;
                              prev = head;
                              head = next;
                            }
                            return prev;
                          }
                        };
  )CPP";
  s.code["java"] = R"JAVA(/**
 * Definition for singly-linked list.
 * public class ListNode {
 *     int val;
 *     ListNode next;
 * }
 */
class Solution {
    public ListNode reverseList(ListNode head) {
        ListNode prev = null;
        while (head != null) {
            ListNode next = head.next;
            head.next = prev;
            prev = head;
            head = next;
        }
        return prev;
    }
}
)JAVA";
  return s;
}

// TreeNode in and out, with the submission's own (old-style) TreeNode definition.
Scenario invert_scenario() {
  Scenario s;
  s.sig = signature("TreeNode", {{"root", "TreeNode"}});
  s.entry = "Solution().invertTree";
  s.code["python"] = R"PY(class TreeNode(object):
    def __init__(self, x):
        self.val = x
        self.left = None
        self.right = None


class Solution:
    def invertTree(self, root):
        if root:
            root.left, root.right = self.invertTree(root.right), self.invertTree(root.left)
        return root
)PY";
  s.code["javascript"] = R"JS(class TreeNode {
  constructor(val, left, right) {
    this.val = val ?? 0;
    this.left = left ?? null;
    this.right = right ?? null;
  }
}
var invertTree = function(root) {
  if (root) [root.left, root.right] = [invertTree(root.right), invertTree(root.left)];
  return root;
};
)JS";
  s.code["cpp"] = R"CPP(struct TreeNode {
                          int val;
                          TreeNode* left;
                          TreeNode* right;
                          TreeNode(int x) : val(x), left(NULL), right(NULL) {}
                        };
                        class Solution {
                         public:
                          TreeNode* invertTree(TreeNode* root) {
                            if (root) {
                              swap(root->left, root->right);
                              invertTree(root->left);
                              invertTree(root->right);
                            }
                            return root;
                          }
                        };
  )CPP";
  s.code["java"] = R"JAVA(class TreeNode {
    int val;
    TreeNode left, right;
    TreeNode(int x) { val = x; }
}
class Solution {
    public TreeNode invertTree(TreeNode root) {
        if (root != null) {
            TreeNode t = root.left;
            root.left = invertTree(root.right);
            root.right = invertTree(t);
        }
        return root;
    }
}
)JAVA";
  return s;
}

// "returns": "void": the harness prints the first argument after the call.
Scenario flip_scenario() {
  Scenario s;
  s.sig = signature("void", {{"bits", "list[bool]"}});
  s.entry = "Solution().flip";
  s.code["python"] = R"PY(class Solution:
    def flip(self, bits: List[bool]) -> None:
        for i in range(len(bits)):
            bits[i] = not bits[i]
)PY";
  s.code["javascript"] = R"JS(var flip = function(bits) {
  for (let i = 0; i < bits.length; i++) bits[i] = !bits[i];
};
)JS";
  s.code["cpp"] = R"CPP(class Solution {
                         public:
                          void flip(vector<bool>& bits) {
                            for (auto&& bit : bits) bit = !bit;
                          }
                        };
  )CPP";
  s.code["java"] = R"JAVA(class Solution {
    public void flip(boolean[] bits) {
        for (int i = 0; i < bits.length; i++) bits[i] = !bits[i];
    }
}
)JAVA";
  return s;
}

// list[ListNode] in, ListNode out.
Scenario merge_scenario() {
  Scenario s;
  s.sig = signature("ListNode", {{"lists", "list[ListNode]"}});
  s.entry = "Solution().mergeKLists";
  s.code["python"] = R"PY(class Solution:
    def mergeKLists(self, lists: List[Optional[ListNode]]) -> Optional[ListNode]:
        values = []
        for node in lists:
            while node:
                values.append(node.val)
                node = node.next
        head = None
        for v in sorted(values, reverse=True):
            head = ListNode(v, head)
        return head
)PY";
  s.code["javascript"] = R"JS(var mergeKLists = function(lists) {
  const values = [];
  for (let node of lists) for (; node; node = node.next) values.push(node.val);
  values.sort((x, y) => y - x);
  let head = null;
  for (const v of values) head = new ListNode(v, head);
  return head;
};
)JS";
  s.code["cpp"] = R"CPP(class Solution {
                         public:
                          ListNode* mergeKLists(vector<ListNode*>& lists) {
                            vector<int> values;
                            for (ListNode* node : lists)
                              for (; node; node = node->next) values.push_back(node->val);
                            sort(values.rbegin(), values.rend());
                            ListNode* head = nullptr;
                            for (int v : values) head = new ListNode(v, head);
                            return head;
                          }
                        };
  )CPP";
  s.code["java"] = R"JAVA(class Solution {
    public ListNode mergeKLists(ListNode[] lists) {
        List<Integer> values = new ArrayList<>();
        for (ListNode node : lists)
            for (; node != null; node = node.next) values.add(node.val);
        values.sort(Comparator.reverseOrder());
        ListNode head = null;
        for (int v : values) head = new ListNode(v, head);
        return head;
    }
}
)JAVA";
  return s;
}

const std::map<std::string, Scenario>& scenarios() {
  static const std::map<std::string, Scenario> all = {
      {"describe", describe_scenario()}, {"scale", scale_scenario()},   {"add", add_scenario()},
      {"reverse", reverse_scenario()},   {"invert", invert_scenario()}, {"flip", flip_scenario()},
      {"merge", merge_scenario()},
  };
  return all;
}

// The toolchains a language's programs need here: its compiler and the runtime its run command
// starts (none for a native binary).
std::vector<std::string> tools_for(const std::string& language) {
  const Language& table_entry = *find_language(language);
  std::vector<std::string> tools = {table_entry.tool};
  const std::vector<std::string> run = table_entry.run_argv(kRunMemoryBytes);
  if (!run.empty() && !run[0].starts_with(kBoxDir)) tools.push_back(run[0]);
  return tools;
}

// The languages that have a function harness, in table order.
std::vector<std::string> function_languages() {
  std::vector<std::string> names;
  for (const Language& language : all_languages()) {
    if (mode_supports(problems::Mode::kFunction, language.name)) names.push_back(language.name);
  }
  return names;
}

class FunctionHarness : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (const std::string& tool : tools_for(GetParam())) {
      if (!have_tool(tool)) GTEST_SKIP() << tool << " is not installed";
    }
  }

  // The language's program for a scenario, built on first use.
  const Built& program(const std::string& scenario) {
    static std::map<std::string, Built> built;
    const std::string key = GetParam() + "/" + scenario;
    if (!built.contains(key)) {
      const Scenario& s = scenarios().at(scenario);
      built[key] = build(GetParam(), s.sig, s.entry, "", s.code.at(GetParam()));
    }
    return built[key];
  }

  bool typed() const { return GetParam() == "cpp" || GetParam() == "java"; }
};

#define REQUIRE_BUILT(built) \
  ASSERT_TRUE((built).ok) << "build failed in " << (built).dir << ":\n" << (built).error

constexpr std::string_view kDescribeArgs =
    R"([7, 3000000000, 2.5, true, "q\"\\\n\u00e9\u4e2d\ud83d\ude00\t\u0001", [1, 2, 3],)"
    R"( [[1, 2], [3]], ["x", "y z"]])";
constexpr std::string_view kDescribeResult =
    R"(["q\"\\\n\u00e9\u4e2d\ud83d\ude00\t\u0001", "x|y z", "3000000007", "106", "3", "yes",)"
    R"( "big"])";

TEST_P(FunctionHarness, EveryArgumentTypeAndEscapedStringsRoundTrip) {
  const Built& p = program("describe");
  REQUIRE_BUILT(p);
  Called c = call(p, {std::string(kDescribeArgs), R"([1, 2, 0.5, false, "", [0], [], []])"});
  EXPECT_EQ(c.raw.exit_code, 0) << c.raw.err;
  ASSERT_EQ(c.results.size(), 2u) << c.raw.out;
  expect_json(c.results, 0, std::string(kDescribeResult));
  expect_json(c.results, 1, R"(["", "", "3", "100", "0", "no", "small"])");
}

TEST_P(FunctionHarness, MutationsDoNotLeakBetweenTestsOfABatch) {
  const Built& p = program("describe");
  REQUIRE_BUILT(p);
  std::string args(kDescribeArgs);
  Called c = call(p, {args, args, args});
  EXPECT_EQ(c.raw.exit_code, 0) << c.raw.err;
  ASSERT_EQ(c.results.size(), 3u) << c.raw.out;
  for (size_t i = 0; i < 3; ++i) expect_json(c.results, i, std::string(kDescribeResult));
}

TEST_P(FunctionHarness, SubmissionOutputWithoutNewlineDoesNotHideResults) {
  const Built& p = program("describe");
  REQUIRE_BUILT(p);
  Called c = call(p, {std::string(kDescribeArgs)});
  EXPECT_EQ(c.raw.exit_code, 0) << c.raw.err;
  EXPECT_NE(c.raw.out.find("noise"), std::string::npos);
  EXPECT_EQ(c.results.size(), 1u) << c.raw.out;
}

TEST_P(FunctionHarness, ExceptionExitsNonZeroAfterTheEarlierResults) {
  const Built& p = program("describe");
  REQUIRE_BUILT(p);
  Called c = call(p, {std::string(kDescribeArgs), R"([-1, 0, 0, false, "", [0], [], []])",
                      std::string(kDescribeArgs)});
  EXPECT_NE(c.raw.exit_code, 0);
  EXPECT_NE(c.raw.exit_code, kHarnessExitCode);
  EXPECT_FALSE(starts_with(c.raw.err, kHarnessStderrPrefix)) << c.raw.err;
  EXPECT_EQ(c.results.size(), 1u) << c.raw.out;
  expect_json(c.results, 0, std::string(kDescribeResult));
}

TEST_P(FunctionHarness, MalformedArgumentLinesAreAHarnessError) {
  const Built& p = program("describe");
  REQUIRE_BUILT(p);
  for (std::string bad : {
           std::string("[1, 2]"),                                             // wrong arity
           std::string("not json"),                                           // not JSON
           std::string(R"({"a": 1})"),                                        // not an array
           std::string(R"([1, 2, 0.5, false, "", [0], [], [3]])"),            // list[str] holds 3
           std::string(R"([1.5, 2, 0.5, false, "", [0], [], []])"),           // int is 1.5
           std::string(R"([1, 2, 0.5, 1, "", [0], [], []])"),                 // bool is 1
           std::string(R"([1, 2, 0.5, false, "\ud83d\ude0", [0], [], []])"),  // bad escape
       }) {
    Called c = call(p, {bad});
    EXPECT_EQ(c.raw.exit_code, kHarnessExitCode) << bad << "\n" << c.raw.err;
    EXPECT_TRUE(starts_with(c.raw.err, kHarnessStderrPrefix)) << bad << "\n" << c.raw.err;
    EXPECT_TRUE(c.results.empty()) << bad;
  }
}

TEST_P(FunctionHarness, AnArgumentTheSubmissionsOwnTypeCannotHoldIsItsError) {
  if (!typed()) GTEST_SKIP() << "only C++ and Java have fixed-width parameters";
  const Built& p = program("describe");
  REQUIRE_BUILT(p);
  // 2^40 is a valid "int" argument for the problem but does not fit a C++/Java int.
  Called c = call(p, {R"([1099511627776, 2, 0.5, false, "", [0], [], []])"});
  EXPECT_EQ(c.raw.exit_code, 1) << c.raw.err;
  EXPECT_TRUE(starts_with(c.raw.err, "codejudge: ")) << c.raw.err;
  EXPECT_NE(c.raw.err.find("does not fit"), std::string::npos) << c.raw.err;
}

TEST_P(FunctionHarness, FloatsRoundTripAsFloatsAndNonFiniteAsTokens) {
  const Built& p = program("scale");
  REQUIRE_BUILT(p);
  Called c = call(
      p, {"[0.1, 3]", "[1.5, 3]", "[1e300, 10]", "[3, 2]", "[2.5, -1]", "[1, -2]", "[5e-324, 1]"});
  EXPECT_EQ(c.raw.exit_code, 0) << c.raw.err;
  const std::vector<double> expected = {0.1 * 3, 1.5 * 3, 1e300 * 10, 6.0};
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_TRUE(c.results.contains(i)) << c.raw.out;
    json value = json::parse(c.results[i]);
    ASSERT_TRUE(value.is_number()) << c.results[i];
    EXPECT_EQ(value.get<double>(), expected[i]) << c.results[i];  // exact: shortest round trip
  }
  // An integral float is still written as a float, so the judge can tell it from an integer;
  // JavaScript's numbers cannot tell them apart.
  if (GetParam() != "javascript") {
    EXPECT_NE(c.results[3].find_first_of(".eE"), std::string::npos) << c.results[3];
  }
  EXPECT_EQ(c.results[4], "NaN");
  EXPECT_EQ(c.results[5], "-Infinity");
  ASSERT_TRUE(c.results.contains(6));
  EXPECT_EQ(json::parse(c.results[6]).get<double>(), 5e-324) << c.results[6];
  // What the judge makes of them.
  const ValueType float_type{ValueType::Kind::kFloat, 0};
  EXPECT_TRUE(check_value("\"NaN\"", c.results[4], float_type, 1e-6, 1e-6).accepted);
  EXPECT_TRUE(check_value("\"-Infinity\"", c.results[5], float_type, 1e-6, 1e-6).accepted);
  const bool accepted_as_int = check_value("6", c.results[3], ValueType{}, 0, 0).accepted;
  EXPECT_EQ(accepted_as_int, GetParam() == "javascript") << c.results[3];
}

TEST_P(FunctionHarness, LongValuesThroughAFreeFunction) {
  const Built& p = program("add");
  REQUIRE_BUILT(p);
  std::vector<std::string> args = {"[4000000000, 5000000000]", "[-3000000000, 1]"};
  // JavaScript numbers are doubles: 2^63-sized values are exact only elsewhere.
  if (GetParam() != "javascript") args.push_back("[9000000000000000000, 1]");
  Called c = call(p, args);
  EXPECT_EQ(c.raw.exit_code, 0) << c.raw.err;
  expect_json(c.results, 0, "9000000000");
  expect_json(c.results, 1, "-2999999999");
  if (GetParam() != "javascript") {
    ASSERT_TRUE(c.results.contains(2));
    EXPECT_EQ(c.results[2], "9000000000000000001");
  }
}

TEST_P(FunctionHarness, LinkedListsInAndOut) {
  const Built& p = program("reverse");
  REQUIRE_BUILT(p);
  Called c = call(p, {"[[1, 2, 3]]", "[[]]", "[[-5]]"});
  EXPECT_EQ(c.raw.exit_code, 0) << c.raw.err;
  expect_json(c.results, 0, "[3, 2, 1]");
  expect_json(c.results, 1, "[]");
  expect_json(c.results, 2, "[-5]");
}

TEST_P(FunctionHarness, TreesInAndOutInLevelOrderWithNulls) {
  const Built& p = program("invert");
  REQUIRE_BUILT(p);
  Called c = call(p, {"[[4, 2, 7, 1, 3, 6, 9]]", "[[1, null, 2, 3]]", "[[]]", "[[1]]",
                      "[[5, 4, 8, 11, null, 13, 4, 7, 2, null, null, null, 1]]"});
  EXPECT_EQ(c.raw.exit_code, 0) << c.raw.err;
  expect_json(c.results, 0, "[4, 7, 2, 9, 6, 3, 1]");
  expect_json(c.results, 1, "[1, 2, null, null, 3]");
  expect_json(c.results, 2, "[]");
  expect_json(c.results, 3, "[1]");
  expect_json(c.results, 4, "[5, 8, 4, 4, 13, null, 11, 1, null, null, null, 2, 7]");
  // Values past the last child slot are ignored, as LeetCode's builders (and LeetCodeDataset's
  // tree_node, which made its expected outputs) do.
  Called padded = call(
      p, {"[[1, 2, null, null, null, null, null]]", "[[null, null]]", "[[1, null, null, 3, 4]]"});
  EXPECT_EQ(padded.raw.exit_code, 0) << padded.raw.err;
  expect_json(padded.results, 0, "[1, null, 2]");
  expect_json(padded.results, 1, "[]");
  expect_json(padded.results, 2, "[1]");
  Called bad = call(p, {"[[1, \"2\"]]"});
  EXPECT_EQ(bad.raw.exit_code, kHarnessExitCode) << bad.raw.err;
}

TEST_P(FunctionHarness, VoidPrintsTheFirstArgumentAfterTheCall) {
  const Built& p = program("flip");
  REQUIRE_BUILT(p);
  Called c = call(p, {"[[true, false, false]]", "[[]]"});
  EXPECT_EQ(c.raw.exit_code, 0) << c.raw.err;
  expect_json(c.results, 0, "[false, true, true]");
  expect_json(c.results, 1, "[]");
}

TEST_P(FunctionHarness, ListsOfLinkedLists) {
  const Built& p = program("merge");
  REQUIRE_BUILT(p);
  Called c = call(p, {"[[[1, 4, 5], [1, 3, 4], [2, 6]]]", "[[]]", "[[[]]]"});
  EXPECT_EQ(c.raw.exit_code, 0) << c.raw.err;
  expect_json(c.results, 0, "[1, 1, 2, 3, 4, 4, 5, 6]");
  expect_json(c.results, 1, "[]");
  expect_json(c.results, 2, "[]");
}

INSTANTIATE_TEST_SUITE_P(Languages, FunctionHarness, ::testing::ValuesIn(function_languages()),
                         [](const auto& param_info) { return param_info.param; });

// ---------------------------------------------------------------------------------------------
// Function mode: language-specific behaviour

TEST(FunctionHarnessPython, ConvertsResultsToTheDeclaredTypeWhenLossless) {
  if (!have_tool("python3")) GTEST_SKIP() << "python3 is not installed";
  Built b = build("python", signature("bool", {{"n", "int"}}), "Solution().f", "",
                  "class Solution:\n    def f(self, n):\n        return n\n");
  REQUIRE_BUILT(b);
  Called c = call(b, {"[1]", "[0]", "[2]"});
  EXPECT_EQ(c.raw.exit_code, 0) << c.raw.err;
  EXPECT_EQ(c.results[0], "true");
  EXPECT_EQ(c.results[1], "false");
  EXPECT_EQ(c.results[2], "2");  // not a bool: written as it is

  Built f = build("python", signature("list[float]", {{"n", "int"}}), "f", "",
                  "def f(n):\n    return (n, 2.5, True)\n");
  REQUIRE_BUILT(f);
  Called cf = call(f, {"[3]"});
  EXPECT_EQ(cf.results[0], "[3.0,2.5,true]");
}

TEST(FunctionHarnessPython, FreshSolutionPerTestAndPreambleBeforeSubmission) {
  if (!have_tool("python3")) GTEST_SKIP() << "python3 is not installed";
  std::string preamble = "OFFSET = 1000\n";
  std::string code =
      "class Solution:\n"
      "    calls = 0\n"
      "    def __init__(self):\n"
      "        self.mine = 0\n"
      "    def f(self, n):\n"
      "        self.mine += 1\n"
      "        Solution.calls += 1\n"
      "        return OFFSET + 10 * self.mine + Solution.calls + n\n";
  Built b = build("python", signature("int", {{"n", "int"}}), "Solution().f", preamble, code);
  REQUIRE_BUILT(b);
  Called c = call(b, {"[0]", "[0]"});
  EXPECT_EQ(c.results[0], "1011");
  EXPECT_EQ(c.results[1], "1012");  // the class attribute persists, the instance is new
}

TEST(FunctionHarnessPython, SubmissionSyntaxErrorsAreReportedAsCompileErrors) {
  if (!have_tool("python3")) GTEST_SKIP() << "python3 is not installed";
  const std::vector<std::string> codes = {
      "def f(n):\n    return n +\n",
      // behind a __future__ import, which must open a file
      "from __future__ import annotations\ndef f(n):\n    return n +\n",
      std::string("def f(n):\n    return n\0\n", 24)};
  for (const std::string& code : codes) {
    Built b = build("python", signature("int", {{"n", "int"}}), "f", "", code);
    REQUIRE_BUILT(b);  // the harness itself always compiles
    Called c = call(b, {"[1]"});
    EXPECT_EQ(c.raw.exit_code, kCompileErrorExitCode) << c.raw.err;
    EXPECT_EQ(c.raw.err.rfind(kCompileErrorStderrPrefix, 0), 0u) << c.raw.err;
    EXPECT_TRUE(c.results.empty());
  }
  Built b =
      build("python", signature("int", {{"n", "int"}}), "f", "", "def f(n):\n    return n +\n");
  REQUIRE_BUILT(b);
  EXPECT_NE(call(b, {"[1]"}).raw.err.find("SyntaxError"), std::string::npos);
}

TEST(FunctionHarnessPython, ReturningAnUnserialisableValueIsTheSubmissionsError) {
  if (!have_tool("python3")) GTEST_SKIP() << "python3 is not installed";
  Built b = build("python", signature("list[int]", {{"n", "int"}}), "f", "",
                  "def f(n):\n    return {n}\n");
  REQUIRE_BUILT(b);
  Called c = call(b, {"[1]"});
  EXPECT_EQ(c.raw.exit_code, 1) << c.raw.err;
  EXPECT_TRUE(starts_with(c.raw.err, "codejudge: ")) << c.raw.err;
}

TEST(FunctionHarnessScripts, LeftoverThreadsAndTimersDoNotKeepTheProcessAlive) {
  if (have_tool("python3")) {
    Built b = build("python", signature("int", {{"n", "int"}}), "f", "",
                    "import threading, time\n"
                    "def f(n):\n"
                    "    threading.Thread(target=lambda: time.sleep(600)).start()\n"
                    "    return n\n");
    REQUIRE_BUILT(b);
    Called c = call(b, {"[4]"});
    EXPECT_EQ(c.raw.exit_code, 0) << c.raw.err;
    EXPECT_EQ(c.results[0], "4");
  }
  if (have_tool("node")) {
    Built b = build("javascript", signature("int", {{"n", "int"}}), "f", "",
                    "function f(n) {\n  setInterval(() => {}, 1000);\n  return n;\n}\n");
    REQUIRE_BUILT(b);
    Called c = call(b, {"[4]"});
    EXPECT_EQ(c.raw.exit_code, 0) << c.raw.err;
    EXPECT_EQ(c.results[0], "4");
  }
}

TEST(FunctionHarnessCpp, CompileErrorsSayWhatAndWhere) {
  if (!have_tool("g++")) GTEST_SKIP() << "g++ is not installed";
  // One compile, two errors: the entry point takes one parameter where the problem has two,
  // and a typo on the submission's line 4, which #line keeps as its own line number.
  Built b = build("cpp", signature("int", {{"a", "int"}, {"b", "int"}}), "Solution().f", "",
                  "class Solution {\npublic:\n    int f(int a) { return a; }\n"
                  "    int g() { return 1 }\n};\n");
  EXPECT_FALSE(b.ok);
  EXPECT_NE(b.error.find("codejudge: the entry point's parameter count"), std::string::npos)
      << b.error;
  EXPECT_NE(b.error.find("solution.cpp:4"), std::string::npos) << b.error;
}

// ---------------------------------------------------------------------------------------------
// Function mode: generation errors and the protocol helpers

TEST(HarnessTypes, ParsesEveryTypeAndSpellsItCanonically) {
  std::string error;
  for (const auto& [text, canonical] : std::vector<std::pair<std::string, std::string>>{
           {"int", "int"},
           {"long", "long"},
           {"float", "float"},
           {"double", "float"},
           {"bool", "bool"},
           {"str", "str"},
           {"ListNode", "ListNode"},
           {"Optional[TreeNode]", "TreeNode"},
           {"void", "void"},
           {"list[int]", "list[int]"},
           {"List[List[str]]", "list[list[str]]"},
           {" list[ list[ListNode] ] ", "list[list[ListNode]]"},
       }) {
    auto type = parse_type(text, &error);
    ASSERT_TRUE(type) << text << ": " << error;
    EXPECT_EQ(type_name(*type), canonical) << text;
  }
  auto nested = parse_type("list[list[long]]", &error);
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->base, ValueType::Kind::kLong);
  EXPECT_EQ(nested->list_depth, 2u);
}

TEST(HarnessTypes, RejectsUnknownAndMalformedTypes) {
  for (std::string bad : {"", "integer", "list[int", "list[]", "list[void]", "Optional[int]",
                          "dict[str,int]", "int]", "list[int]x", "ListNodes"}) {
    std::string error;
    EXPECT_FALSE(parse_type(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
  // Deep nesting is bounded.
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "list[";
  deep += "int";
  for (int i = 0; i < 100; ++i) deep += "]";
  EXPECT_FALSE(parse_type(deep, nullptr));
}

TEST(HarnessTypes, EntryPoints) {
  std::string error;
  auto method = parse_entry_point("Solution().twoSum", &error);
  ASSERT_TRUE(method) << error;
  EXPECT_EQ(method->class_name, "Solution");
  EXPECT_EQ(method->function, "twoSum");
  auto free = parse_entry_point("has_close_elements", &error);
  ASSERT_TRUE(free) << error;
  EXPECT_EQ(free->class_name, "");
  EXPECT_EQ(free->function, "has_close_elements");
  for (std::string bad : {"", "Solution().", "().f", "Solution.f", "f()", "a b", "1f",
                          "Solution().f; import os", "__import__('os').system('x')"}) {
    EXPECT_FALSE(parse_entry_point(bad, &error)) << bad;
  }
}

TEST(HarnessTypes, GenerationRejectsWhatItCannotRun) {
  std::string error;
  auto sig = signature("int", {{"a", "int"}});
  EXPECT_FALSE(make_function_program("rust", sig, "f", "", "", &error));
  EXPECT_NE(error.find("rust"), std::string::npos);
  EXPECT_FALSE(
      make_function_program("python", signature("int", {{"a", "integer"}}), "f", "", "", &error));
  EXPECT_NE(error.find("'a'"), std::string::npos) << error;
  EXPECT_FALSE(
      make_function_program("python", signature("int", {{"a", "void"}}), "f", "", "", &error));
  EXPECT_FALSE(make_function_program("python", signature("void", {}), "f", "", "", &error));
  EXPECT_FALSE(make_function_program("python", sig, "os.system", "", "", &error));
  EXPECT_FALSE(make_assert_program("python", "", "", "f(1)", false, &error));
  for (std::string language : {"python", "python3", "cpp", "c++", "java", "javascript", "js"}) {
    auto generated = make_function_program(language, sig, "f", "", "", &error);
    ASSERT_TRUE(generated) << language << ": " << error;
    EXPECT_FALSE(generated->source.empty());
  }
  EXPECT_EQ(make_function_program("java", sig, "f", "", "", &error)->file_name, "Main.java");
  EXPECT_EQ(make_function_program("cpp", sig, "f", "", "", &error)->file_name, "main.cpp");
}

TEST(HarnessProtocol, FunctionStdinIsOneLinePerTest) {
  EXPECT_EQ(function_stdin("t0k", {"[1,\n 2]", "[\"a\"]", "", "[]"}),
            "t0k\n[1,  2]\n[\"a\"]\nnull\n[]\n");
  EXPECT_EQ(function_stdin("t0k", {}), "t0k\n");
}

TEST(HarnessProtocol, ParsesOnlyTokenLinesAndKeepsTheFirstOfEachIndex) {
  std::string token = "abc123";
  std::string out =
      "noise abc123 0 [9]\n"
      "\nabc123 0 [1,2]\r\n"
      "abc123 x 5\n"
      "abc1234 1 7\n"
      "abc123 1 \"a b\"\n"
      "abc123 0 [3]\n"
      "abc123 2\n"
      "abc123 3 null";
  auto results = parse_result_lines(out, token).by_index;
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].value, "[1,2]");
  EXPECT_EQ(results[1].value, "\"a b\"");
  EXPECT_EQ(results[3].value, "null");
  EXPECT_TRUE(parse_result_lines(out, "").by_index.empty());
}

TEST(HarnessProtocol, SplitsTheSubmissionsOutputBetweenResultLines) {
  auto parsed = parse_result_lines("hello\n\ntok 0 1\n\ntok 1 2\npartial\ntok 2 3\nafter", "tok");
  ASSERT_EQ(parsed.by_index.size(), 3u);
  EXPECT_EQ(parsed.by_index[0].output, "hello\n");
  EXPECT_EQ(parsed.by_index[1].output, "");
  EXPECT_EQ(parsed.by_index[2].output, "partial");
  EXPECT_EQ(parsed.trailing, "after");
  EXPECT_EQ(parse_result_lines("no results\n", "tok").trailing, "no results\n");
}

TEST(HarnessProtocol, AssertStdinFramesEachTestBySize) {
  EXPECT_EQ(assert_stdin({"assert 1\n", "", "x = 'é'"}), "9\nassert 1\n0\n8\nx = 'é'");
  EXPECT_EQ(assert_stdin({}), "");
}

TEST(HarnessProtocol, AssertHeaderCarriesTheSubmissionAsData) {
  std::string error;
  auto generated =
      make_assert_program("python", "import re\n", "def f(): pass\n", "f", true, &error);
  ASSERT_TRUE(generated) << error;
  EXPECT_EQ(generated->stdin_prefix, "10 14 1 1\nimport re\ndef f(): pass\nf");
  // The program is the same for every submission: nothing of it is pasted into the source.
  auto other = make_assert_program("python", "", "x = 1\n", "Solution().g", false, &error);
  ASSERT_TRUE(other) << error;
  EXPECT_EQ(other->source, generated->source);
  EXPECT_EQ(other->stdin_prefix, "0 6 12 0\nx = 1\nSolution().g");
  EXPECT_EQ(generated->source.find("def f(): pass"), std::string::npos);
}

TEST(HarnessProtocol, ParsesAssertRecordsBySize) {
  std::string out =
      "cj out 0 12\ncj pass 9 0\n"  // what the submission printed, framed: not a record
      "cj pass 0 0\n"
      "cj out 1 3\nab\n"
      "cj wa 1 15\nAssertionError\n"
      "cj re 2 4\nboom"
      "cj pass 1 0\n"         // a repeated index keeps its first record
      "cj pass 3 99\nshort";  // cut by the output limit
  AssertRecords records = parse_assert_records(out);
  ASSERT_EQ(records.by_index.size(), 3u);
  EXPECT_EQ(records.by_index[0].verdict, Verdict::kAC);
  EXPECT_EQ(records.by_index[1].verdict, Verdict::kWA);
  EXPECT_EQ(records.by_index[1].message, "AssertionError\n");
  EXPECT_EQ(records.by_index[2].verdict, Verdict::kRE);
  EXPECT_EQ(records.by_index[2].message, "boom");
  EXPECT_EQ(records.output[0], "cj pass 9 0\n");
  EXPECT_EQ(records.output[1], "ab\n");
  EXPECT_FALSE(records.compile_error);
  EXPECT_FALSE(records.internal_error);

  AssertRecords ce = parse_assert_records("cj ce 0 11\nSyntaxError");
  EXPECT_EQ(ce.compile_error, "SyntaxError");
  AssertRecords ie = parse_assert_records("cj pass 0 0\ncj ie 1 3\nbad");
  EXPECT_EQ(ie.internal_error, "bad");
  EXPECT_EQ(ie.by_index.size(), 1u);
  // Anything that is not a well-formed record ends the parse.
  EXPECT_TRUE(parse_assert_records("garbage\ncj pass 0 0\n").by_index.empty());
  EXPECT_TRUE(parse_assert_records("cj pass x 0\n").by_index.empty());
  EXPECT_TRUE(parse_assert_records("cj what 0 0\ncj pass 0 0\n").by_index.empty());
}

TEST(HarnessProtocol, TokensAreRandomHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string token = make_token();
    ASSERT_EQ(token.size(), 32u);
    EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
}

// ---------------------------------------------------------------------------------------------
// Assert mode

struct AssertRun {
  Output raw;  // err also holds the evaluator's account of a failure
  std::map<size_t, AssertRecord> records;
  std::string output;  // what the submission printed
  bool passed = false;
  bool assertion = false;  // a wrong answer rather than another error
};

AssertRun run_assert(const std::string& preamble, const std::string& code, const std::string& entry,
                     const std::string& test_code) {
  std::string error;
  auto generated = make_assert_program("python", preamble, code, entry, false, &error);
  EXPECT_TRUE(generated) << error;
  AssertRun run;
  if (!generated) return run;
  fs::path dir = fresh_dir("assert");
  write_python_harness_or_source(dir, *generated);
  run.raw = run_in(dir, "python3 main.py", generated->stdin_prefix + assert_stdin({test_code}));
  AssertRecords records = parse_assert_records(run.raw.out);
  run.records = records.by_index;
  run.output = records.output[0];
  run.passed = run.raw.exit_code == 0 && records.by_index.size() == 1 &&
               records.by_index[0].verdict == Verdict::kAC && !records.internal_error;
  run.assertion = records.by_index.size() == 1 && records.by_index[0].verdict == Verdict::kWA;
  run.raw.err += records.by_index.empty() ? "" : records.by_index.begin()->second.message;
  return run;
}

std::string datasets_dir() {
  return std::string(CODEJUDGE_SOURCE_DIR) + "/../shared/datasets";
}

// The first record of a JSON-lines file (gzip or not) that satisfies pred.
template <class Pred>
std::optional<json> dataset_record(const std::string& relative, Pred pred) {
  std::string path = datasets_dir() + "/" + relative;
  if (!fs::exists(path)) return std::nullopt;
  std::string command = (relative.ends_with(".gz") ? "zcat '" : "cat '") + path + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::optional<json> found;
  std::string line;
  char buffer[1 << 16];
  while (!found && std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    line += buffer;
    if (line.empty() || line.back() != '\n') continue;
    json record = json::parse(line, nullptr, false);
    line.clear();
    if (!record.is_discarded() && pred(record)) found = std::move(record);
  }
  pclose(pipe);
  return found;
}

class AssertHarness : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_tool("python3")) GTEST_SKIP() << "python3 is not installed";
  }
};

// LeetCodeDataset's prompt: imports plus ListNode/TreeNode and their helpers.
const std::string& leetcode_preamble() {
  static const std::string preamble = [] {
    auto record = dataset_record("leetcodedataset/LeetCodeDataset-v0.3.1-test.jsonl.gz",
                                 [](const json&) { return true; });
    return record ? (*record)["prompt"].get<std::string>() : std::string();
  }();
  return preamble;
}

constexpr std::string_view kHumanEvalStyleTest = R"PY(
METADATA = {"author": "test"}


def check(candidate):
    assert candidate([1, 2, 3]) == 6
    assert candidate([]) == 0
    assert abs(candidate([0.5, 0.25]) - 0.75) < 1e-9
)PY";

TEST_F(AssertHarness, HumanEvalStyleCheckPassesAndFails) {
  AssertRun good = run_assert("", "def total(xs):\n    return sum(xs)\n", "total",
                              std::string(kHumanEvalStyleTest));
  EXPECT_TRUE(good.passed) << good.raw.err;
  EXPECT_EQ(good.raw.exit_code, 0);
  AssertRun bad = run_assert("", "def total(xs):\n    return len(xs)\n", "total",
                             std::string(kHumanEvalStyleTest));
  EXPECT_FALSE(bad.passed);
  EXPECT_EQ(bad.raw.exit_code, 0);  // the evaluator itself ran fine: the verdict is a record
  EXPECT_TRUE(bad.assertion) << bad.raw.err;
  AssertRun missing =
      run_assert("", "def other(xs):\n    return 0\n", "total", std::string(kHumanEvalStyleTest));
  EXPECT_FALSE(missing.passed);
  EXPECT_FALSE(missing.assertion) << missing.raw.err;  // a NameError, not a wrong answer
}

TEST_F(AssertHarness, MbppStylePlainAssertsCallTheSubmissionThroughTheEvaluator) {
  std::string test =
      "import math\nassert add(1, 2) == 3\nassert math.isclose(add(0.1, 0.2), 0.3)\n";
  AssertRun good = run_assert("", "def add(a, b):\n    return a + b\n", "add", test);
  EXPECT_TRUE(good.passed) << good.raw.err;
  AssertRun bad = run_assert("", "def add(a, b):\n    return a - b\n", "add", test);
  EXPECT_FALSE(bad.passed);
  EXPECT_TRUE(bad.assertion) << bad.raw.err;
  // The plain asserts call the submission in its own process: an always-equal object stays
  // there and compares by identity, a wrong answer.
  AssertRun hack = run_assert("",
                              "class Eq:\n    def __eq__(self, other):\n        return True\n"
                              "def add(a, b):\n    return Eq()\n",
                              "add", "assert add(1, 2) == 3\n");
  EXPECT_FALSE(hack.passed);
  EXPECT_TRUE(hack.assertion) << hack.raw.err;
}

TEST_F(AssertHarness, MatchResultsAreMatchedAgainByTheEvaluator) {
  const std::string code = "import re\ndef find(s):\n    return re.search('a+', s)\n";
  const std::string test =
      "assert find('baa') is not None\nassert find('baa').group() == 'aa'\n"
      "assert find('b') is None\n";
  EXPECT_TRUE(run_assert("import re\n", code, "find", test).passed);
  AssertRun without_preamble = run_assert("", code, "find", test);
  EXPECT_TRUE(without_preamble.passed) << without_preamble.raw.err;
}

TEST_F(AssertHarness, SubmissionOutputAndDemoBlocksDoNotMatter) {
  std::string code =
      "import sys\n"
      "def total(xs):\n"
      "    print('thinking...', end='')\n"
      "    sys.stdout.write('more')\n"
      "    return sum(xs)\n"
      "if __name__ == '__main__':\n"
      "    print(total([int(input())]))\n"
      "import atexit, os\n"
      "atexit.register(lambda: os.write(1, b'after the token\\n'))\n";
  AssertRun run = run_assert("", code, "total", std::string(kHumanEvalStyleTest));
  EXPECT_TRUE(run.passed) << run.raw.err << run.raw.out;
  EXPECT_EQ(run.output, "thinking...morethinking...morethinking...more");
}

TEST_F(AssertHarness, LeetCodeDatasetStyleNodesWithThePreamble) {
  if (leetcode_preamble().empty()) GTEST_SKIP() << "LeetCodeDataset not found";
  std::string code =
      "class Solution:\n"
      "    def reverseList(self, head: Optional[ListNode]) -> Optional[ListNode]:\n"
      "        prev = None\n"
      "        while head:\n"
      "            head.next, prev, head = prev, head, head.next\n"
      "        return prev\n"
      "    def mirror(self, root):\n"
      "        if root:\n"
      "            root.left, root.right = self.mirror(root.right), self.mirror(root.left)\n"
      "        return root\n";
  std::string test =
      "def check(candidate):\n"
      "    assert is_same_list(candidate(head = list_node([1, 2, 3])), list_node([3, 2, 1]))\n"
      "    assert candidate(head = None) is None\n"
      "    assert is_same_tree(Solution().mirror(tree_node([1, 2, 3, None, 4])),\n"
      "                        tree_node([1, 3, 2, None, None, 4]))\n";
  AssertRun good = run_assert(leetcode_preamble(), code, "Solution().reverseList", test);
  EXPECT_TRUE(good.passed) << good.raw.err;
  // A submission that pastes its own (old-style) ListNode class and builds nodes with it still
  // passes: its class is replaced by the preamble's, whose instances travel as data.
  AssertRun own = run_assert(leetcode_preamble(),
                             "class ListNode:\n"
                             "    def __init__(self, x):\n"
                             "        self.val = x\n"
                             "        self.next = None\n"
                             "class Solution:\n"
                             "    def copy(self, head):\n"
                             "        dummy = tail = ListNode(0)\n"
                             "        while head:\n"
                             "            tail.next = ListNode(head.val)\n"
                             "            tail, head = tail.next, head.next\n"
                             "        return dummy.next\n",
                             "Solution().copy",
                             "def check(candidate):\n"
                             "    assert is_same_list(candidate(list_node([4, 5])), "
                             "list_node([4, 5]))\n");
  EXPECT_TRUE(own.passed) << own.raw.err;
  std::string wrong = code;
  wrong.replace(wrong.find("return prev"), 11, "return head");
  AssertRun bad = run_assert(leetcode_preamble(), wrong, "Solution().reverseList", test);
  EXPECT_FALSE(bad.passed);
}

TEST_F(AssertHarness, RealDatasetRecordsPass) {
  auto humaneval = dataset_record("humaneval/HumanEval.jsonl.gz", [](const json&) { return true; });
  auto mbpp = dataset_record("mbpp/mbpp.jsonl", [](const json&) { return true; });
  auto leetcode = dataset_record(
      "leetcodedataset/LeetCodeDataset-v0.3.1-test.jsonl.gz", [](const json& record) {
        return record["starter_code"].get<std::string>().find("TreeNode") != std::string::npos;
      });
  if (!humaneval || !mbpp || !leetcode) {
    GTEST_SKIP() << "datasets not found under " << datasets_dir();
  }
  const json& he = *humaneval;
  AssertRun he_run =
      run_assert("", he["prompt"].get<std::string>() + he["canonical_solution"].get<std::string>(),
                 he["entry_point"], he["test"]);
  EXPECT_TRUE(he_run.passed) << he_run.raw.err;
  AssertRun he_wrong = run_assert("", he["prompt"].get<std::string>() + "    return False\n",
                                  he["entry_point"], he["test"]);
  EXPECT_FALSE(he_wrong.passed);
  EXPECT_TRUE(he_wrong.assertion) << he_wrong.raw.err;

  // MBPP: plain asserts naming the function (min_cost in the first record).
  const json& mb = *mbpp;
  std::string mb_test = mb["test_setup_code"].get<std::string>() + "\n";
  for (const json& line : mb["test_list"]) mb_test += line.get<std::string>() + "\n";
  AssertRun mb_run = run_assert("", mb["code"], "min_cost", mb_test);
  EXPECT_TRUE(mb_run.passed) << mb_run.raw.err;

  const json& lc = *leetcode;
  AssertRun lc_run = run_assert(lc["prompt"], lc["completion"], lc["entry_point"], lc["test"]);
  EXPECT_TRUE(lc_run.passed) << lc["task_id"] << ": " << lc_run.raw.err;
}

// Each hostile submission must not pass, whatever it prints or however it exits.
struct Hostile {
  const char* name;
  const char* code;
  const char* test;  // nullptr: the HumanEval-style check
};

void PrintTo(const Hostile& hostile, std::ostream* os) {
  *os << hostile.name;
}

class AssertHostile : public ::testing::TestWithParam<Hostile> {
 protected:
  void SetUp() override {
    if (!have_tool("python3")) GTEST_SKIP() << "python3 is not installed";
  }
};

TEST_P(AssertHostile, DoesNotPass) {
  const Hostile& h = GetParam();
  AssertRun run = run_assert("", h.code, "total",
                             h.test != nullptr ? h.test : std::string(kHumanEvalStyleTest));
  EXPECT_FALSE(run.passed) << "stdout: " << run.raw.out << "\nstderr: " << run.raw.err;
}

INSTANTIATE_TEST_SUITE_P(
    Attacks, AssertHostile,
    ::testing::Values(
        Hostile{"ExitAtImport", "exit(0)\ndef total(xs):\n    return 0\n", nullptr},
        Hostile{"SysExitAtImport", "import sys\nsys.exit(0)\n", nullptr},
        Hostile{"OsExitInFunction", "import os\ndef total(xs):\n    os._exit(0)\n", nullptr},
        Hostile{"SysExitInFunction",
                "import sys\ndef total(xs):\n    print('ok')\n    sys.exit(0)\n", nullptr},
        Hostile{"KillsItself", "import os\ndef total(xs):\n    os.kill(os.getpid(), 9)\n", nullptr},
        Hostile{"ClosesStdout", "import os\ndef total(xs):\n    os.close(1)\n    return 0\n",
                nullptr},
        Hostile{"ReplacesAssertionError",
                "import builtins\nbuiltins.AssertionError = type('Quiet', (Exception,), {})\n"
                "def total(xs):\n    return -1\n",
                nullptr},
        Hostile{"PatchesAbsForTheFloatCheck",
                "import builtins\n"
                "def total(xs):\n    builtins.abs = lambda x: 0\n    return 0 if not xs else 6\n",
                "def check(candidate):\n"
                "    assert candidate([]) == 0\n"
                "    assert abs(candidate([0.5]) - 0.5) < 1e-9\n"},
        Hostile{"PatchesMathIsclose",
                "import math\n"
                "def total(xs):\n    math.isclose = lambda *a, **k: True\n    return 42.0\n",
                "import math\nassert math.isclose(total([1.0]), 1.0)\n"},
        Hostile{"AlwaysEqualObject",
                "class Eq:\n    def __eq__(self, other):\n        return True\n"
                "    def __sub__(self, other):\n        return 0\n"
                "def total(xs):\n    return Eq()\n",
                nullptr},
        Hostile{"IntSubclassWithEq",
                "class Int(int):\n    def __eq__(self, other):\n        return True\n"
                "    __hash__ = int.__hash__\n"
                "def total(xs):\n    return Int(7)\n",
                nullptr},
        Hostile{"EqualObjectInsideAList",
                "class Eq:\n    def __eq__(self, other):\n        return True\n"
                "def total(xs):\n    return [Eq()]\n",
                "assert total([1]) == [1]\n"},
        // A test that swallows exceptions around the call: the object reaches the test as a
        // handle that equals only itself, so no error path turns it into a pass. (A test that
        // swallows its own assertion passes any answer, as it would in the official harness.)
        Hostile{"ForeignObjectThroughATestThatSwallowsErrors",
                "class Eq:\n    def __eq__(self, other):\n        return True\n"
                "def total(xs):\n    return Eq()\n",
                "def check(candidate):\n"
                "    try:\n"
                "        value = candidate([1])\n"
                "    except Exception:\n"
                "        value = 1\n"
                "    assert value == 1\n"},
        Hostile{"RaisesSystemExitInsideCheck", "def total(xs):\n    raise SystemExit(0)\n",
                nullptr},
        Hostile{"PrintsAGuessedToken",
                "import sys\ndef total(xs):\n    print('0' * 32)\n    sys.stdout.flush()\n"
                "    return -1\n",
                nullptr},
        Hostile{"ClosesStdoutAtExit",
                "import atexit, os\natexit.register(lambda: os.close(1))\n"
                "def total(xs):\n    return -1\n",
                nullptr}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(AssertHarness, PreambleHelpersAndClassesCannotBePatched) {
  if (leetcode_preamble().empty()) GTEST_SKIP() << "LeetCodeDataset not found";
  std::string test =
      "def check(candidate):\n"
      "    assert is_same_list(candidate(head = list_node([1, 2, 3])), list_node([3, 2, 1]))\n";
  // Redefining the preamble's comparison helper in the submission changes nothing.
  AssertRun redefine = run_assert(leetcode_preamble(),
                                  "def is_same_list(a, b):\n    return True\n"
                                  "class Solution:\n    def f(self, head):\n        return head\n",
                                  "Solution().f", test);
  EXPECT_FALSE(redefine.passed) << redefine.raw.err;
  // Rebinding it where the preamble's functions look it up is caught.
  AssertRun globals =
      run_assert(leetcode_preamble(),
                 "class Solution:\n    def f(self, head):\n"
                 "        is_same_list.__globals__['is_same_list'] = lambda a, b: True\n"
                 "        return ListNode(3)\n",
                 "Solution().f", test);
  EXPECT_FALSE(globals.passed) << globals.raw.err;
  // Giving the preamble's class an always-true __eq__ is caught.
  AssertRun patched = run_assert(leetcode_preamble(),
                                 "ListNode.__eq__ = lambda self, other: True\n"
                                 "class Solution:\n    def f(self, head):\n"
                                 "        return ListNode(0)\n",
                                 "Solution().f",
                                 "def check(candidate):\n"
                                 "    assert candidate(head = None) == 5\n");
  EXPECT_FALSE(patched.passed) << patched.raw.err;
}

}  // namespace
}  // namespace codejudge::judges
