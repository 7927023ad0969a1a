// The synthetic curriculum. Each template draws its constants and phrasing, then says in three
// ways what the problem is: a statement, a Python reference, and a C++ solver that computes the
// expected outputs (tests/trainer checks that the reference agrees with the solver through the
// real judge). Integer arithmetic stays where Python and C++ agree (no negative // or %).
#include "codejudge/problems/generator.h"

#include <algorithm>
#include <functional>
#include <map>
#include <numeric>
#include <set>

#include <nlohmann/json.hpp>

#include "codejudge/problems/json.h"

namespace codejudge::problems {

namespace {

using nlohmann::json;

// splitmix64: small, fast, and the same on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi] (the modulo bias is irrelevant at these ranges).
  int64_t range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  size_t index(size_t n) { return static_cast<size_t>(next() % n); }
  bool coin() { return (next() & 1) != 0; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[index(items.size())];
  }

 private:
  uint64_t state_;
};

uint64_t fnv1a(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

// Templates without constants have only a handful of keys (name and phrasing variants): they
// always train, so the held-out split never removes a whole template. Held-out problems are
// unseen constants and phrasings of the parameterised templates.
bool has_constants(std::string_view template_name) {
  static const std::set<std::string, std::less<>> kFixed = {
      "binop",         "max_min",      "absolute",       "sign",
      "parity_word",   "reverse",      "upper",          "palindrome",
      "vowels",        "first_last",   "length",         "reduce",
      "parity_filter", "sort",         "reverse_list",   "sum_squares",
      "prefix_sums",   "spread",       "second_largest", "dedupe",
      "product",       "sum_to_n",     "sum_odd",        "factorial",
      "digit_sum",     "count_digits", "fibonacci",      "collatz",
      "gcd",           "is_prime",     "to_binary",      "two_sum",
      "run_length",    "max_subarray", "is_sorted",      "longest_run",
      "balanced"};
  return kFixed.find(template_name) == kFixed.end();
}

// About one key in five of a parameterised template is held out; the salt keeps this split apart
// from the id hash.
bool is_held_out(std::string_view template_name, const std::string& key) {
  return has_constants(template_name) && fnv1a("heldout:" + key) % 5 == 0;
}

using Args = json;  // a JSON array of arguments
using InputGen = std::function<Args(Rng&)>;
using Solver = std::function<json(const Args&)>;

// One concrete problem before its tests are drawn.
struct Spec {
  std::string key;
  std::string name;  // the Python function
  std::string title;
  std::string statement;
  std::vector<Param> params;
  std::string returns;
  std::string body;  // the reference's body, indented by four spaces
  InputGen input;
  Solver solve;
  std::vector<Args> edges;  // edge cases, used after the public tests
};

struct Template {
  const char* family;
  const char* name;
  int difficulty;
  std::function<Spec(Rng&)> make;
};

std::string str(int64_t value) {
  return std::to_string(value);
}

std::string py_str(const std::string& text) {
  return "\"" + text + "\"";
}

// The key records everything that shapes the problem's text and behaviour.
std::string make_key(const char* template_name, const std::vector<std::string>& parts) {
  std::string key = template_name;
  for (const std::string& part : parts) key += ":" + part;
  return key;
}

// --- input generators -------------------------------------------------------------------

InputGen int_arg(int64_t lo, int64_t hi) {
  return [lo, hi](Rng& rng) { return json::array({rng.range(lo, hi)}); };
}

InputGen two_int_args(int64_t lo, int64_t hi) {
  return [lo, hi](Rng& rng) { return json::array({rng.range(lo, hi), rng.range(lo, hi)}); };
}

json random_list(Rng& rng, size_t min_len, size_t max_len, int64_t lo, int64_t hi) {
  json list = json::array();
  size_t len = min_len + rng.index(max_len - min_len + 1);
  for (size_t i = 0; i < len; ++i) list.push_back(rng.range(lo, hi));
  return list;
}

InputGen list_arg(size_t min_len, size_t max_len, int64_t lo, int64_t hi) {
  return [=](Rng& rng) { return json::array({random_list(rng, min_len, max_len, lo, hi)}); };
}

std::string random_word(Rng& rng, size_t min_len, size_t max_len, std::string_view alphabet) {
  std::string word;
  size_t len = min_len + rng.index(max_len - min_len + 1);
  for (size_t i = 0; i < len; ++i) word += alphabet[rng.index(alphabet.size())];
  return word;
}

constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kFewLetters = "abcdeio";  // repeats and vowels are common

InputGen word_arg(size_t min_len, size_t max_len, std::string_view alphabet = kFewLetters) {
  return [=](Rng& rng) { return json::array({random_word(rng, min_len, max_len, alphabet)}); };
}

std::vector<int64_t> ints(const json& list) {
  std::vector<int64_t> out;
  for (const json& v : list) out.push_back(v.get<int64_t>());
  return out;
}

int64_t arg_int(const Args& args, size_t i) {
  return args[i].get<int64_t>();
}
std::string arg_str(const Args& args, size_t i) {
  return args[i].get<std::string>();
}

json arr(json::initializer_list_t items) {
  return json::array(items);
}

// --- spec builders ----------------------------------------------------------------------

Spec unary_int(std::string key, std::string name, std::string title, std::string statement,
               std::string returns, std::string body, InputGen input,
               std::function<json(int64_t)> f, std::vector<Args> edges) {
  Spec spec;
  spec.key = std::move(key);
  spec.name = std::move(name);
  spec.title = std::move(title);
  spec.statement = std::move(statement);
  spec.params = {{"x", "int"}};
  spec.returns = std::move(returns);
  spec.body = std::move(body);
  spec.input = std::move(input);
  spec.solve = [f](const Args& args) { return f(arg_int(args, 0)); };
  spec.edges = std::move(edges);
  return spec;
}

Spec with_params(Spec spec, std::vector<Param> params) {
  spec.params = std::move(params);
  return spec;
}

// --- arithmetic -------------------------------------------------------------------------

std::vector<Template> arithmetic_templates() {
  std::vector<Template> t;
  t.push_back({"arithmetic", "add_const", 1, [](Rng& rng) {
                 int64_t c = rng.range(1, 30);
                 size_t v = rng.index(2);
                 std::string name = v == 0 ? "add_" + str(c) : "plus_" + str(c);
                 std::string text = rng.coin() ? "Return x plus " + str(c) + "."
                                               : "Add " + str(c) + " to x and return the result.";
                 return unary_int(make_key("add_const", {str(c), name, text}), name,
                                  "Add " + str(c), text, "int", "    return x + " + str(c) + "\n",
                                  int_arg(-100, 100), [c](int64_t x) { return json(x + c); },
                                  {arr({0}), arr({-c})});
               }});
  t.push_back({"arithmetic", "sub_const", 1, [](Rng& rng) {
                 int64_t c = rng.range(1, 30);
                 std::string name = rng.coin() ? "minus_" + str(c) : "sub_" + str(c);
                 std::string text = rng.coin() ? "Return x minus " + str(c) + "."
                                               : "Subtract " + str(c) + " from x and return it.";
                 return unary_int(make_key("sub_const", {str(c), name, text}), name,
                                  "Subtract " + str(c), text, "int",
                                  "    return x - " + str(c) + "\n", int_arg(-100, 100),
                                  [c](int64_t x) { return json(x - c); }, {arr({0}), arr({c})});
               }});
  t.push_back({"arithmetic", "mul_const", 1, [](Rng& rng) {
                 int64_t c = rng.range(2, 12);
                 std::string name = rng.coin() ? "times_" + str(c) : "mul_" + str(c);
                 std::string text = rng.coin() ? "Return x times " + str(c) + "."
                                               : "Multiply x by " + str(c) + " and return it.";
                 return unary_int(make_key("mul_const", {str(c), name, text}), name,
                                  "Multiply by " + str(c), text, "int",
                                  "    return x * " + str(c) + "\n", int_arg(-100, 100),
                                  [c](int64_t x) { return json(x * c); }, {arr({0}), arr({-1})});
               }});
  t.push_back({"arithmetic", "linear", 2, [](Rng& rng) {
                 int64_t a = rng.range(2, 9);
                 int64_t b = rng.range(1, 20);
                 std::string name = rng.coin() ? "linear" : "scale_shift";
                 std::string text = "Return x times " + str(a) + " plus " + str(b) + ".";
                 return unary_int(
                     make_key("linear", {str(a), str(b), name}), name, "Scale and shift", text,
                     "int", "    return x * " + str(a) + " + " + str(b) + "\n", int_arg(-100, 100),
                     [a, b](int64_t x) { return json(x * a + b); }, {arr({0})});
               }});
  t.push_back({"arithmetic", "binop", 1, [](Rng& rng) {
                 struct Op {
                   const char* symbol;
                   const char* word;
                   std::vector<std::string> names;
                 };
                 static const std::vector<Op> ops = {
                     {"+", "the sum of a and b", {"add", "sum_two", "plus"}},
                     {"-", "a minus b", {"subtract", "difference", "minus"}},
                     {"*", "the product of a and b", {"multiply", "product", "times"}}};
                 const Op& op = rng.pick(ops);
                 std::string name = rng.pick(op.names);
                 std::string text = std::string("Return ") + op.word + ".";
                 std::string symbol = op.symbol;
                 Spec spec;
                 spec.key = make_key("binop", {symbol, name});
                 spec.name = name;
                 spec.title = "Two numbers";
                 spec.statement = text;
                 spec.params = {{"a", "int"}, {"b", "int"}};
                 spec.returns = "int";
                 spec.body = "    return a " + symbol + " b\n";
                 spec.input = two_int_args(-50, 50);
                 spec.solve = [symbol](const Args& args) {
                   int64_t a = arg_int(args, 0), b = arg_int(args, 1);
                   if (symbol == "+") return json(a + b);
                   if (symbol == "-") return json(a - b);
                   return json(a * b);
                 };
                 spec.edges = {arr({0, 0}), arr({-7, 7})};
                 return spec;
               }});
  t.push_back({"arithmetic", "combo", 2, [](Rng& rng) {
                 int64_t c = rng.range(2, 9);
                 std::string name = rng.coin() ? "combine" : "mix";
                 Spec spec;
                 spec.key = make_key("combo", {str(c), name});
                 spec.name = name;
                 spec.title = "Combine two numbers";
                 spec.statement = "Return a times " + str(c) + " plus b.";
                 spec.params = {{"a", "int"}, {"b", "int"}};
                 spec.returns = "int";
                 spec.body = "    return a * " + str(c) + " + b\n";
                 spec.input = two_int_args(-50, 50);
                 spec.solve = [c](const Args& args) {
                   return json(arg_int(args, 0) * c + arg_int(args, 1));
                 };
                 spec.edges = {arr({0, 0})};
                 return spec;
               }});
  t.push_back({"arithmetic", "square_plus", 2, [](Rng& rng) {
                 int64_t c = rng.range(0, 20);
                 std::string name = "square_plus_" + str(c);
                 return unary_int(make_key("square_plus", {str(c)}), name, "Square plus",
                                  "Return the square of x plus " + str(c) + ".", "int",
                                  "    return x * x + " + str(c) + "\n", int_arg(-30, 30),
                                  [c](int64_t x) { return json(x * x + c); }, {arr({0})});
               }});
  t.push_back(
      {"arithmetic", "div_mod", 2, [](Rng& rng) {
         int64_t c = rng.range(2, 9);
         bool quotient = rng.coin();
         std::string name = (quotient ? "div_" : "mod_") + str(c);
         std::string text =
             quotient ? "Return x divided by " + str(c) + ", rounded down. x is never negative."
                      : "Return the remainder of x divided by " + str(c) + ". x is never negative.";
         return unary_int(
             make_key("div_mod", {str(c), name}), name, quotient ? "Integer division" : "Remainder",
             text, "int",
             std::string("    return x ") + (quotient ? "//" : "%") + " " + str(c) + "\n",
             int_arg(0, 200), [c, quotient](int64_t x) { return json(quotient ? x / c : x % c); },
             {arr({0}), arr({c}), arr({c - 1})});
       }});
  t.push_back({"arithmetic", "poly", 3, [](Rng& rng) {
                 int64_t a = rng.range(1, 5), b = rng.range(1, 9), c = rng.range(0, 9);
                 std::string name = rng.coin() ? "poly" : "quadratic";
                 std::string text = "Return " + str(a) + " times x squared, plus " + str(b) +
                                    " times x, plus " + str(c) + ".";
                 return unary_int(
                     make_key("poly", {str(a), str(b), str(c), name}), name, "Quadratic", text,
                     "int",
                     "    return " + str(a) + " * x * x + " + str(b) + " * x + " + str(c) + "\n",
                     int_arg(-20, 20), [a, b, c](int64_t x) { return json(a * x * x + b * x + c); },
                     {arr({0}), arr({-1})});
               }});
  return t;
}

// --- conditionals -----------------------------------------------------------------------

std::vector<Template> conditional_templates() {
  std::vector<Template> t;
  t.push_back({"conditionals", "max_min", 1, [](Rng& rng) {
                 bool larger = rng.coin();
                 std::string name = larger
                                        ? rng.pick(std::vector<std::string>{"larger", "max_of"})
                                        : rng.pick(std::vector<std::string>{"smaller", "min_of"});
                 Spec spec;
                 spec.key = make_key("max_min", {larger ? "max" : "min", name});
                 spec.name = name;
                 spec.title = larger ? "Larger of two" : "Smaller of two";
                 spec.statement =
                     larger ? "Return the larger of a and b." : "Return the smaller of a and b.";
                 spec.params = {{"a", "int"}, {"b", "int"}};
                 spec.returns = "int";
                 spec.body = larger ? "    return max(a, b)\n" : "    return min(a, b)\n";
                 spec.input = two_int_args(-50, 50);
                 spec.solve = [larger](const Args& args) {
                   int64_t a = arg_int(args, 0), b = arg_int(args, 1);
                   return json(larger ? std::max(a, b) : std::min(a, b));
                 };
                 spec.edges = {arr({3, 3}), arr({-5, 5})};
                 return spec;
               }});
  t.push_back({"conditionals", "absolute", 1, [](Rng& rng) {
                 std::string name = rng.coin() ? "absolute" : "magnitude";
                 std::string text =
                     rng.coin() ? "Return the absolute value of x." : "Return x without its sign.";
                 return unary_int(
                     make_key("absolute", {name, text}), name, "Absolute value", text, "int",
                     "    if x < 0:\n        return -x\n    return x\n", int_arg(-100, 100),
                     [](int64_t x) { return json(x < 0 ? -x : x); }, {arr({0}), arr({-1})});
               }});
  t.push_back({"conditionals", "sign", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "sign" : "signum";
                 return unary_int(
                     make_key("sign", {name}), name, "Sign",
                     "Return 1 if x is positive, -1 if x is negative, and 0 if x is zero.", "int",
                     "    if x > 0:\n        return 1\n    if x < 0:\n        return -1\n"
                     "    return 0\n",
                     int_arg(-100, 100),
                     [](int64_t x) { return json(x > 0 ? 1 : (x < 0 ? -1 : 0)); },
                     {arr({0}), arr({-1}), arr({1})});
               }});
  t.push_back({"conditionals", "clamp", 2, [](Rng& rng) {
                 int64_t lo = rng.range(-10, 0), hi = rng.range(1, 10);
                 std::string name = "clamp";
                 std::string text = "Return x limited to the range from " + str(lo) + " to " +
                                    str(hi) + ": " + str(lo) + " if x is below it, " + str(hi) +
                                    " if x is above it, else x.";
                 return unary_int(
                     make_key("clamp", {str(lo), str(hi)}), name, "Clamp", text, "int",
                     "    if x < " + str(lo) + ":\n        return " + str(lo) + "\n    if x > " +
                         str(hi) + ":\n        return " + str(hi) + "\n    return x\n",
                     int_arg(-20, 20), [lo, hi](int64_t x) { return json(std::clamp(x, lo, hi)); },
                     {arr({lo}), arr({hi}), arr({lo - 1}), arr({hi + 1})});
               }});
  t.push_back({"conditionals", "is_multiple", 1, [](Rng& rng) {
                 int64_t c = rng.range(2, 9);
                 std::string name = "is_multiple_of_" + str(c);
                 std::string text =
                     rng.coin() ? "Return True if x is divisible by " + str(c) + ", else False."
                                : "Return whether x is a multiple of " + str(c) + ".";
                 return unary_int(make_key("is_multiple", {str(c), text}), name, "Multiple", text,
                                  "bool", "    return x % " + str(c) + " == 0\n", int_arg(-50, 50),
                                  [c](int64_t x) { return json(x % c == 0); },
                                  {arr({0}), arr({c}), arr({c + 1})});
               }});
  t.push_back({"conditionals", "label", 2, [](Rng& rng) {
                 static const std::vector<std::pair<std::string, std::string>> words = {
                     {"big", "small"}, {"high", "low"}, {"yes", "no"}, {"hot", "cold"}};
                 const auto& [above, below] = rng.pick(words);
                 int64_t c = rng.range(-20, 20);
                 std::string name = "label";
                 std::string text = "Return " + py_str(above) + " if x is greater than " + str(c) +
                                    ", otherwise " + py_str(below) + ".";
                 return unary_int(make_key("label", {above, str(c)}), name, "Label", text, "str",
                                  "    if x > " + str(c) + ":\n        return " + py_str(above) +
                                      "\n    return " + py_str(below) + "\n",
                                  int_arg(-50, 50),
                                  [c, above = above, below = below](int64_t x) {
                                    return json(x > c ? above : below);
                                  },
                                  {arr({c}), arr({c + 1})});
               }});
  t.push_back({"conditionals", "fizz", 3, [](Rng& rng) {
                 int64_t a = rng.range(2, 5);
                 int64_t b = rng.range(a + 1, 7);
                 std::string name = "fizz_buzz";
                 std::string text = "Return \"FizzBuzz\" if x is divisible by both " + str(a) +
                                    " and " + str(b) + ", \"Fizz\" if only by " + str(a) +
                                    ", \"Buzz\" if only by " + str(b) +
                                    ", otherwise x as a string.";
                 std::string ca = "x % " + str(a) + " == 0", cb = "x % " + str(b) + " == 0";
                 return unary_int(
                     make_key("fizz", {str(a), str(b)}), name, "Fizz buzz", text, "str",
                     "    if " + ca + " and " + cb + ":\n        return \"FizzBuzz\"\n    if " +
                         ca + ":\n        return \"Fizz\"\n    if " + cb +
                         ":\n        return \"Buzz\"\n    return str(x)\n",
                     int_arg(1, 100),
                     [a, b](int64_t x) {
                       if (x % a == 0 && x % b == 0) return json("FizzBuzz");
                       if (x % a == 0) return json("Fizz");
                       if (x % b == 0) return json("Buzz");
                       return json(std::to_string(x));
                     },
                     {arr({a * b}), arr({a}), arr({b}), arr({1})});
               }});
  t.push_back({"conditionals", "between", 1, [](Rng& rng) {
                 int64_t lo = rng.range(-10, 5);
                 int64_t hi = lo + rng.range(1, 20);
                 std::string name = "in_range";
                 std::string text = "Return True if x is between " + str(lo) + " and " + str(hi) +
                                    " inclusive, else False.";
                 return unary_int(make_key("between", {str(lo), str(hi)}), name, "In range", text,
                                  "bool", "    return " + str(lo) + " <= x <= " + str(hi) + "\n",
                                  int_arg(-30, 30),
                                  [lo, hi](int64_t x) { return json(lo <= x && x <= hi); },
                                  {arr({lo}), arr({hi}), arr({hi + 1})});
               }});
  t.push_back({"conditionals", "parity_word", 1, [](Rng& rng) {
                 static const std::vector<std::pair<std::string, std::string>> words = {
                     {"even", "odd"}, {"E", "O"}, {"pair", "single"}};
                 const auto& [even, odd] = rng.pick(words);
                 std::string name = "parity";
                 std::string text =
                     "Return " + py_str(even) + " if x is even, otherwise " + py_str(odd) + ".";
                 return unary_int(
                     make_key("parity_word", {even}), name, "Parity", text, "str",
                     "    if x % 2 == 0:\n        return " + py_str(even) + "\n    return " +
                         py_str(odd) + "\n",
                     int_arg(-50, 50),
                     [even = even, odd = odd](int64_t x) { return json(x % 2 == 0 ? even : odd); },
                     {arr({0}), arr({-3})});
               }});
  return t;
}

// --- strings ----------------------------------------------------------------------------

Spec unary_str(std::string key, std::string name, std::string title, std::string statement,
               std::string returns, std::string body, InputGen input,
               std::function<json(const std::string&)> f, std::vector<Args> edges) {
  Spec spec;
  spec.key = std::move(key);
  spec.name = std::move(name);
  spec.title = std::move(title);
  spec.statement = std::move(statement);
  spec.params = {{"s", "str"}};
  spec.returns = std::move(returns);
  spec.body = std::move(body);
  spec.input = std::move(input);
  spec.solve = [f](const Args& args) { return f(arg_str(args, 0)); };
  spec.edges = std::move(edges);
  return spec;
}

std::string letter(Rng& rng, std::string_view alphabet = kFewLetters) {
  return std::string(1, alphabet[rng.index(alphabet.size())]);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (!from.empty() && s.compare(i, from.size(), from) == 0) {
      out += to;
      i += from.size();
    } else {
      out += s[i++];
    }
  }
  return out;
}

