// Harness generators: the code wrapped around a submission in function mode (LeetCode style,
// python/cpp/java/javascript) and assert mode (python: HumanEval, MBPP, LeetCodeDataset).
// Pure string generation; the judge compiles and runs the result in the sandbox.
//
// Function-mode protocol (every language):
//   stdin:  line 1 is a token (hex); every following non-empty line is one test's arguments as a
//           JSON array on one line. All of stdin is read before any submission code runs.
//   stdout: for test i (0-based over the argument lines) the line "<token> <i> <result JSON>",
//           preceded by a newline of its own so a submission's unterminated print cannot glue
//           onto it, flushed after each test. Anything else on stdout is the submission's.
//   Results: ListNode -> list, TreeNode -> LeetCode level order (nulls, trailing nulls trimmed),
//           a null ListNode/TreeNode -> [], float -> shortest round-trip number written as a
//           float (3.0, not 3: the judge compares by the declared type and a float where an
//           integer is declared is wrong; JavaScript alone cannot tell 3.0 from 3, as on
//           LeetCode), NaN/inf -> the tokens NaN, Infinity, -Infinity (as Python's json writes).
//           A TreeNode argument is built as LeetCode's (and LeetCodeDataset's tree_node) builders
//           do: values past the last child slot are ignored.
//           With "returns": "void" the first argument is printed after the call.
//   Exit:   0 after the last test; a submission's exception exits non-zero (a runtime error).
//           An argument line that is not a JSON array of the signature's arity and types is our
//           bug: "codejudge-harness: ..." on stderr and exit kHarnessExitCode (99). The judge
//           checks every test against the signature before it runs one (checker.h,
//           arguments_error), so this never happens for a test it sends, and it reads exit 99 as
//           the submission's like any exit code: submission code can write the marker too. An
//           argument that matches the signature but not the submission's own parameter type (a
//           C++ int parameter given 2^40, a Java char given "ab") is the submission's:
//           "codejudge: ..." on stderr, exit 1.
//   Per test a fresh argument set and a fresh Solution object, so mutations never leak.
//   Python and JavaScript convert a result to the declared type where nothing is lost (Python:
//   True -> 1 for int, 1 -> 1.0 for float, 0/1 -> bool for bool, tuple -> list; a float stays a
//   float where int is declared, so 3.0 is printed as 3.0);
//   C++ and Java only turn 0/1 into a bool where bool was declared. A float is never turned into
//   an integer. A result that cannot be written as JSON (a Python set) is the submission's error.
//   The harness programs are real source files under judges/harness/ (function_harness.py,
//   assert_evaluator.py, function_runtime.hpp, Main.java, read_stdin.js and function_driver.js,
//   the node classes), embedded at build time; what differs per problem (the entry point, the
//   type codes) is a small generated part or, for python, data on stdin.
//   Types by language (LeetCode's starters): int -> int, long -> long long / long, float ->
//   double, bool, str -> std::string / String, list[T] -> std::vector<T> / T[], ListNode and
//   TreeNode -> LeetCode's classes. C++ and Java take the parameter and return types from the
//   submission itself (C++: deduced from &Solution::method, which must not be overloaded; Java:
//   reflection), so vector<vector<char>>, a const& parameter, char[][] or List<List<Integer>>
//   (parameter or result) work as the submission declares them.
//   JavaScript accepts a class method or LeetCode's free function of the same name; its numbers
//   are doubles (above 2^53 they lose precision, as on LeetCode). In Java a free-function entry
//   point ("add") is a method of class Solution; a submission's own top-level class Main is
//   renamed, its "public" modifiers on top-level types and any package line are dropped, and its
//   imports are moved to the top of Main.java.
//
// Python (both modes): the harness is a real source file under judges/harness/, the same for
// every submission; the submission, the preamble and the entry point come as data at the start
// of stdin (GeneratedSource::stdin_prefix), before the protocol above.
//
// Assert-mode protocol (python; judges/harness/assert_evaluator.py): stdin is the header (the
// sizes of the preamble, the submission and the entry point, and a flag to stop at the first
// failure, then the three texts), then a batch of tests, each as its size in bytes on a line and
// then its Python code (assert_stdin). The evaluator reads only the header, forks the process that
// runs the submission, and only then reads the tests; it runs the tests itself and reaches the
// submission only through calls whose arguments and results are data (see the .py file and
// docs/SECURITY.md). Its stdout, which the submission's process cannot write to, carries framed
// records (parse_assert_records): per test "pass", "wa" or "re" with a reason, what the
// submission printed during that test ("out"), or once "ce" (the submission does not compile) or
// "ie" (the judge's input is malformed). No token, exit code or stderr text of an assert run is
// ever read as a verdict. The evaluator goes on after a failing test unless told to stop, and
// stops after a failure that leaves the submission's process untrustworthy (it died, exited,
// broke the protocol); tests after the last record run again in a fresh process.
//
// The function-mode harnesses run the submission in their own process: a submission can find the
// token there and print result lines of its own, but those only claim results, which the judge
// compares with expected values that never reach the process.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codejudge/judges/language.h"
#include "codejudge/judges/verdict.h"
#include "codejudge/problems/problem.h"

