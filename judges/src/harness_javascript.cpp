// JavaScript function-mode harness (node, CommonJS script): reads all of stdin first
// (judges/harness/read_stdin.js), defines LeetCode's ListNode/TreeNode constructors
// (list_node.js, tree_node.js) unless the submission declares its own, then the preamble and the
// submission at top level (LeetCode's `var twoSum = function(...)` style), then a generated
// __cj_spec naming the entry point and the driver in a closure (function_driver.js). The entry
// "Solution().f" uses class Solution's method f when there is one and otherwise a free function
// f, which is how LeetCode's JavaScript starters look.
#include <string>
#include <utility>

#include "embedded_harness.h"
#include "harness_internal.h"

namespace codejudge::judges::harness_detail {
namespace {

std::string js_string(std::string_view text) {
  // Identifiers and type codes only: nothing to escape.
  return "\"" + std::string(text) + "\"";
}

}  // namespace

GeneratedSource make_javascript_function(const FunctionSpec& spec) {
  std::string out(embedded_file("read_stdin.js"));
  std::string blanked =
      blank_comments_and_strings(std::string(spec.preamble) + "\n" + std::string(spec.user_code));
  std::vector<std::string_view> keywords = {"class", "function", "var", "let", "const"};
  if (!declares(blanked, "ListNode", keywords)) out += embedded_file("list_node.js");
  if (!declares(blanked, "TreeNode", keywords)) out += embedded_file("tree_node.js");
  if (!spec.preamble.empty()) out += std::string(spec.preamble) + "\n";
  std::string user(spec.user_code);
  if (user.starts_with("#!")) user.replace(0, 2, "//");  // a hashbang is valid only at the top
  out += user;
  out += "\n";

  // The generated part: the entry point by name (the driver cannot look a name up itself).
  const std::string& fn = spec.entry.function;
  std::string entry;
  if (!spec.entry.class_name.empty()) {
    const std::string& cls = spec.entry.class_name;
    entry += "    if (typeof " + cls + " === \"function\" && " + cls + ".prototype && typeof " +
             cls + ".prototype." + fn + " === \"function\") {\n";
    entry += "      const instance = new " + cls + "();\n";
    entry += "      return instance." + fn + ".bind(instance);\n";
    entry += "    }\n";
    entry += "    if (typeof " + cls + " === \"function\" && typeof " + cls + "." + fn +
             " === \"function\") return " + cls + "." + fn + ";\n";
  }
  entry += "    if (typeof " + fn + " === \"function\") return " + fn + ";\n";
  entry += "    return stop(1, \"the submission defines no function " + fn + "\");\n";
  std::string params = "[";
  for (size_t i = 0; i < spec.param_codes.size(); ++i) {
    if (i > 0) params += ", ";
    params += js_string(spec.param_codes[i]);
  }
  params += "]";
  out += "const __cj_spec = {\n";
  out += "  params: " + params + ",\n";
  out += "  returns: " + js_string(spec.return_code) + ",\n";
  out += "  entry: (stop) => {\n" + entry + "  },\n";
  out += "};\n";
  out += embedded_file("function_driver.js");
  GeneratedSource generated;
  generated.source = std::move(out);
  return generated;
}

}  // namespace codejudge::judges::harness_detail