std::vector<Template> string_templates() {
  std::vector<Template> t;
  t.push_back({"strings", "reverse", 1, [](Rng& rng) {
                 std::string name = rng.pick(std::vector<std::string>{"reverse", "backwards"});
                 std::string text = rng.coin() ? "Return s reversed." : "Return s read backwards.";
                 return unary_str(
                     make_key("reverse", {name, text}), name, "Reverse", text, "str",
                     "    return s[::-1]\n", word_arg(0, 8),
                     [](const std::string& s) { return json(std::string(s.rbegin(), s.rend())); },
                     {arr({""}), arr({"a"})});
               }});
  t.push_back({"strings", "upper", 1, [](Rng& rng) {
                 std::string name = rng.coin() ? "shout" : "to_upper";
                 return unary_str(make_key("upper", {name}), name, "Upper case",
                                  "Return s in upper case.", "str", "    return s.upper()\n",
                                  word_arg(0, 8),
                                  [](const std::string& s) {
                                    std::string out = s;
                                    for (char& c : out) {
                                      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
                                    }
                                    return json(out);
                                  },
                                  {arr({""})});
               }});
  t.push_back(
      {"strings", "count_char", 1, [](Rng& rng) {
         std::string ch = letter(rng);
         std::string name = "count_" + ch;
         return unary_str(
             make_key("count_char", {ch}), name, "Count a letter",
             "Return how many times the letter " + py_str(ch) + " appears in s.", "int",
             "    return s.count(" + py_str(ch) + ")\n", word_arg(0, 10),
             [ch](const std::string& s) { return json(std::count(s.begin(), s.end(), ch[0])); },
             {arr({""}), arr({ch + ch + ch})});
       }});
  t.push_back({"strings", "repeat", 1, [](Rng& rng) {
                 int64_t c = rng.range(2, 4);
                 std::string name = "repeat_" + str(c);
                 return unary_str(make_key("repeat", {str(c)}), name, "Repeat",
                                  "Return s repeated " + str(c) + " times.", "str",
                                  "    return s * " + str(c) + "\n", word_arg(0, 5),
                                  [c](const std::string& s) {
                                    std::string out;
                                    for (int64_t i = 0; i < c; ++i) out += s;
                                    return json(out);
                                  },
                                  {arr({""})});
               }});
  t.push_back({"strings", "palindrome", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "is_palindrome" : "reads_same_backwards";
                 InputGen input = [](Rng& r) {
                   std::string half = random_word(r, 0, 4, "abc");
                   std::string s = half;
                   if (r.coin()) s += letter(r, "abc");
                   s += std::string(half.rbegin(), half.rend());
                   if (r.coin()) s = random_word(r, 1, 7, "abc");  // mostly not a palindrome
                   return json::array({s});
                 };
                 return unary_str(make_key("palindrome", {name}), name, "Palindrome",
                                  "Return True if s reads the same forwards and backwards.", "bool",
                                  "    return s == s[::-1]\n", input,
                                  [](const std::string& s) {
                                    return json(s == std::string(s.rbegin(), s.rend()));
                                  },
                                  {arr({""}), arr({"ab"}), arr({"aba"})});
               }});
  t.push_back({"strings", "replace_char", 2, [](Rng& rng) {
                 std::string a = letter(rng), b = letter(rng, kLetters);
                 while (b == a) b = letter(rng, kLetters);
                 std::string name = "swap_" + a + "_" + b;
                 return unary_str(
                     make_key("replace_char", {a, b}), name, "Replace a letter",
                     "Return s with every " + py_str(a) + " replaced by " + py_str(b) + ".", "str",
                     "    return s.replace(" + py_str(a) + ", " + py_str(b) + ")\n", word_arg(0, 8),
                     [a, b](const std::string& s) { return json(replace_all(s, a, b)); },
                     {arr({""}), arr({a + a})});
               }});
  t.push_back({"strings", "vowels", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "count_vowels" : "vowel_count";
                 return unary_str(
                     make_key("vowels", {name}), name, "Count vowels",
                     "Return the number of vowels (a, e, i, o, u) in s.", "int",
                     "    return sum(1 for c in s if c in \"aeiou\")\n", word_arg(0, 10, kLetters),
                     [](const std::string& s) {
                       int64_t n = 0;
                       for (char c : s)
                         n += std::string_view("aeiou").find(c) != std::string_view::npos;
                       return json(n);
                     },
                     {arr({""}), arr({"xyz"}), arr({"aeiou"})});
               }});
  t.push_back({"strings", "first_last", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "ends" : "first_and_last";
                 return unary_str(
                     make_key("first_last", {name}), name, "First and last",
                     "Return the first character of s followed by the last one, or an empty "
                     "string if s is empty.",
                     "str", "    if not s:\n        return \"\"\n    return s[0] + s[-1]\n",
                     word_arg(0, 8),
                     [](const std::string& s) {
                       return json(s.empty() ? std::string() : std::string{s.front(), s.back()});
                     },
                     {arr({""}), arr({"a"})});
               }});
  t.push_back({"strings", "affix", 1, [](Rng& rng) {
                 std::string word =
                     rng.pick(std::vector<std::string>{"pre", "un", "re", "ing", "ed", "er"});
                 bool prefix = rng.coin();
                 std::string name = (prefix ? "prefix_" : "suffix_") + word;
                 std::string text = prefix ? "Return s with " + py_str(word) + " put in front."
                                           : "Return s with " + py_str(word) + " added at the end.";
                 return unary_str(make_key("affix", {word, prefix ? "p" : "s"}), name, "Affix",
                                  text, "str",
                                  prefix ? "    return " + py_str(word) + " + s\n"
                                         : "    return s + " + py_str(word) + "\n",
                                  word_arg(0, 6),
                                  [word, prefix](const std::string& s) {
                                    return json(prefix ? word + s : s + word);
                                  },
                                  {arr({""})});
               }});
  t.push_back({"strings", "caesar", 3, [](Rng& rng) {
                 int64_t c = rng.range(1, 5);
                 std::string name = "shift_" + str(c);
                 return unary_str(make_key("caesar", {str(c)}), name, "Shift letters",
                                  "s holds lowercase letters. Return s with each letter moved " +
                                      str(c) +
                                      " places forward in the alphabet, wrapping from z to a.",
                                  "str",
                                  "    return \"\".join(chr((ord(c) - 97 + " + str(c) +
                                      ") % 26 + 97) for c in s)\n",
                                  word_arg(0, 8, kLetters),
                                  [c](const std::string& s) {
                                    std::string out = s;
                                    for (char& ch : out)
                                      ch = static_cast<char>((ch - 'a' + c) % 26 + 'a');
                                    return json(out);
                                  },
                                  {arr({""}), arr({"xyz"})});
               }});
  t.push_back({"strings", "remove_char", 2, [](Rng& rng) {
                 std::string ch = letter(rng);
                 std::string name = "drop_" + ch;
                 return unary_str(
                     make_key("remove_char", {ch}), name, "Remove a letter",
                     "Return s with every " + py_str(ch) + " removed.", "str",
                     "    return s.replace(" + py_str(ch) + ", \"\")\n", word_arg(0, 8),
                     [ch](const std::string& s) { return json(replace_all(s, ch, "")); },
                     {arr({""}), arr({ch + ch})});
               }});
  t.push_back(
      {"strings", "length", 1, [](Rng& rng) {
         std::string name = rng.pick(std::vector<std::string>{"length", "size_of", "count_chars"});
         return unary_str(make_key("length", {name}), name, "Length",
                          "Return the number of characters in s.", "int", "    return len(s)\n",
                          word_arg(0, 10), [](const std::string& s) { return json(s.size()); },
                          {arr({""})});
       }});
  return t;
}