namespace codejudge::judges {

// Exit code and stderr prefix a harness uses for input it cannot read (our bug). The judge never
// reads them as a verdict: submission code in the same process can write them too (see above).
inline constexpr int kHarnessExitCode = 99;
inline constexpr std::string_view kHarnessStderrPrefix = "codejudge-harness:";

// Exit code and stderr prefix of a submission that does not compile, where the harness compiles
// it (the compiler's message follows the prefix): python's function harness.
inline constexpr int kCompileErrorExitCode = 98;
inline constexpr std::string_view kCompileErrorStderrPrefix = "codejudge-compile-error:";

// A function-mode value type. Lists only nest lists, so a type is a base and a depth:
// list[list[int]] is {kInt, 2}. kVoid is valid only as a return type, with depth 0.
struct ValueType {
  enum class Kind { kInt, kLong, kFloat, kBool, kStr, kListNode, kTreeNode, kVoid };
  Kind base = Kind::kInt;
  size_t list_depth = 0;
};

// Parses "int", "long", "float", "bool", "str", "ListNode", "TreeNode", "void", "list[T]".
// Also accepted: "List[T]", "Optional[ListNode]"/"Optional[TreeNode]", "double", "string",
// "boolean", "None" (void). Spaces are ignored.
std::optional<ValueType> parse_type(std::string_view text, std::string* error);
std::string type_name(const ValueType& type);  // canonical spelling: list[list[int]]

// "add" (a free function) or "Solution().twoSum" (a method of a fresh Solution per call).
struct EntryPoint {
  std::string class_name;  // empty for a free function
  std::string function;
};
std::optional<EntryPoint> parse_entry_point(std::string_view text, std::string* error);

// How a program is compiled: the command run in its work directory and the files it leaves
// that the run needs (mounted at kBoxDir).
struct CompileRecipe {
  std::vector<std::string> argv;
  std::vector<ArtifactSpec> artifacts;
  // The command only reads its source (an interpreted language's syntax check): the source's
  // directory is bound read-only at /work, and the language's warm runtime may serve the run.
  bool reads_only = false;
};

struct GeneratedSource {
  std::string source;
  std::string file_name;  // main.py, main.cpp, Main.java, main.js, harness.py
  // What every run's stdin starts with: the Python harnesses take the submission, the preamble
  // and the entry point here, as data. Empty for the other languages.
  std::string stdin_prefix;
  // Python: the harness is the same for every submission and compiles the submission itself
  // (a syntax error is a CE it reports). It is byte-compiled once per interpreter version,
  // through the compile cache, by this recipe. Empty argv: the language's own compile.
  CompileRecipe compile;
  // The harness reports a submission that does not compile by kCompileErrorExitCode and
  // kCompileErrorStderrPrefix (python's function harness). From any other program the marker is
  // the program's own output.
  bool reports_compile_errors = false;
  // Python: a warm runtime that has imported this harness already (as `harness`, the name its
  // main.py imports), so that a run need not load it. nullptr: the language's own.
  const sandbox::WarmRuntime* warm = nullptr;
};

// The complete program for function mode, from the language's function harness (a name or
// alias; language.h). Returns nullopt with *error when the language has no function harness or
// the signature or entry point is invalid.
std::optional<GeneratedSource> make_function_program(
    std::string_view language, const problems::Signature& signature, std::string_view entry_point,
    std::string_view preamble, std::string_view user_code, std::string* error);

// The stdin for a batch of tests: the token line, then one argument array per line. Line breaks
// inside an array's text (only whitespace in JSON) become spaces; an empty array text is sent as
// "null" so that it fails loudly rather than shifting the test numbering.
std::string function_stdin(std::string_view token,
                           const std::vector<std::string>& argument_arrays_json);

// One result line "<token> <i> <value>" of a harnessed run.
struct ResultLine {
  std::string value;   // the result JSON
  std::string output;  // the submission's own stdout since the previous result line
};

struct ResultLines {
  std::map<size_t, ResultLine> by_index;  // a repeated index keeps its first line
  std::string trailing;                   // the submission's stdout after the last result line
};
ResultLines parse_result_lines(std::string_view stdout_data, std::string_view token);

// The assert-mode evaluator (python's; main.py) and, as its stdin_prefix, the header that
// carries the preamble, the submission and entry_point ("f" or "Solution().f"). The evaluator
// runs the preamble in its own namespace and, in the forked submission process, the preamble's
// names and then the submission (as "solution.py", __name__ "solution"; the preamble's classes
// are put back over any redefinition, so nodes the submission builds stay the preamble's). For
// each test, in order, it runs the test's code in a fresh namespace: the preamble's names, the
// builtins, the entry point under its name (for "f"; "Solution().f" makes a fresh Solution per
// test) and, looked up when the test uses them, the submission's other names (HumanEval's
// prompt helpers), never shadowing a builtin or a preamble name; then check(candidate) if the
// test code defined check. A test passes when that finishes without an exception and the
// submission's process stayed sound; an AssertionError is "wa", anything else "re".
// Values cross as data: None, bool, int, float, complex, str, bytes, bytearray, list, tuple,
// dict, set, frozenset, Counter, OrderedDict, defaultdict, deque, Fraction, Decimal, range, dict
// views, date/time/datetime/timedelta/timezone, re.Match/Pattern, numpy arrays and scalars, and
// instances of the preamble's classes; everything else (generators, map, the submission's own
// objects) stays in the submission's process behind a handle the test can call and iterate but
// that equals only itself. Arguments changed in place are copied back.
// Returns nullopt with *error when the language (a name or alias) has no assert harness or the
// entry point is invalid.
std::optional<GeneratedSource> make_assert_program(std::string_view language,
                                                   std::string_view preamble,
                                                   std::string_view user_code,
                                                   std::string_view entry_point,
                                                   bool stop_at_first_failure, std::string* error);

// The tests of an assert-mode batch, after the header: per test its code's size in bytes on a
// line of its own followed by the code.
std::string assert_stdin(const std::vector<std::string>& test_codes);

// The assert evaluator's records (see the protocol above).
struct AssertRecord {
  Verdict verdict = Verdict::kRE;  // kAC ("pass"), kWA or kRE
  std::string message;             // why it failed: the test's traceback
};
struct AssertRecords {
  std::map<size_t, AssertRecord> by_index;  // a repeated index keeps its first record
  std::map<size_t, std::string> output;     // what the submission printed during test i
  std::optional<std::string> compile_error;
  std::optional<std::string> internal_error;
};
AssertRecords parse_assert_records(std::string_view stdout_data);

// 128 random bits from the kernel's CSPRNG as 32 lowercase hex digits.
std::string make_token();

}  // namespace codejudge::judges
