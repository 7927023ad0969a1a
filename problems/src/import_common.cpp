#include "import_common.h"

#include <charconv>

#include "codejudge/problems/json.h"
#include "python_text.h"

namespace codejudge::problems::detail {
namespace {

using nlohmann::json;

// Python source shared by every evalplus chunk. It restores the argument types that JSON lost,
// computes the expected value with the reference solution and compares as evalplus does.
constexpr std::string_view kPlusHelpers = R"py(

def _cj_kind(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return 'sequence'
    if isinstance(value, bool):
        return 'bool'
    if isinstance(value, (int, float, complex)):
        return 'number'
    return type(value).__name__


def _cj_pick(value, items, index):
    # The example element for value: the same position when the lengths agree and the kinds
    # match, else the first element of the same kind (for tuples such as (1, (2, 3))).
    kind = _cj_kind(value)
    if index is not None and _cj_kind(items[index]) == kind:
        return items[index]
    for item in items:
        if _cj_kind(item) == kind:
            return item
    return None


def _cj_conform(value, example, depth=0):
    # Shapes a JSON-decoded value like the dataset's example call: lists become tuples or sets
    # where the example has them, and an argument written as a string where the example passes
    # a number is parsed (evalplus stores complex arguments as strings).
    if isinstance(value, list) and isinstance(example, (list, tuple, set, frozenset)):
        items = list(example)
        same = len(items) == len(value)
        inner = []
        for i, v in enumerate(value):
            picked = _cj_pick(v, items, i if same else None)
            if depth == 0 and picked is None and same:
                picked = items[i]
            elif picked is None and isinstance(v, list):
                # A nested list with no nested example follows its container, so a recursive
                # tuple such as (4, (7, 6, (2, 4))) stays tuples all the way down.
                picked = example
            inner.append(_cj_conform(v, picked, depth + 1))
        if isinstance(example, (set, frozenset)):
            return type(example)(inner)
        return tuple(inner) if isinstance(example, tuple) else inner
    if isinstance(value, dict) and isinstance(example, dict) and example:
        items = list(example.values())
        return {k: _cj_conform(v, example[k] if k in example else _cj_pick(v, items, None),
                               depth + 1)
                for k, v in value.items()}
    if (depth == 1 and isinstance(value, str) and _cj_kind(example) == 'number'
            and any(c.isdigit() for c in value)):  # not words such as 'J' or 'nan'
        kinds = (complex,) if isinstance(example, complex) else (int, float, complex)
        for kind in kinds:
            try:
                return kind(value)
            except ValueError:
                pass
    return value


def _cj_is_floats(value):
    if isinstance(value, float):
        return True
    if isinstance(value, (list, tuple)):
        return all(isinstance(v, float) for v in value)
    return False


def _cj_close(out, exp, atol):
    # numpy.allclose(out, exp, rtol=1e-07, atol=atol), element by element, without numpy.
    if isinstance(exp, (list, tuple)):
        return (isinstance(out, (list, tuple)) and len(out) == len(exp)
                and all(_cj_close(o, e, atol) for o, e in zip(out, exp)))
    if isinstance(exp, (int, float)) and isinstance(out, (int, float)):
        return out == exp or abs(out - exp) <= atol + 1e-07 * abs(exp)
    return out == exp


def _cj_poly(xs, x):
    return sum(c * _cj_math.pow(x, i) for i, c in enumerate(xs))


def _cj_matches(out, exp, args):
    if not _cj_plain(out):
        return False
    if _CJ_ORACLE == 'not_none':
        want = exp if isinstance(exp, bool) else exp is not None
        return out == want if isinstance(out, bool) else want == (out is not None)
    if _CJ_ORACLE == 'poly_root':
        return abs(_cj_poly(args[0], out)) <= _CJ_ATOL
    if _CJ_ORACLE == 'set':
        return set(out) == set(exp)
    if out == exp:
        return True
    atol = _CJ_ATOL
    if atol == 0 and _cj_is_floats(exp):
        atol = 1e-6
    return atol != 0 and type(out) == type(exp) and _cj_close(out, exp, atol)


def check(candidate):
    scope = {'__name__': '_cj_reference'}
    exec(_CJ_REFERENCE, scope)
    reference = scope[_CJ_ENTRY_POINT]
    example = None
    if _CJ_EXAMPLE is not None:
        try:
            example = _cj_ast.literal_eval('[' + _CJ_EXAMPLE + ']')
        except (ValueError, SyntaxError):
            example = None
    for offset, args in enumerate(_cj_json.loads(_CJ_INPUTS)):
        if example is not None:
            args = _cj_conform(args, example)
        expected = reference(*_cj_copy.deepcopy(args))
        output = candidate(*_cj_copy.deepcopy(args))
        try:
            ok = bool(_cj_matches(output, expected, args))
        except Exception:
            ok = False
        assert ok, 'wrong answer on input %d' % (_CJ_FIRST + offset)
)py";

constexpr std::string_view kPlainHelper = R"py(
import collections as _cj_collections

_CJ_SAFE_MODULES = ('builtins', 'collections', 'fractions', 'decimal', 'datetime', 're')


def _cj_plain(value):
    # Only values made of standard types count as answers: an object of the submission's own
    # class could define __eq__ to agree with anything.
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item).__module__ not in _CJ_SAFE_MODULES:
            return False
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset, _cj_collections.deque)):
            stack.extend(item)
    return True
)py";