// --- lists ------------------------------------------------------------------------------

Spec unary_list(std::string key, std::string name, std::string title, std::string statement,
                std::string returns, std::string body, InputGen input,
                std::function<json(const std::vector<int64_t>&)> f, std::vector<Args> edges) {
  Spec spec;
  spec.key = std::move(key);
  spec.name = std::move(name);
  spec.title = std::move(title);
  spec.statement = std::move(statement);
  spec.params = {{"nums", "list[int]"}};
  spec.returns = std::move(returns);
  spec.body = std::move(body);
  spec.input = std::move(input);
  spec.solve = [f](const Args& args) { return f(ints(args[0])); };
  spec.edges = std::move(edges);
  return spec;
}

json list_json(const std::vector<int64_t>& values) {
  return json(values);
}

std::vector<Template> list_templates() {
  std::vector<Template> t;
  t.push_back(
      {"lists", "reduce", 1, [](Rng& rng) {
         struct Op {
           const char* name;
           const char* text;
           const char* body;
           bool non_empty;
         };
         static const std::vector<Op> ops = {
             {"total", "Return the sum of the numbers in nums.", "    return sum(nums)\n", false},
             {"count", "Return how many numbers nums holds.", "    return len(nums)\n", false},
             {"largest", "Return the largest number in nums. nums is never empty.",
              "    return max(nums)\n", true},
             {"smallest", "Return the smallest number in nums. nums is never empty.",
              "    return min(nums)\n", true}};
         const Op& op = rng.pick(ops);
         std::string name = op.name;
         return unary_list(
             make_key("reduce", {name}), name, "Reduce a list", op.text, "int", op.body,
             list_arg(op.non_empty ? 1 : 0, 8, -20, 20),
             [name](const std::vector<int64_t>& v) {
               if (name == "total") {
                 return json(std::accumulate(v.begin(), v.end(), int64_t{0}));
               }
               if (name == "count") return json(v.size());
               if (name == "largest") return json(*std::max_element(v.begin(), v.end()));
               return json(*std::min_element(v.begin(), v.end()));
             },
             op.non_empty ? std::vector<Args>{arr({arr({-3})})}
                          : std::vector<Args>{arr({json::array()})});
       }});
  t.push_back({"lists", "scale", 1, [](Rng& rng) {
                 int64_t c = rng.range(2, 9);
                 std::string name = "scale_" + str(c);
                 return unary_list(
                     make_key("scale", {str(c)}), name, "Scale a list",
                     "Return a list with each number of nums multiplied by " + str(c) + ".",
                     "list[int]", "    return [x * " + str(c) + " for x in nums]\n",
                     list_arg(0, 8, -20, 20),
                     [c](std::vector<int64_t> v) {
                       for (int64_t& x : v) x *= c;
                       return list_json(v);
                     },
                     {arr({json::array()})});
               }});
  t.push_back({"lists", "shift", 1, [](Rng& rng) {
                 int64_t c = rng.range(1, 20);
                 std::string name = "add_to_all_" + str(c);
                 return unary_list(
                     make_key("shift", {str(c)}), name, "Shift a list",
                     "Return a list with " + str(c) + " added to each number of nums.", "list[int]",
                     "    return [x + " + str(c) + " for x in nums]\n", list_arg(0, 8, -20, 20),
                     [c](std::vector<int64_t> v) {
                       for (int64_t& x : v) x += c;
                       return list_json(v);
                     },
                     {arr({json::array()})});
               }});
  t.push_back({"lists", "filter_greater", 2, [](Rng& rng) {
                 int64_t c = rng.range(-5, 5);
                 std::string name = "keep_above";
                 return unary_list(
                     make_key("filter_greater", {str(c)}), name, "Filter",
                     "Return the numbers of nums that are greater than " + str(c) + ", in order.",
                     "list[int]", "    return [x for x in nums if x > " + str(c) + "]\n",
                     list_arg(0, 8, -20, 20),
                     [c](const std::vector<int64_t>& v) {
                       std::vector<int64_t> out;
                       for (int64_t x : v)
                         if (x > c) out.push_back(x);
                       return list_json(out);
                     },
                     {arr({json::array()}), arr({arr({c})})});
               }});
  t.push_back(
      {"lists", "count_greater", 2, [](Rng& rng) {
         int64_t c = rng.range(-5, 5);
         std::string name = "count_above";
         return unary_list(
             make_key("count_greater", {str(c)}), name, "Count above",
             "Return how many numbers in nums are greater than " + str(c) + ".", "int",
             "    return sum(1 for x in nums if x > " + str(c) + ")\n", list_arg(0, 8, -20, 20),
             [c](const std::vector<int64_t>& v) {
               return json(std::count_if(v.begin(), v.end(), [c](int64_t x) { return x > c; }));
             },
             {arr({json::array()}), arr({arr({c})})});
       }});
  t.push_back(
      {"lists", "parity_filter", 2, [](Rng& rng) {
         bool even = rng.coin();
         std::string name = even ? "evens" : "odds";
         return unary_list(
             make_key("parity_filter", {name}), name, "Filter by parity",
             std::string("Return the ") + (even ? "even" : "odd") + " numbers of nums, in order.",
             "list[int]",
             std::string("    return [x for x in nums if x % 2 ") + (even ? "==" : "!=") + " 0]\n",
             list_arg(0, 8, -20, 20),
             [even](const std::vector<int64_t>& v) {
               std::vector<int64_t> out;
               for (int64_t x : v)
                 if ((x % 2 == 0) == even) out.push_back(x);
               return list_json(out);
             },
             {arr({json::array()}), arr({arr({-3, -2})})});
       }});
  t.push_back({"lists", "sort", 1, [](Rng& rng) {
                 bool ascending = rng.coin();
                 std::string name = ascending ? "sort_up" : "sort_down";
                 return unary_list(make_key("sort", {name}), name, "Sort",
                                   std::string("Return nums sorted in ") +
                                       (ascending ? "increasing" : "decreasing") + " order.",
                                   "list[int]",
                                   ascending ? "    return sorted(nums)\n"
                                             : "    return sorted(nums, reverse=True)\n",
                                   list_arg(0, 8, -20, 20),
                                   [ascending](std::vector<int64_t> v) {
                                     std::sort(v.begin(), v.end());
                                     if (!ascending) std::reverse(v.begin(), v.end());
                                     return list_json(v);
                                   },
                                   {arr({json::array()}), arr({arr({2, 2, 1})})});
               }});
  t.push_back({"lists", "reverse_list", 1, [](Rng& rng) {
                 std::string name = rng.coin() ? "reverse_list" : "flip";
                 return unary_list(make_key("reverse_list", {name}), name, "Reverse a list",
                                   "Return nums in reverse order.", "list[int]",
                                   "    return nums[::-1]\n", list_arg(0, 8, -20, 20),
                                   [](std::vector<int64_t> v) {
                                     std::reverse(v.begin(), v.end());
                                     return list_json(v);
                                   },
                                   {arr({json::array()})});
               }});
  t.push_back({"lists", "sum_squares", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "sum_of_squares" : "square_sum";
                 return unary_list(make_key("sum_squares", {name}), name, "Sum of squares",
                                   "Return the sum of the squares of the numbers in nums.", "int",
                                   "    return sum(x * x for x in nums)\n", list_arg(0, 8, -20, 20),
                                   [](const std::vector<int64_t>& v) {
                                     int64_t total = 0;
                                     for (int64_t x : v) total += x * x;
                                     return json(total);
                                   },
                                   {arr({json::array()})});
               }});
  t.push_back({"lists", "prefix_sums", 3, [](Rng& rng) {
                 std::string name = rng.coin() ? "running_total" : "prefix_sums";
                 return unary_list(make_key("prefix_sums", {name}), name, "Running total",
                                   "Return a list whose i-th number is the sum of nums[0] to "
                                   "nums[i].",
                                   "list[int]",
                                   "    result = []\n    total = 0\n    for x in nums:\n"
                                   "        total += x\n        result.append(total)\n"
                                   "    return result\n",
                                   list_arg(0, 8, -20, 20),
                                   [](std::vector<int64_t> v) {
                                     std::partial_sum(v.begin(), v.end(), v.begin());
                                     return list_json(v);
                                   },
                                   {arr({json::array()})});
               }});
  t.push_back({"lists", "spread", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "spread" : "value_range";
                 return unary_list(make_key("spread", {name}), name, "Spread",
                                   "Return the largest number in nums minus the smallest. nums "
                                   "is never empty.",
                                   "int", "    return max(nums) - min(nums)\n",
                                   list_arg(1, 8, -20, 20),
                                   [](const std::vector<int64_t>& v) {
                                     auto [lo, hi] = std::minmax_element(v.begin(), v.end());
                                     return json(*hi - *lo);
                                   },
                                   {arr({arr({4})})});
               }});
  t.push_back({"lists", "second_largest", 3, [](Rng&) {
                 std::string name = "second_largest";
                 return unary_list(
                     make_key("second_largest", {}), name, "Second largest",
                     "Return the second largest distinct number in nums, or -100 "
                     "if there is none.",
                     "int",
                     "    values = sorted(set(nums))\n    if len(values) < 2:\n"
                     "        return -100\n    return values[-2]\n",
                     list_arg(0, 8, -20, 20),
                     [](const std::vector<int64_t>& v) {
                       std::set<int64_t> values(v.begin(), v.end());
                       if (values.size() < 2) return json(-100);
                       return json(*std::next(values.rbegin()));
                     },
                     {arr({json::array()}), arr({arr({5, 5})}), arr({arr({5, 5, 1})})});
               }});
  t.push_back({"lists", "dedupe", 3, [](Rng& rng) {
                 std::string name = rng.coin() ? "unique" : "dedupe";
                 return unary_list(make_key("dedupe", {name}), name, "Remove duplicates",
                                   "Return nums without repeated numbers, keeping the first "
                                   "occurrence of each, in order.",
                                   "list[int]",
                                   "    seen = set()\n    result = []\n    for x in nums:\n"
                                   "        if x not in seen:\n            seen.add(x)\n"
                                   "            result.append(x)\n    return result\n",
                                   list_arg(0, 8, -4, 4),
                                   [](const std::vector<int64_t>& v) {
                                     std::vector<int64_t> out;
                                     std::set<int64_t> seen;
                                     for (int64_t x : v)
                                       if (seen.insert(x).second) out.push_back(x);
                                     return list_json(out);
                                   },
                                   {arr({json::array()}), arr({arr({1, 1, 1})})});
               }});
  t.push_back({"lists", "contains", 1, [](Rng& rng) {
                 int64_t c = rng.range(-5, 5);
                 std::string name = "has_" + (c < 0 ? "minus_" + str(-c) : str(c));
                 return unary_list(make_key("contains", {str(c)}), name, "Contains",
                                   "Return True if " + str(c) + " is in nums, else False.", "bool",
                                   "    return " + str(c) + " in nums\n", list_arg(0, 8, -6, 6),
                                   [c](const std::vector<int64_t>& v) {
                                     return json(std::find(v.begin(), v.end(), c) != v.end());
                                   },
                                   {arr({json::array()}), arr({arr({c})})});
               }});
  t.push_back({"lists", "product", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "product" : "multiply_all";
                 return unary_list(make_key("product", {name}), name, "Product",
                                   "Return the product of the numbers in nums (1 for an empty "
                                   "list).",
                                   "int",
                                   "    result = 1\n    for x in nums:\n        result *= x\n"
                                   "    return result\n",
                                   list_arg(0, 6, -5, 5),
                                   [](const std::vector<int64_t>& v) {
                                     int64_t p = 1;
                                     for (int64_t x : v) p *= x;
                                     return json(p);
                                   },
                                   {arr({json::array()}), arr({arr({0, 3})})});
               }});
  return t;
}

