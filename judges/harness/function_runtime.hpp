// The C++ function-mode harness runtime (see judges/include/codejudge/judges/harness.h for the
// protocol). Embedded at build time and pasted before the preamble and the submission, so that a
// submission's macros (#define int long long) cannot break it. It is all templates and takes
// the parameter and return types from the submission's own function (deduced from
// &Solution::method), so vector<vector<char>>, const& parameters or unsigned types work as
// written. The short driver that names the entry point follows the submission (harness_cpp.cpp).
// Compiles on its own: g++ -std=c++20 -fsyntax-only function_runtime.hpp (a ctest does).
#include <cctype>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <ranges>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

namespace cjh {

[[noreturn]] inline void fail(int code, const std::string& message) {
  std::fflush(stdout);
  std::string text = (code == 99 ? "codejudge-harness: " : "codejudge: ") + message + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
  std::_Exit(code);
}

// A parsed JSON value: t is n(ull), b(ool), i(nteger in 64 bits), d(ouble), s(tring),
// a(rray).
struct J {
  char t = 'n';
  bool b = false;
  long long i = 0;
  double d = 0;
  std::string s;
  std::vector<J> a;
};

struct Parser {
  const char* p;
  const char* e;
  void ws() {
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) ++p;
  }
  bool lit(std::string_view w) {
    if (static_cast<size_t>(e - p) < w.size() || std::string_view(p, w.size()) != w) return false;
    p += w.size();
    return true;
  }
  bool hex4(unsigned& u) {
    if (e - p < 4) return false;
    u = 0;
    for (unsigned k = 0; k < 4; ++k) {
      char c = *p++;
      u <<= 4;
      if (c >= '0' && c <= '9')
        u |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        u |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        u |= static_cast<unsigned>(c - 'A' + 10);
      else
        return false;
    }
    return true;
  }
  static void utf8(std::string& o, unsigned u) {
    if (u < 0x80) {
      o += static_cast<char>(u);
    } else if (u < 0x800) {
      o += static_cast<char>(0xC0 | (u >> 6));
      o += static_cast<char>(0x80 | (u & 63));
    } else if (u < 0x10000) {
      o += static_cast<char>(0xE0 | (u >> 12));
      o += static_cast<char>(0x80 | ((u >> 6) & 63));
      o += static_cast<char>(0x80 | (u & 63));
    } else {
      o += static_cast<char>(0xF0 | (u >> 18));
      o += static_cast<char>(0x80 | ((u >> 12) & 63));
      o += static_cast<char>(0x80 | ((u >> 6) & 63));
      o += static_cast<char>(0x80 | (u & 63));
    }
  }
  bool str(std::string& o) {
    ++p;
    while (p < e) {
      char c = *p++;
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        o += c;
        continue;
      }
      if (p >= e) return false;
      switch (c = *p++) {
        case '"':
        case '\\':
        case '/':
          o += c;
          break;
        case 'b':
          o += '\b';
          break;
        case 'f':
          o += '\f';
          break;
        case 'n':
          o += '\n';
          break;
        case 'r':
          o += '\r';
          break;
        case 't':
          o += '\t';
          break;
        case 'u': {
          unsigned u = 0;
          if (!hex4(u)) return false;
          if (u >= 0xD800 && u < 0xDC00) {
            const char* save = p;
            unsigned v = 0;
            if (e - p >= 6 && p[0] == '\\' && p[1] == 'u' && (p += 2, hex4(v)) && v >= 0xDC00 &&
                v < 0xE000) {
              u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
            } else {
              p = save;
              u = 0xFFFD;
            }
          } else if (u >= 0xDC00 && u < 0xE000) {
            u = 0xFFFD;
          }
          utf8(o, u);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }
  bool num(J& j) {
    const char* s = p;
    bool integral = true;
    if (p < e && *p == '-') ++p;
    if (p >= e || *p < '0' || *p > '9') return false;
    while (p < e && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' || *p == '+' ||
                     *p == '-')) {
      if (*p < '0' || *p > '9') integral = false;
      ++p;
    }
    if (integral) {
      auto r = std::from_chars(s, p, j.i);
      if (r.ec == std::errc() && r.ptr == p) {
        j.t = 'i';
        return true;
      }
    }
    auto r = std::from_chars(s, p, j.d);
    j.t = 'd';
    return r.ec == std::errc() && r.ptr == p;
  }
  bool val(J& j, unsigned depth) {
    ws();
    if (p >= e || depth > 256) return false;
    switch (*p) {
      case '[':
        ++p;
        j.t = 'a';
        ws();
        if (p < e && *p == ']') return ++p, true;
        for (;;) {
          j.a.emplace_back();
          if (!val(j.a.back(), depth + 1)) return false;
          ws();
          if (p < e && *p == ',') {
            ++p;
          } else if (p < e && *p == ']') {
            return ++p, true;
          } else {
            return false;
          }
        }
      case '"':
        j.t = 's';
        return str(j.s);
      case 't':
        j.t = 'b';
        j.b = true;
        return lit("true");
      case 'f':
        j.t = 'b';
        return lit("false");
      case 'n':
        return lit("null");
      default:
        return num(j);
    }
  }
  bool parse(J& j) {
    if (!val(j, 0)) return false;
    ws();
    return p == e;
  }
};

inline bool integral_value(const J& j, long long& x) {
  if (j.t == 'i') {
    x = j.i;
    return true;
  }
  if (j.t == 'd' && std::floor(j.d) == j.d && std::fabs(j.d) < 9.2e18) {
    x = static_cast<long long>(j.d);
    return true;
  }
  return false;
}

// Does the argument match the problem's declared type code (see harness_internal.h)?
inline bool valid(const J& j, const char* t) {
  long long x = 0;
  switch (*t) {
    case '[':
      if (j.t != 'a') return false;
      for (const J& e : j.a) {
        if (!cjh::valid(e, t + 1)) return false;
      }
      return true;
    case 'i':
    case 'l':
      return cjh::integral_value(j, x);
    case 'f':
      return j.t == 'i' || j.t == 'd';
    case 'b':
      return j.t == 'b';
    case 's':
      return j.t == 's';
    case 'N':
      if (j.t != 'a') return false;
      for (const J& e : j.a) {
        if (!cjh::integral_value(e, x)) return false;
      }
      return true;
    case 'T':
      if (j.t != 'a') return false;
      for (const J& e : j.a) {
        if (e.t != 'n' && !cjh::integral_value(e, x)) return false;
      }
      return true;
  }
  return false;
}

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
constexpr bool is_char_type =
    std::is_same_v<T, char> || std::is_same_v<T, wchar_t> || std::is_same_v<T, char8_t> ||
    std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t>;
template <class N>
concept list_node = requires(N& n) {
  n.val;
  n.next;
};
template <class N>
concept tree_node = requires(N& n) {
  n.val;
  n.left;
  n.right;
};
template <class T>
using pointee = std::remove_cv_t<std::remove_pointer_t<T>>;

template <class T>
bool rd(const J& j, T& out);

template <class N>
N* new_node(const J& j) {
  std::remove_cvref_t<decltype(std::declval<N&>().val)> v{};
  if (!cjh::rd(j, v)) return nullptr;
  if constexpr (std::is_constructible_v<N, decltype(v)>) {
    return new N(v);
  } else {
    N* n = new N();
    n->val = v;
    return n;
  }
}

// Fills a parameter of the submission's own type from a JSON value; false when it cannot.
template <class T>
bool rd(const J& j, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    if (j.t != 'b') return false;
    out = j.b;
  } else if constexpr (std::is_same_v<T, char>) {
    if (j.t != 's' || j.s.size() != 1) return false;
    out = j.s[0];
  } else if constexpr (std::is_integral_v<T> && !is_char_type<T>) {
    long long x = 0;
    if (!cjh::integral_value(j, x) || !std::in_range<T>(x)) return false;
    out = static_cast<T>(x);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (j.t == 'i')
      out = static_cast<T>(j.i);
    else if (j.t == 'd')
      out = static_cast<T>(j.d);
    else
      return false;
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (j.t != 's') return false;
    out = j.s;
  } else if constexpr (is_vector<T>::value) {
    if (j.t != 'a') return false;
    out.clear();
    out.resize(j.a.size());
    for (size_t k = 0; k < j.a.size(); ++k) {
      if constexpr (std::is_same_v<typename T::value_type, bool>) {
        bool v = false;
        if (!cjh::rd(j.a[k], v)) return false;
        out[k] = v;
      } else {
        if (!cjh::rd(j.a[k], out[k])) return false;
      }
    }
  } else if constexpr (std::is_pointer_v<T> && list_node<pointee<T>>) {
    using N = pointee<T>;
    if (j.t != 'a') return false;
    N* head = nullptr;
    N** tail = &head;
    for (const J& e : j.a) {
      N* n = new_node<N>(e);
      if (n == nullptr) return false;
      n->next = nullptr;
      *tail = n;
      tail = &n->next;
    }
    out = head;
  } else if constexpr (std::is_pointer_v<T> && tree_node<pointee<T>>) {
    using N = pointee<T>;
    if (j.t != 'a') return false;
    out = nullptr;
    if (j.a.empty() || j.a[0].t == 'n') return true;
    // Level order: value k > 0 is child (k - 1) % 2 of the ((k - 1) / 2)-th non-null value;
    // values past the last child slot are ignored, as LeetCode's own builders do.
    std::vector<N*> queue;
    for (size_t k = 0; k < j.a.size(); ++k) {
      N* n = nullptr;
      if (j.a[k].t != 'n') {
        n = new_node<N>(j.a[k]);
        if (n == nullptr) return false;
        n->left = n->right = nullptr;
      }
      if (k > 0) {
        size_t parent = (k - 1) / 2;
        if (parent >= queue.size()) break;
        (k % 2 == 1 ? queue[parent]->left : queue[parent]->right) = n;
      }
      if (n != nullptr) queue.push_back(n);
    }
    out = queue[0];
  } else {
    static_assert(sizeof(T) == 0, "codejudge: the harness cannot fill this parameter type");
  }
  return true;
}

