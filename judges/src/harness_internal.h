// Shared pieces of the harness generators (harness*.cpp); not a public header.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codejudge/judges/harness.h"

namespace codejudge::judges::harness_detail {

// What every language's function-mode generator needs. Types are compact codes that the
// generated runtimes interpret: one '[' per list level, then i (int), l (long), f (float),
// b (bool), s (str), N (ListNode), T (TreeNode); the return code "v" means void.
struct FunctionSpec {
  EntryPoint entry;
  std::string entry_text;  // as written, for messages and Python's eval
  std::vector<std::string> param_codes;
  std::string return_code;
  std::string_view preamble;
  std::string_view user_code;
};

std::string type_code(const ValueType& type);

// The languages' harnesses, named by their entries in the language table (language.cpp). A
// generated file_name left empty is the language's source_file.
GeneratedSource make_python_function(const FunctionSpec& spec);
GeneratedSource make_cpp_function(const FunctionSpec& spec);
GeneratedSource make_java_function(const FunctionSpec& spec);
GeneratedSource make_javascript_function(const FunctionSpec& spec);
GeneratedSource make_python_assert(std::string_view preamble, std::string_view user_code,
                                   std::string_view entry_point, bool stop_at_first_failure);

// The template with each placeholder ("@NAME@") replaced by its value, in one pass, so a value
// that happens to contain a placeholder's text is never substituted again.
std::string fill_template(std::string_view text,
                          const std::vector<std::pair<std::string_view, std::string>>& values);

// The code with comments and the contents of string and character literals replaced by spaces
// (newlines kept), for C++, Java and JavaScript, so that text searches see only code.
std::string blank_comments_and_strings(std::string_view code);

// Whether blanked code defines `<keyword> <name>` for one of the keywords as whole words
// ("struct ListNode {", "class ListNode", "function ListNode", "let ListNode = ..."); a bare
// forward declaration ("struct ListNode;") does not count.
bool declares(std::string_view blanked_code, std::string_view name,
              const std::vector<std::string_view>& keywords);

bool is_identifier_char(char c);

// The identifier that starts at pos in blanked code, or "" when pos does not start one.
std::string_view word_at(std::string_view blanked_code, size_t pos);

}  // namespace codejudge::judges::harness_detail
