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
//   True -> 1 for int, 1 -> 1.0 for float, 0/1 -> bool for bool, tuple -> list);
//   C++ and Java only turn 0/1 into a bool where bool was declared. A float is never turned into
//   an integer. A result that cannot be written as JSON (a Python set) is the submission's error.
//   The harness programs are real source files under judges/harness/ (function_runtime.hpp,
//   Main.java, read_stdin.js and function_driver.js, the node classes), embedded at build time;
//   what differs per problem (the entry point, the type codes) is a small generated part.
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
// Assert-mode protocol (python): stdin is the token line followed by a batch of tests, each as its
// size in bytes on a line and then its Python code (see assert_stdin). Test i passes only when the
// line "<token> <i> ok" appears on stdout (see make_assert_program); the first failing test ends
// the process.
//
// Neither harness is a security boundary: code in the same process can always find the token by
// introspection. They defeat the cheap ways to fake a pass (exit(0), os._exit, killing itself,
// always-equal objects, patched builtins); the sandbox contains the rest.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codejudge/problems/problem.h"

namespace codejudge::judges {

// Exit code and stderr prefix of a harness failure (our bug, never the submission's).
inline constexpr int kHarnessExitCode = 99;
inline constexpr std::string_view kHarnessStderrPrefix = "codejudge-harness:";

// Exit code and stderr prefix of a submission that does not compile, where the harness compiles
// it (the compiler's message follows the prefix). Such a program needs no compile step.
inline constexpr int kCompileErrorExitCode = 98;
inline constexpr std::string_view kCompileErrorStderrPrefix = "codejudge-compile-error:";
bool harness_compiles_submission(std::string_view language);  // python

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

struct GeneratedSource {
  std::string source;
  std::string file_name;  // main.py, main.cpp, Main.java, main.js
};

// The complete program for function mode. language: python, cpp, java or javascript (aliases
// python3, py, c++, js, node accepted). Returns nullopt with *error when the language has no
// function harness or the signature or entry point is invalid.
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
  std::string value;   // the result JSON (function mode) or "ok" (assert mode)
  std::string output;  // the submission's own stdout since the previous result line
};

struct ResultLines {
  std::map<size_t, ResultLine> by_index;  // a repeated index keeps its first line
  std::string trailing;                   // the submission's stdout after the last result line
};
ResultLines parse_result_lines(std::string_view stdout_data, std::string_view token);

// The assert-mode script (python only; main.py). It reads all of stdin and closes fd 0 before
// any submission code runs, executes the preamble and then the submission (as "solution.py",
// __name__ "solution") in their own namespaces, wraps entry_point ("f" or "Solution().f") in a
// guard that rejects any returned value containing a type other than int, float, complex, str,
// bytes, bool, None, list, tuple, dict, set, frozenset, collections' Counter, OrderedDict,
// defaultdict and deque (MBPP's reference solutions return them), re.Match when re was loaded
// before the submission (the preamble imports it), or a class the preamble
// defined (exact types: a subclass fails; a preamble instance's attributes are checked too),
// then, for each test in order, runs its code in a fresh copy of the submission's namespace with
// the guarded candidate under the entry's name (for "f"; the submission's own recursive calls
// stay unguarded) and calls check(candidate) when the test code defines check. The submission's
// module (its globals) is shared by the tests of a batch, as LeetCode runs all tests of a
// submission in one process. After every guarded call, and after each test, it verifies that
// builtins, math, cmath, operator, the allowed collections classes, the preamble's namespace
// and its classes are unchanged. Only when all of that succeeded does it write
// "\n<token> <i> ok\n" straight to fd 1; after the last test it _exit(0)s. On any exception
// (SystemExit included) or a caught guard failure it prints the traceback and a last line
// "codejudge: test failed: <ExceptionType>" to stderr and exits 1.
// The test code sees the preamble's own definitions (is_same_list, ListNode, ...) even if the
// submission redefines them, builtins as they were before the submission ran, and the
// submission's other names (HumanEval checks call helpers from the prompt). A submission's
// redefinition of a preamble class is replaced by the preamble's class.
std::optional<GeneratedSource> make_assert_program(std::string_view preamble,
                                                   std::string_view user_code,
                                                   std::string_view entry_point,
                                                   std::string* error);

// The stdin for a batch of assert-mode tests: the token line, then per test its code's size in
// bytes on a line of its own followed by the code.
std::string assert_stdin(std::string_view token, const std::vector<std::string>& test_codes);

// True when the assert script's stderr says the failing exception was an AssertionError (a
// wrong answer rather than a runtime error).
bool assert_failed(std::string_view stderr_data);

// 128 random bits from the kernel's CSPRNG as 32 lowercase hex digits.
std::string make_token();

}  // namespace codejudge::judges