inline void wstr(std::string& o, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  o += '"';
  for (size_t k = 0; k < s.size();) {
    auto c = static_cast<unsigned char>(s[k]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          o += "\\\"";
          break;
        case '\\':
          o += "\\\\";
          break;
        case '\n':
          o += "\\n";
          break;
        case '\r':
          o += "\\r";
          break;
        case '\t':
          o += "\\t";
          break;
        case '\b':
          o += "\\b";
          break;
        case '\f':
          o += "\\f";
          break;
        default:
          if (c < 0x20) {
            o += "\\u00";
            o += kHex[c >> 4];
            o += kHex[c & 15];
          } else {
            o += static_cast<char>(c);
          }
      }
      ++k;
      continue;
    }
    // Valid UTF-8 passes through; any other byte becomes U+FFFD so the line stays JSON.
    size_t n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    bool ok = c >= 0xC2 && c <= 0xF4 && k + n < s.size();
    for (size_t m = 1; ok && m <= n; ++m) {
      ok = (static_cast<unsigned char>(s[k + m]) & 0xC0) == 0x80;
    }
    if (ok) {
      auto d = static_cast<unsigned char>(s[k + 1]);
      ok = !(c == 0xE0 && d < 0xA0) && !(c == 0xED && d >= 0xA0) && !(c == 0xF0 && d < 0x90) &&
           !(c == 0xF4 && d >= 0x90);
    }
    if (ok) {
      o.append(s.data() + k, n + 1);
      k += n + 1;
    } else {
      o += "\\ufffd";
      ++k;
    }
  }
  o += '"';
}