// --- loops ------------------------------------------------------------------------------

std::vector<Template> loop_templates() {
  std::vector<Template> t;
  t.push_back({"loops", "sum_to_n", 1, [](Rng& rng) {
                 std::string name = rng.coin() ? "sum_to" : "triangle";
                 return with_params(
                     unary_int(make_key("sum_to_n", {name}), name, "Sum up to n",
                               "Return 1 + 2 + ... + n for a non-negative integer n.", "int",
                               "    total = 0\n    for i in range(1, n + 1):\n        total += i\n"
                               "    return total\n",
                               int_arg(0, 100), [](int64_t n) { return json(n * (n + 1) / 2); },
                               {arr({0}), arr({1})}),
                     {{"n", "int"}});
               }});
  t.push_back({"loops", "sum_odd", 2, [](Rng& rng) {
                 bool odd = rng.coin();
                 std::string name = odd ? "sum_odd_to" : "sum_even_to";
                 return with_params(
                     unary_int(make_key("sum_odd", {name}), name, "Sum by parity",
                               std::string("Return the sum of the ") + (odd ? "odd" : "even") +
                                   " numbers from 1 to n.",
                               "int",
                               std::string("    total = 0\n    for i in range(1, n + 1):\n"
                                           "        if i % 2 == ") +
                                   (odd ? "1" : "0") +
                                   ":\n            total += i\n    return total\n",
                               int_arg(0, 100),
                               [odd](int64_t n) {
                                 int64_t total = 0;
                                 for (int64_t i = 1; i <= n; ++i)
                                   if ((i % 2 == 1) == odd) total += i;
                                 return json(total);
                               },
                               {arr({0}), arr({1}), arr({2})}),
                     {{"n", "int"}});
               }});
  t.push_back({"loops", "factorial", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "factorial" : "fact";
                 return with_params(
                     unary_int(make_key("factorial", {name}), name, "Factorial",
                               "Return n! (the product 1 * 2 * ... * n; 0! is 1).", "int",
                               "    result = 1\n    for i in range(2, n + 1):\n"
                               "        result *= i\n    return result\n",
                               int_arg(0, 12),
                               [](int64_t n) {
                                 int64_t r = 1;
                                 for (int64_t i = 2; i <= n; ++i) r *= i;
                                 return json(r);
                               },
                               {arr({0}), arr({1})}),
                     {{"n", "int"}});
               }});
  t.push_back({"loops", "power", 2, [](Rng& rng) {
                 int64_t c = rng.range(2, 5);
                 std::string name = "power_of_" + str(c);
                 return with_params(
                     unary_int(make_key("power", {str(c)}), name, "Power",
                               "Return " + str(c) + " raised to the power n (n >= 0).", "int",
                               "    return " + str(c) + " ** n\n", int_arg(0, 10),
                               [c](int64_t n) {
                                 int64_t r = 1;
                                 for (int64_t i = 0; i < n; ++i) r *= c;
                                 return json(r);
                               },
                               {arr({0}), arr({1})}),
                     {{"n", "int"}});
               }});
  t.push_back({"loops", "digit_sum", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "digit_sum" : "sum_digits";
                 return with_params(
                     unary_int(make_key("digit_sum", {name}), name, "Digit sum",
                               "Return the sum of the decimal digits of n (n >= 0).", "int",
                               "    total = 0\n    while n > 0:\n        total += n % 10\n"
                               "        n //= 10\n    return total\n",
                               int_arg(0, 100000),
                               [](int64_t n) {
                                 int64_t total = 0;
                                 for (; n > 0; n /= 10) total += n % 10;
                                 return json(total);
                               },
                               {arr({0}), arr({9}), arr({10})}),
                     {{"n", "int"}});
               }});
  t.push_back({"loops", "count_digits", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "num_digits" : "count_digits";
                 return with_params(
                     unary_int(make_key("count_digits", {name}), name, "Count digits",
                               "Return how many decimal digits n has (n >= 0; 0 has one).", "int",
                               "    return len(str(n))\n", int_arg(0, 1000000),
                               [](int64_t n) { return json(std::to_string(n).size()); },
                               {arr({0}), arr({10}), arr({99})}),
                     {{"n", "int"}});
               }});
  t.push_back({"loops", "fibonacci", 3, [](Rng& rng) {
                 std::string name = rng.coin() ? "fib" : "fibonacci";
                 return with_params(
                     unary_int(make_key("fibonacci", {name}), name, "Fibonacci",
                               "Return the n-th Fibonacci number, where fib(0) is 0 and fib(1) "
                               "is 1.",
                               "int",
                               "    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n"
                               "    return a\n",
                               int_arg(0, 30),
                               [](int64_t n) {
                                 int64_t a = 0, b = 1;
                                 for (int64_t i = 0; i < n; ++i) {
                                   int64_t next = a + b;
                                   a = b;
                                   b = next;
                                 }
                                 return json(a);
                               },
                               {arr({0}), arr({1}), arr({2})}),
                     {{"n", "int"}});
               }});
  t.push_back({"loops", "multiples_sum", 3, [](Rng& rng) {
                 int64_t c = rng.range(2, 7);
                 std::string name = "sum_multiples_of_" + str(c);
                 return with_params(
                     unary_int(make_key("multiples_sum", {str(c)}), name, "Sum of multiples",
                               "Return the sum of the multiples of " + str(c) +
                                   " that are at least 0 and below n.",
                               "int",
                               "    return sum(i for i in range(n) if i % " + str(c) + " == 0)\n",
                               int_arg(0, 100),
                               [c](int64_t n) {
                                 int64_t total = 0;
                                 for (int64_t i = 0; i < n; i += c) total += i;
                                 return json(total);
                               },
                               {arr({0}), arr({c}), arr({c + 1})}),
                     {{"n", "int"}});
               }});
  t.push_back({"loops", "collatz", 3, [](Rng& rng) {
                 std::string name = rng.coin() ? "collatz_steps" : "steps_to_one";
                 return with_params(
                     unary_int(make_key("collatz", {name}), name, "Collatz steps",
                               "Starting from n >= 1, repeatedly halve n if it is even or "
                               "replace it by 3 * n + 1 if it is odd. Return the number of "
                               "steps until n is 1.",
                               "int",
                               "    steps = 0\n    while n != 1:\n        if n % 2 == 0:\n"
                               "            n //= 2\n        else:\n            n = 3 * n + 1\n"
                               "        steps += 1\n    return steps\n",
                               int_arg(1, 100),
                               [](int64_t n) {
                                 int64_t steps = 0;
                                 for (; n != 1; ++steps) n = n % 2 == 0 ? n / 2 : 3 * n + 1;
                                 return json(steps);
                               },
                               {arr({1}), arr({2})}),
                     {{"n", "int"}});
               }});
  return t;
}