std::string python_float(double value) {
  char buffer[64];
  // Shortest round-trip digits, fixed or exponent like Python's repr: 0.0001, 1e-06.
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
  std::string text(buffer, ec == std::errc() ? end : buffer);
  if (text.find_first_of(".en") == std::string::npos) text += ".0";
  return text;
}

}  // namespace

std::optional<json> parse_record(std::string_view text, std::string* error) {
  json record = json::parse(text, nullptr, false);
  if (record.is_discarded()) {
    *error = "invalid JSON";
    return std::nullopt;
  }
  if (!record.is_object()) {
    *error = std::string("expected a JSON object, got ") + record.type_name();
    return std::nullopt;
  }
  return record;
}

bool require_string(const json& record, const char* key, std::string* out, std::string* error) {
  auto it = record.find(key);
  if (it == record.end() || !it->is_string()) {
    *error = std::string("field '") + key + "': required string";
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

std::string optional_string(const json& record, const char* key) {
  auto it = record.find(key);
  if (it == record.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

std::string id_part(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    out += ok ? c : '_';
  }
  return out;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<Problem> finish_problem(Problem problem, std::string* error) {
  std::string problem_error = validate_problem(problem);
  if (!problem_error.empty()) {
    *error = "imported problem is invalid: " + problem_error;
    return std::nullopt;
  }
  return problem;
}

std::vector<Test> check_tests(const std::string& test_code, const ImportOptions& options) {
  std::vector<Test> tests;
  if (options.split_asserts) {
    for (std::string& code : split_check_function(test_code, options.max_split_tests)) {
      tests.push_back({"", "", std::move(code)});
    }
  }
  if (tests.empty()) tests.push_back({"", "", test_code + "\n"});
  return tests;
}

std::string_view plain_value_helper() {
  return kPlainHelper;
}

std::string plus_test_code(const PlusChunk& chunk) {
  std::string code =
      "import ast as _cj_ast\n"
      "import copy as _cj_copy\n"
      "import json as _cj_json\n"
      "import math as _cj_math\n";
  code += kPlainHelper;
  code += "\n_CJ_REFERENCE = " + python_string_literal(chunk.reference_source) + "\n";
  code += "_CJ_ENTRY_POINT = " + python_string_literal(chunk.entry_point) + "\n";
  code += "_CJ_INPUTS = " + python_string_literal(chunk.inputs_json) + "\n";
  code += "_CJ_EXAMPLE = " +
          (chunk.example_arguments ? python_string_literal(*chunk.example_arguments)
                                   : std::string("None")) +
          "\n";
  code += "_CJ_ATOL = " + python_float(chunk.atol) + "\n";
  code += "_CJ_ORACLE = " + python_string_literal(chunk.oracle) + "\n";
  code += "_CJ_FIRST = " + std::to_string(chunk.first_input) + "\n";
  code += kPlusHelpers;
  return code;
}

}  // namespace codejudge::problems::detail
