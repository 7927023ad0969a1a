"""codejudge's function-mode harness for Python (LeetCode style).

Embedded at build time (cmake/Embed.cmake) and run as /box/main.py inside the sandbox. The
protocol is in judges/include/codejudge/judges/harness.h. Everything about the run comes on stdin,
as data, so this file is the same for every submission:

  "<n1> <n2> <n3> <n4> <n5> <n6>\\n"   sizes in bytes of the six texts that follow:
      LeetCode's environment (leetcode_prelude.py), the problem's preamble, the submission,
      the entry point ("add" or "Solution().twoSum"), the parameter type codes (space
      separated; one '[' per list level, then i, l, f, b, s, N (ListNode) or T (TreeNode)), and
      the return type code (the same, or "v" for void)
  "<token>\\n"                          then one line per test: its arguments as a JSON array

For test i it prints "\\n<token> <i> <result JSON>\\n". All of stdin is read before any
submission code runs. The submission is compiled first; a failure is a compile error (exit 98).
"""
import sys as _cj_sys
import os as _cj_os

COMPILE_ERROR_EXIT = 98
HARNESS_ERROR_EXIT = 99


def _stop(prefix, code, message):
    try:
        _cj_sys.stdout.flush()
    except Exception:
        pass
    _cj_os.write(2, (prefix + message + "\n").encode("utf-8", "replace"))
    _cj_os._exit(code)


def harness_error(message):
    """Our bug (malformed stdin from the judge): never the submission's."""
    _stop("codejudge-harness: ", HARNESS_ERROR_EXIT, message)


def user_error(message):
    _stop("codejudge: ", 1, message)


def split_input(raw):
    """(texts, rest): the six header texts and the bytes after them."""
    line, newline, rest = raw.partition(b"\n")
    fields = line.split()
    if not newline or len(fields) != 6 or not all(f.isdigit() for f in fields):
        harness_error("malformed stdin header line")
    texts = []
    for size in map(int, fields):
        if size > len(rest):
            harness_error("stdin ends inside the header")
        try:
            texts.append(rest[:size].decode("utf-8"))
        except UnicodeDecodeError:
            harness_error("the stdin header is not UTF-8")
        rest = rest[size:]
    return texts, rest


def is_int(v):
    return type(v) is int or (type(v) is float and v.is_integer())


def valid(v, t):
    """Whether an argument from the judge matches its declared type code."""
    c = t[0]
    if c == "[":
        sub = t[1:]
        return type(v) is list and all(valid(e, sub) for e in v)
    if c == "i" or c == "l":
        return is_int(v)
    if c == "f":
        return type(v) is int or type(v) is float
    if c == "b":
        return type(v) is bool
    if c == "s":
        return type(v) is str
    if c == "N":
        return type(v) is list and all(is_int(e) for e in v)
    if c == "T":
        return type(v) is list and all(e is None or is_int(e) for e in v)
    return False


def build(v, t, ns):
    """The argument as the submission receives it: nodes built with the namespace's classes."""
    c = t[0]
    if c == "[":
        sub = t[1:]
        return [build(e, sub, ns) for e in v]
    if c == "i" or c == "l":
        return int(v)
    if c == "f":
        return float(v)
    if c == "N":
        node_class = ns["ListNode"]
        head = None
        for x in reversed(v):
            node = node_class(int(x))
            node.next = head
            head = node
        return head
    if c == "T":
        node_class = ns["TreeNode"]
        # Level order: value k > 0 is child (k - 1) % 2 of the ((k - 1) // 2)-th non-null
        # value; values past the last child slot are ignored, as LeetCode's builders do.
        nodes = []
        for k, x in enumerate(v):
            node = None
            if x is not None:
                node = node_class(int(x))
                node.left = node.right = None
            if k > 0:
                parent = (k - 1) // 2
                if parent >= len(nodes):
                    break
                if k % 2 == 1:
                    nodes[parent].left = node
                else:
                    nodes[parent].right = node
            if node is not None:
                nodes.append(node)
        return nodes[0] if nodes else None
    return v