// --- small algorithms -------------------------------------------------------------------

std::vector<Template> algorithm_templates() {
  std::vector<Template> t;
  t.push_back({"algorithms", "gcd", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "gcd" : "greatest_common_divisor";
                 Spec spec;
                 spec.key = make_key("gcd", {name});
                 spec.name = name;
                 spec.title = "Greatest common divisor";
                 spec.statement =
                     "Return the greatest common divisor of a and b (both >= 0; "
                     "gcd(0, 0) is 0).";
                 spec.params = {{"a", "int"}, {"b", "int"}};
                 spec.returns = "int";
                 spec.body = "    while b:\n        a, b = b, a % b\n    return a\n";
                 spec.input = two_int_args(0, 100);
                 spec.solve = [](const Args& args) {
                   return json(std::gcd(arg_int(args, 0), arg_int(args, 1)));
                 };
                 spec.edges = {arr({0, 0}), arr({0, 7}), arr({12, 18})};
                 return spec;
               }});
  t.push_back({"algorithms", "is_prime", 3, [](Rng& rng) {
                 std::string name = rng.coin() ? "is_prime" : "prime";
                 return with_params(
                     unary_int(make_key("is_prime", {name}), name, "Prime test",
                               "Return True if n is a prime number, else False.", "bool",
                               "    if n < 2:\n        return False\n    i = 2\n"
                               "    while i * i <= n:\n        if n % i == 0:\n"
                               "            return False\n        i += 1\n    return True\n",
                               int_arg(0, 100),
                               [](int64_t n) {
                                 if (n < 2) return json(false);
                                 for (int64_t i = 2; i * i <= n; ++i) {
                                   if (n % i == 0) return json(false);
                                 }
                                 return json(true);
                               },
                               {arr({0}), arr({1}), arr({2}), arr({49})}),
                     {{"n", "int"}});
               }});
  t.push_back({"algorithms", "to_binary", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "to_binary" : "binary";
                 return with_params(
                     unary_int(make_key("to_binary", {name}), name, "Binary",
                               "Return n (>= 0) written in base 2, without a prefix.", "str",
                               "    return bin(n)[2:]\n", int_arg(0, 255),
                               [](int64_t n) {
                                 std::string out;
                                 do {
                                   out.insert(out.begin(), static_cast<char>('0' + n % 2));
                                   n /= 2;
                                 } while (n > 0);
                                 return json(out);
                               },
                               {arr({0}), arr({1}), arr({8})}),
                     {{"n", "int"}});
               }});
  t.push_back({"algorithms", "two_sum", 3, [](Rng& rng) {
                 std::string name = rng.coin() ? "has_pair_sum" : "two_sum_exists";
                 Spec spec;
                 spec.key = make_key("two_sum", {name});
                 spec.name = name;
                 spec.title = "Pair with a sum";
                 spec.statement =
                     "Return True if two numbers at different positions of nums add "
                     "up to target, else False.";
                 spec.params = {{"nums", "list[int]"}, {"target", "int"}};
                 spec.returns = "bool";
                 spec.body =
                     "    seen = set()\n    for x in nums:\n        if target - x in seen:\n"
                     "            return True\n        seen.add(x)\n    return False\n";
                 spec.input = [](Rng& r) {
                   return json::array({random_list(r, 0, 7, -10, 10), r.range(-15, 15)});
                 };
                 spec.solve = [](const Args& args) {
                   std::vector<int64_t> v = ints(args[0]);
                   int64_t target = arg_int(args, 1);
                   for (size_t i = 0; i < v.size(); ++i) {
                     for (size_t j = i + 1; j < v.size(); ++j) {
                       if (v[i] + v[j] == target) return json(true);
                     }
                   }
                   return json(false);
                 };
                 spec.edges = {arr({json::array(), 0}), arr({arr({3}), 6}), arr({arr({3, 3}), 6})};
                 return spec;
               }});
  t.push_back({"algorithms", "run_length", 3, [](Rng& rng) {
                 std::string name = rng.coin() ? "run_length" : "compress";
                 return unary_str(make_key("run_length", {name}), name, "Run-length encoding",
                                  "Return s with each run of equal letters written as the letter "
                                  "followed by the run's length, e.g. \"aaab\" gives \"a3b1\".",
                                  "str",
                                  "    result = \"\"\n    i = 0\n    while i < len(s):\n"
                                  "        j = i\n        while j < len(s) and s[j] == s[i]:\n"
                                  "            j += 1\n        result += s[i] + str(j - i)\n"
                                  "        i = j\n    return result\n",
                                  word_arg(0, 8, "abc"),
                                  [](const std::string& s) {
                                    std::string out;
                                    for (size_t i = 0; i < s.size();) {
                                      size_t j = i;
                                      while (j < s.size() && s[j] == s[i]) ++j;
                                      out += s[i] + std::to_string(j - i);
                                      i = j;
                                    }
                                    return json(out);
                                  },
                                  {arr({""}), arr({"aaaa"})});
               }});
  t.push_back({"algorithms", "max_subarray", 3, [](Rng& rng) {
                 std::string name = rng.coin() ? "max_subarray" : "best_run_sum";
                 return unary_list(make_key("max_subarray", {name}), name, "Maximum subarray",
                                   "Return the largest sum of a non-empty run of consecutive "
                                   "numbers in nums. nums is never empty.",
                                   "int",
                                   "    best = nums[0]\n    current = 0\n    for x in nums:\n"
                                   "        current = max(x, current + x)\n"
                                   "        best = max(best, current)\n    return best\n",
                                   list_arg(1, 8, -10, 10),
                                   [](const std::vector<int64_t>& v) {
                                     int64_t best = v[0], current = 0;
                                     for (int64_t x : v) {
                                       current = std::max(x, current + x);
                                       best = std::max(best, current);
                                     }
                                     return json(best);
                                   },
                                   {arr({arr({-3})}), arr({arr({-2, -1})})});
               }});
  t.push_back({"algorithms", "index_of", 2, [](Rng& rng) {
                 int64_t c = rng.range(0, 9);
                 std::string name = "find_" + str(c);
                 return unary_list(make_key("index_of", {str(c)}), name, "Index of",
                                   "Return the position of the first " + str(c) +
                                       " in nums, or -1 if there is none.",
                                   "int",
                                   "    for i, x in enumerate(nums):\n        if x == " + str(c) +
                                       ":\n            return i\n    return -1\n",
                                   list_arg(0, 8, 0, 9),
                                   [c](const std::vector<int64_t>& v) {
                                     auto it = std::find(v.begin(), v.end(), c);
                                     return json(it == v.end() ? int64_t{-1} : it - v.begin());
                                   },
                                   {arr({json::array()}), arr({arr({c, c})})});
               }});
  t.push_back({"algorithms", "is_sorted", 2, [](Rng& rng) {
                 std::string name = rng.coin() ? "is_sorted" : "non_decreasing";
                 InputGen input = [](Rng& r) {
                   json list = random_list(r, 0, 6, -9, 9);
                   if (r.coin()) {
                     std::vector<int64_t> v = ints(list);
                     std::sort(v.begin(), v.end());
                     list = json(v);
                   }
                   return json::array({list});
                 };
                 return unary_list(make_key("is_sorted", {name}), name, "Sorted check",
                                   "Return True if each number of nums is at least the one "
                                   "before it, else False.",
                                   "bool",
                                   "    for i in range(1, len(nums)):\n"
                                   "        if nums[i] < nums[i - 1]:\n"
                                   "            return False\n    return True\n",
                                   input,
                                   [](const std::vector<int64_t>& v) {
                                     return json(std::is_sorted(v.begin(), v.end()));
                                   },
                                   {arr({json::array()}), arr({arr({2, 2})}), arr({arr({2, 1})})});
               }});
  t.push_back({"algorithms", "longest_run", 3, [](Rng& rng) {
                 std::string name = rng.coin() ? "longest_run" : "longest_streak";
                 return unary_list(make_key("longest_run", {name}), name, "Longest run",
                                   "Return the length of the longest run of equal adjacent "
                                   "numbers in nums (0 for an empty list).",
                                   "int",
                                   "    best = 0\n    run = 0\n    for i in range(len(nums)):\n"
                                   "        if i > 0 and nums[i] == nums[i - 1]:\n"
                                   "            run += 1\n        else:\n            run = 1\n"
                                   "        best = max(best, run)\n    return best\n",
                                   list_arg(0, 8, 0, 2),
                                   [](const std::vector<int64_t>& v) {
                                     int64_t best = 0, run = 0;
                                     for (size_t i = 0; i < v.size(); ++i) {
                                       run = (i > 0 && v[i] == v[i - 1]) ? run + 1 : 1;
                                       best = std::max(best, run);
                                     }
                                     return json(best);
                                   },
                                   {arr({json::array()}), arr({arr({1})})});
               }});
  t.push_back({"algorithms", "count_pairs", 3, [](Rng& rng) {
                 int64_t c = rng.range(0, 10);
                 std::string name = "pairs_summing_to_" + str(c);
                 return unary_list(make_key("count_pairs", {str(c)}), name, "Count pairs",
                                   "Return how many pairs of positions i < j have nums[i] + "
                                   "nums[j] equal to " +
                                       str(c) + ".",
                                   "int",
                                   "    count = 0\n    for i in range(len(nums)):\n"
                                   "        for j in range(i + 1, len(nums)):\n"
                                   "            if nums[i] + nums[j] == " +
                                       str(c) + ":\n                count += 1\n    return count\n",
                                   list_arg(0, 8, 0, 10),
                                   [c](const std::vector<int64_t>& v) {
                                     int64_t count = 0;
                                     for (size_t i = 0; i < v.size(); ++i) {
                                       for (size_t j = i + 1; j < v.size(); ++j) {
                                         count += v[i] + v[j] == c;
                                       }
                                     }
                                     return json(count);
                                   },
                                   {arr({json::array()})});
               }});
  t.push_back({"algorithms", "balanced", 3, [](Rng& rng) {
                 std::string name = rng.coin() ? "balanced" : "valid_parens";
                 InputGen input = [](Rng& r) {
                   std::string s;
                   if (r.coin()) {  // a balanced string, sometimes broken below
                     int open = 0;
                     size_t len = 2 * r.index(5);
                     for (size_t i = 0; i < len; ++i) {
                       bool can_open = open < static_cast<int>(len - i) - open;
                       if (open == 0 || (can_open && r.coin())) {
                         s += '(';
                         ++open;
                       } else {
                         s += ')';
                         --open;
                       }
                     }
                     while (open-- > 0) s += ')';
                   } else {
                     s = random_word(r, 1, 8, "()");
                   }
                   return json::array({s});
                 };
                 return unary_str(make_key("balanced", {name}), name, "Balanced parentheses",
                                  "s holds only '(' and ')'. Return True if every '(' is closed "
                                  "by a later ')' and every ')' closes an earlier '(', else "
                                  "False.",
                                  "bool",
                                  "    depth = 0\n    for c in s:\n        if c == \"(\":\n"
                                  "            depth += 1\n        else:\n            depth -= 1\n"
                                  "        if depth < 0:\n            return False\n"
                                  "    return depth == 0\n",
                                  input,
                                  [](const std::string& s) {
                                    int depth = 0;
                                    for (char c : s) {
                                      depth += c == '(' ? 1 : -1;
                                      if (depth < 0) return json(false);
                                    }
                                    return json(depth == 0);
                                  },
                                  {arr({""}), arr({")("}), arr({"(())"})});
               }});
  return t;
}