// Writes a value of the submission's own type as JSON. t is the declared type code (or
// ""): it only turns a 0/1 integer into a bool where a bool was declared.
template <class T>
void w(std::string& o, const T& v, const char* t) {
  if constexpr (std::is_same_v<T, bool>) {
    o += v ? "true" : "false";
  } else if constexpr (std::is_same_v<T, char>) {
    cjh::wstr(o, std::string_view(&v, 1));
  } else if constexpr (std::is_integral_v<T> && !is_char_type<T>) {
    if (*t == 'b' && (v == 0 || v == 1))
      o += v ? "true" : "false";
    else
      o += std::to_string(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    // A float stays a float literal (3.0, not 3), so that the judge can tell a float returned
    // where an integer is declared; non-finite values are the tokens NaN, Infinity, -Infinity.
    const double d = static_cast<double>(v);
    if (std::isnan(d)) {
      o += "NaN";
    } else if (std::isinf(d)) {
      o += d > 0 ? "Infinity" : "-Infinity";
    } else {
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, d);
      const std::string_view text(buf, static_cast<size_t>(r.ptr - buf));
      o += text;
      if (text.find_first_of(".e") == std::string_view::npos) o += ".0";
    }
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    cjh::wstr(o, std::string_view(v));
  } else if constexpr (std::is_pointer_v<T> && list_node<pointee<T>>) {
    std::unordered_set<const void*> seen;
    o += '[';
    for (auto n = v; n != nullptr; n = n->next) {
      if (!seen.insert(n).second) fail(1, "the returned linked list has a cycle");
      if (n != v) o += ',';
      cjh::w(o, n->val, "i");
    }
    o += ']';
  } else if constexpr (std::is_pointer_v<T> && tree_node<pointee<T>>) {
    std::vector<const pointee<T>*> order;
    std::unordered_set<const void*> seen;
    if (v != nullptr) order.push_back(v);
    seen.insert(v);
    for (size_t h = 0; h < order.size(); ++h) {
      if (order[h] == nullptr) continue;
      for (const pointee<T>* child : {order[h]->left, order[h]->right}) {
        if (child != nullptr && !seen.insert(child).second) {
          fail(1, "the returned tree has a cycle or a shared node");
        }
        order.push_back(child);
      }
    }
    while (!order.empty() && order.back() == nullptr) order.pop_back();
    o += '[';
    for (size_t h = 0; h < order.size(); ++h) {
      if (h > 0) o += ',';
      if (order[h] == nullptr)
        o += "null";
      else
        cjh::w(o, order[h]->val, "i");
    }
    o += ']';
  } else if constexpr (std::ranges::range<T>) {
    const char* sub = *t == '[' ? t + 1 : "";
    o += '[';
    bool first = true;
    for (const auto& e : v) {
      if (!first) o += ',';
      first = false;
      cjh::w(o, e, sub);
    }
    o += ']';
  } else {
    static_assert(sizeof(T) == 0, "codejudge: the harness cannot write this return type");
  }
}