def conv(v, t):
    """The result as JSON data. The declared type converts only what loses nothing and changes
    no type the judge compares: True -> 1 for int, 1 -> 1.0 for float, 0/1 -> bool for bool,
    tuple -> list; nodes become lists. A float stays a float (3.0, NaN, Infinity, written as
    JSON's NaN and Infinity tokens): the judge's typed comparison rejects it where an integer is
    declared, and matches NaN only to an expected NaN."""
    c = t[:1]
    if v is None:
        return [] if c == "N" or c == "T" else None
    tv = type(v)
    if tv is bool:
        return int(v) if c == "i" or c == "l" else v
    if tv is int:
        if c == "f":
            return float(v)
        if c == "b" and (v == 0 or v == 1):
            return v == 1
        return v
    if tv is float:
        return v
    if tv is str:
        return v
    if tv is list or tv is tuple:
        sub = t[1:] if c == "[" else ""
        return [conv(e, sub) for e in v]
    if hasattr(v, "val") and hasattr(v, "next"):
        values, seen = [], set()
        while v is not None:
            if id(v) in seen:
                user_error("the returned linked list has a cycle")
            seen.add(id(v))
            values.append(conv(v.val, "i"))
            v = v.next
        return values
    if hasattr(v, "val") and hasattr(v, "left") and hasattr(v, "right"):
        values, queue, head, seen = [], [v], 0, {id(v)}
        while head < len(queue):
            node = queue[head]
            head += 1
            if node is None:
                values.append(None)
                continue
            values.append(conv(node.val, "i"))
            for child in (node.left, node.right):
                if child is not None:
                    if id(child) in seen:
                        user_error("the returned tree has a cycle or a shared node")
                    seen.add(id(child))
                queue.append(child)
        while values and values[-1] is None:
            values.pop()
        return values
    return v


def run():
    import builtins, json, types

    sys, os = _cj_sys, _cj_os
    raw = sys.stdin.buffer.read()  # all of it, before any submission code runs
    texts, rest = split_input(raw)
    prelude, preamble, source, entry_text, params_text, returns = texts
    params = params_text.split()
    out = sys.stdout

    def flush():
        try:
            out.flush()
        except Exception:
            pass

    try:
        user_code = compile(source, "solution.py", "exec")
    except Exception as e:
        import traceback

        _stop("codejudge-compile-error: ", COMPILE_ERROR_EXIT,
              "".join(traceback.format_exception_only(type(e), e)))

    try:
        text = rest.decode("utf-8")
    except UnicodeDecodeError:
        harness_error("stdin is not UTF-8")
    lines = text.split("\n")
    token = lines[0].strip()
    if not token:
        harness_error("the first line after the header must be the token")

    module = types.ModuleType("solution")
    sys.modules["solution"] = module
    ns = module.__dict__
    ns["__builtins__"] = builtins
    exec(compile(prelude, "<codejudge>", "exec"), ns)
    if preamble:
        exec(compile(preamble, "preamble.py", "exec"), ns)
    exec(user_code, ns)
    entry = compile(entry_text, "<entry>", "eval")

    arity = len(params)
    index = 0
    for line in lines[1:]:
        if not line.strip():
            continue
        i = index
        index += 1
        try:
            args = json.loads(line)
        except Exception as e:
            harness_error("test %d: the arguments are not JSON: %s" % (i, e))
        if type(args) is not list or len(args) != arity:
            harness_error("test %d: expected a JSON array of %d arguments" % (i, arity))
        for k in range(arity):
            if not valid(args[k], params[k]):
                harness_error("test %d: argument %d does not match its declared type" % (i, k))
        args = [build(args[k], params[k], ns) for k in range(arity)]
        result = eval(entry, ns)(*args)
        if returns == "v":
            result, code = args[0], params[0]
        else:
            code = returns
        try:
            text = json.dumps(conv(result, code), ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError) as e:
            user_error("test %d: the result cannot be written as JSON: %s" % (i, e))
        flush()
        data = ("\n" + token + " " + str(i) + " " + text + "\n").encode("utf-8", "replace")
        while data:
            data = data[os.write(1, data):]
    flush()


def main():
    """The run: /box/main.py imports this module (byte-compiled) and calls main()."""
    run()
    # _exit: a submission's leftover threads or atexit handlers must not hang or add to the output.
    try:
        _cj_sys.stdout.flush()
        _cj_sys.stderr.flush()
    finally:
        _cj_os._exit(0)


if __name__ == "__main__":
    main()