const std::vector<Template>& all_templates() {
  static const std::vector<Template> templates = [] {
    std::vector<Template> out;
    for (auto make : {arithmetic_templates, conditional_templates, string_templates, list_templates,
                      loop_templates, algorithm_templates}) {
      for (Template& t : make()) out.push_back(std::move(t));
    }
    return out;
  }();
  return templates;
}

const char* difficulty_name(int difficulty) {
  return difficulty <= 1 ? "easy" : (difficulty == 2 ? "medium" : "hard");
}

std::string hex8(uint64_t value) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kDigits[value & 0xf];
    value >>= 4;
  }
  return out;
}

std::string python_signature(const Spec& spec) {
  std::string out = "def " + spec.name + "(";
  for (size_t i = 0; i < spec.params.size(); ++i) {
    if (i > 0) out += ", ";
    out += spec.params[i].name + ": " + spec.params[i].type;
  }
  return out + ") -> " + spec.returns + ":\n";
}

// Public tests first (typical random inputs), then the edge cases, then more random inputs;
// no input twice.
std::vector<Test> draw_tests(const Spec& spec, Rng& rng, size_t count, size_t public_count) {
  std::vector<Test> tests;
  std::set<std::string> seen;
  auto add = [&](const Args& args) {
    std::string input = args.dump();
    if (tests.size() >= count || !seen.insert(input).second) return;
    tests.push_back({input, spec.solve(args).dump(), ""});
  };
  for (size_t attempt = 0; tests.size() < public_count && attempt < 50; ++attempt) {
    add(spec.input(rng));
  }
  for (const Args& edge : spec.edges) add(edge);
  for (size_t attempt = 0; tests.size() < count && attempt < 20 * count; ++attempt) {
    add(spec.input(rng));
  }
  return tests;
}

}  // namespace

