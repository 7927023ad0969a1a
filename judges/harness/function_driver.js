// The JavaScript function-mode harness, part 2 of 2: the driver, after the submission. It runs
// the tests of __cj_stdin (read_stdin.js) with the generated __cj_spec, which precedes it:
//   const __cj_spec = {
//     params: ["[i", "i"],  // the parameters' type codes
//     returns: "i",         // the return type's code ("v": void)
//     entry: (stop) => ..., // the function to call: a class method bound to a fresh instance,
//   };                      // or a free function; stop(code, message) when there is none
;(function __cj_main(spec) {
  const PARAMS = spec.params;
  const RETURNS = spec.returns;
  const stop = (code, message) => {
    process.stderr.write((code === 99 ? "codejudge-harness: " : "codejudge: ") + message + "\n");
    process.exit(code);
  };
  const lines = __cj_stdin.split("\n");
  const token = lines[0].trim();
  if (!token) stop(99, "the first stdin line must be the token");
  const entry = () => spec.entry(stop);
  const isInt = (v) => typeof v === "number" && Number.isInteger(v);
  const valid = (v, t) => {
    switch (t[0]) {
      case "[": {
        const sub = t.slice(1);
        return Array.isArray(v) && v.every((e) => valid(e, sub));
      }
      case "i": case "l": return isInt(v);
      case "f": return typeof v === "number";
      case "b": return typeof v === "boolean";
      case "s": return typeof v === "string";
      case "N": return Array.isArray(v) && v.every(isInt);
      case "T": return Array.isArray(v) && v.every((e) => e === null || isInt(e));
    }
    return false;
  };
  const build = (v, t) => {
    switch (t[0]) {
      case "[": {
        const sub = t.slice(1);
        return v.map((e) => build(e, sub));
      }
      case "N": {
        let head = null;
        for (let k = v.length - 1; k >= 0; k--) {
          const node = new ListNode(v[k]);
          node.next = head;
          head = node;
        }
        return head;
      }
      case "T": {
        if (v.length === 0 || v[0] === null) return null;
        // Level order: value k > 0 is child (k - 1) % 2 of the ((k - 1) / 2)-th non-null value;
        // values past the last child slot are ignored, as LeetCode's own builders do.
        const nodes = [];
        for (let k = 0; k < v.length; k++) {
          let node = null;
          if (v[k] !== null) {
            node = new TreeNode(v[k]);
            node.left = node.right = null;
          }
          if (k > 0) {
            const parent = nodes[Math.floor((k - 1) / 2)];
            if (parent === undefined) break;
            if (k % 2 === 1) parent.left = node;
            else parent.right = node;
          }
          if (node !== null) nodes.push(node);
        }
        return nodes[0];
      }
    }
    return v;
  };
  // Writes a result as JSON; t is the declared type code (or ""): null is [] where a node was
  // declared and 0/1 is a bool where a bool was declared.
  const ser = (v, t) => {
    const c = t ? t[0] : "";
    if (v === null || v === undefined) return c === "N" || c === "T" ? "[]" : "null";
    switch (typeof v) {
      case "boolean":
        return (c === "i" || c === "l") ? (v ? "1" : "0") : String(v);
      case "number":
        // NaN, Infinity and -Infinity as such; JavaScript cannot tell 3.0 from 3 (a number is
        // a double), so an integral float where an integer is declared passes, as on LeetCode.
        if (c === "b" && (v === 0 || v === 1)) return v === 1 ? "true" : "false";
        return String(v);
      case "bigint":
        return v.toString();
      case "string":
        return JSON.stringify(v);
    }
    const sub = c === "[" ? t.slice(1) : "";
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      return "[" + Array.from(v, (e) => ser(e, sub)).join(",") + "]";
    }
    if (typeof v === "object" && "val" in v && "next" in v) {
      const seen = new Set();
      const out = [];
      for (let n = v; n !== null && n !== undefined; n = n.next) {
        if (seen.has(n)) stop(1, "the returned linked list has a cycle");
        seen.add(n);
        out.push(ser(n.val, "i"));
      }
      return "[" + out.join(",") + "]";
    }
    if (typeof v === "object" && "val" in v && "left" in v && "right" in v) {
      const seen = new Set([v]);
      const order = [v];
      for (let h = 0; h < order.length; h++) {
        const n = order[h];
        if (n === null) continue;
        for (let child of [n.left, n.right]) {
          if (child === undefined) child = null;
          if (child !== null) {
            if (seen.has(child)) stop(1, "the returned tree has a cycle or a shared node");
            seen.add(child);
          }
          order.push(child);
        }
      }
      while (order.length > 0 && order[order.length - 1] === null) order.pop();
      return "[" + order.map((n) => (n === null ? "null" : ser(n.val, "i"))).join(",") + "]";
    }
    const text = JSON.stringify(v);
    return text === undefined ? "null" : text;
  };
  let index = 0;
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li];
    if (line.trim() === "") continue;
    const i = index++;
    let args;
    try {
      args = JSON.parse(line);
    } catch (e) {
      stop(99, "test " + i + ": the arguments are not JSON: " + e.message);
    }
    if (!Array.isArray(args) || args.length !== PARAMS.length) {
      stop(99, "test " + i + ": expected a JSON array of " + PARAMS.length + " arguments");
    }
    for (let k = 0; k < PARAMS.length; k++) {
      if (!valid(args[k], PARAMS[k])) {
        stop(99, "test " + i + ": argument " + k + " does not match its declared type");
      }
    }
    args = args.map((a, k) => build(a, PARAMS[k]));
    const result = entry()(...args);
    const text = RETURNS === "v" ? ser(args[0], PARAMS[0]) : ser(result, RETURNS);
    process.stdout.write("\n" + token + " " + i + " " + text + "\n");
  }
  // A submission's leftover timers must not keep the process alive.
  process.exit(0);
})(__cj_spec);