template <class R, class... A>
struct Sig {
  using Ret = R;
  using Args = std::tuple<std::decay_t<A>...>;
  static constexpr size_t kArity = sizeof...(A);
};
template <class R, class... A>
Sig<R, A...> sig_of(R (*)(A...));
template <class R, class C, class... A>
Sig<R, A...> sig_of(R (C::*)(A...));
template <class R, class C, class... A>
Sig<R, A...> sig_of(R (C::*)(A...) const);

template <class Tuple, size_t... K>
void fill(Tuple& args, const J& j, size_t test, std::index_sequence<K...>) {
  ((cjh::rd(j.a[K], std::get<K>(args)) ||
    (fail(1, "test " + std::to_string(test) + ": argument " + std::to_string(K) +
                 " does not fit the parameter type of the submission's function"),
     false)),
   ...);
}

template <class E>
int run(const char* const* params, const char* returns) {
  using S = typename E::Sig;
  static_assert(S::kArity == E::kParams,
                "codejudge: the entry point's parameter count differs from the problem's");
  static_assert(S::kArity > 0 || !E::kVoid,
                "codejudge: a void entry point needs an "
                "argument");
  std::string in;
  char buf[1 << 16];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, stdin)) > 0;) in.append(buf, n);
  size_t pos = in.find('\n');
  std::string token = in.substr(0, pos);
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.empty()) fail(99, "the first stdin line must be the token");
  for (size_t index = 0; pos != std::string::npos;) {
    size_t start = pos + 1;
    pos = in.find('\n', start);
    std::string_view line(in.data() + start, (pos == std::string::npos ? in.size() : pos) - start);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    size_t i = index++;
    J j;
    Parser parser{line.data(), line.data() + line.size()};
    if (!parser.parse(j) || j.t != 'a' || j.a.size() != S::kArity) {
      fail(99, "test " + std::to_string(i) + ": expected a JSON array of " +
                   std::to_string(S::kArity) + " arguments");
    }
    for (size_t k = 0; k < S::kArity; ++k) {
      if (!cjh::valid(j.a[k], params[k])) {
        fail(99, "test " + std::to_string(i) + ": argument " + std::to_string(k) +
                     " does not match its declared type");
      }
    }
    typename S::Args args;
    cjh::fill(args, j, i, std::make_index_sequence<S::kArity>{});
    std::string o = "\n" + token + " " + std::to_string(i) + " ";
    if constexpr (std::is_void_v<typename S::Ret>) {
      std::apply([](auto&... a) { E::call(a...); }, args);
    } else {
      auto r = std::apply([](auto&... a) { return E::call(a...); }, args);
      if (!E::kVoid) cjh::w(o, r, returns);
    }
    if constexpr (S::kArity > 0) {
      if (E::kVoid || std::is_void_v<typename S::Ret>) cjh::w(o, std::get<0>(args), params[0]);
    }
    o += '\n';
    std::fwrite(o.data(), 1, o.size(), stdout);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace cjh