const char* generator_split_name(GeneratorSplit split) {
  switch (split) {
    case GeneratorSplit::kTrain:
      return "train";
    case GeneratorSplit::kHeldOut:
      return "heldout";
    case GeneratorSplit::kAll:
      return "all";
  }
  return "train";
}

std::optional<GeneratorSplit> parse_generator_split(std::string_view name) {
  if (name == "train") return GeneratorSplit::kTrain;
  if (name == "heldout" || name == "held-out" || name == "test") return GeneratorSplit::kHeldOut;
  if (name == "all") return GeneratorSplit::kAll;
  return std::nullopt;
}

const std::vector<std::string>& generator_families() {
  static const std::vector<std::string> families = {"arithmetic", "conditionals", "strings",
                                                    "lists",      "loops",        "algorithms"};
  return families;
}

size_t generator_template_count(const std::string& family, int difficulty) {
  size_t n = 0;
  for (const Template& t : all_templates()) n += family == t.family && difficulty == t.difficulty;
  return n;
}

GeneratedProblems generate_problems(const GeneratorOptions& options) {
  GeneratedProblems out;
  for (const std::string& family : options.families) {
    const auto& known = generator_families();
    if (std::find(known.begin(), known.end(), family) == known.end()) {
      out.error = "unknown family '" + family + "'";
      return out;
    }
  }
  if (options.min_difficulty > options.max_difficulty || options.max_difficulty < 1 ||
      options.min_difficulty > 3) {
    out.error = "difficulty range is empty (templates are rated 1 to 3)";
    return out;
  }
  if (options.tests == 0 || options.public_tests > options.tests) {
    out.error = "tests must be at least 1 and at least public_tests";
    return out;
  }
  std::vector<const Template*> pool;
  for (const Template& t : all_templates()) {
    bool family_ok = options.families.empty() ||
                     std::find(options.families.begin(), options.families.end(), t.family) !=
                         options.families.end();
    if (family_ok && t.difficulty >= options.min_difficulty &&
        t.difficulty <= options.max_difficulty) {
      pool.push_back(&t);
    }
  }
  if (pool.empty()) {
    out.error = "no template matches the families and difficulty range";
    return out;
  }
  // Seeds go through one splitmix step: consecutive raw seeds would give streams that are the
  // same sequence shifted by one draw.
  Rng rng(Rng(options.seed).next());
  std::set<std::string> keys;
  // Stop when the filters leave nothing new to draw (a long run of repeats).
  const size_t give_up_after = 5000 + 100 * pool.size();
  size_t since_new = 0;
  while (out.problems.size() < options.count && since_new < give_up_after) {
    const Template& t = *pool[rng.index(pool.size())];
    Spec spec = t.make(rng);
    bool held_out = is_held_out(t.name, spec.key);
    if ((options.split == GeneratorSplit::kTrain && held_out) ||
        (options.split == GeneratorSplit::kHeldOut && !held_out) || !keys.insert(spec.key).second) {
      ++since_new;
      continue;
    }
    since_new = 0;
    Problem problem;
    problem.id = std::string("synth/") + t.family + "/" + t.name + "-" + hex8(fnv1a(spec.key));
    problem.title = spec.title;
    problem.statement = spec.statement;
    problem.difficulty = difficulty_name(t.difficulty);
    problem.tags = {t.family, t.name, "synthetic", held_out ? "heldout" : "train"};
    problem.mode = Mode::kFunction;
    problem.entry_point = spec.name;
    problem.signature.params = spec.params;
    problem.signature.returns = spec.returns;
    problem.starter_code["python"] = python_signature(spec) + "    pass\n";
    problem.tests = draw_tests(spec, rng, options.tests, options.public_tests);
    problem.public_tests = std::min(options.public_tests, problem.tests.size());
    problem.limits.time_ms = 1000;
    problem.limits.memory_mb = 128;
    problem.reference["python"] = python_signature(spec) + spec.body;
    problem.source = "codejudge-synthetic";
    problem.license = "MIT";
    std::string invalid = validate_problem(problem);
    if (!invalid.empty()) {  // a template bug: say so rather than emit a broken problem
      out.error = problem.id + ": " + invalid;
      return out;
    }
    out.problems.push_back(std::move(problem));
  }
  if (out.problems.size() < options.count) {
    out.error = "only " + std::to_string(out.problems.size()) +
                " distinct problems match the options (asked for " + std::to_string(options.count) +
                ")";
  }
  return out;
}

std::string generated_problems_jsonl(const std::vector<Problem>& problems) {
  std::string out;
  for (const Problem& problem : problems) {
    out += to_json(problem).dump();
    out += '\n';
  }
  return out;
}

}  // namespace codejudge::problems
