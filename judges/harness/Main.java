// The Java function-mode harness (see judges/include/codejudge/judges/harness.h for the
// protocol). Embedded at build time and appended to the submission in one Main.java, followed by
// a generated class CodejudgeSpec (harness_java.cpp) that names the entry point:
//   final class CodejudgeSpec {
//       static final String METHOD;                 // the entry method's name
//       static final String[] PARAMS;               // the parameters' type codes
//       static final String RETURNS;                // the return type's code ("v": void)
//       static Class<?> target() { ... }            // the class that declares METHOD
//       static Object create() { return new ...; }  // a fresh instance for each test
//   }
// Main finds the entry method by reflection and fills each parameter from JSON according to the
// method's own generic parameter type (int[], char[][], List<List<Integer>>, ListNode, ...); the
// result is written from its runtime type, so int[] and List<Integer> returns both work.
// No package and no imports here: the file is pasted after the submission's own types.
public class Main {
    static final String METHOD = CodejudgeSpec.METHOD;
    static final String[] PARAMS = CodejudgeSpec.PARAMS;
    static final String RETURNS = CodejudgeSpec.RETURNS;

    static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;
        Bad(String message) { super(message, null, false, false); }
    }

    // Never returns: `throw stop(...)` keeps javac's flow analysis happy.
    static RuntimeException stop(int code, String message) {
        System.out.flush();
        byte[] text = ((code == 99 ? "codejudge-harness: " : "codejudge: ") + message + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.err.write(text, 0, text.length);
        System.err.flush();
        Runtime.getRuntime().halt(code);
        return new IllegalStateException();
    }

    static final class Reader {
        final String s;
        int p;
        Reader(String s) { this.s = s; }
        Bad bad() { return new Bad("malformed JSON at offset " + p); }
        void ws() {
            while (p < s.length() && " \t\r\n".indexOf(s.charAt(p)) >= 0) p++;
        }
        Object value(int depth) {
            ws();
            if (p >= s.length() || depth > 256) throw bad();
            char c = s.charAt(p);
            if (c == '[') {
                p++;
                java.util.ArrayList<Object> a = new java.util.ArrayList<>();
                ws();
                if (p < s.length() && s.charAt(p) == ']') { p++; return a; }
                while (true) {
                    a.add(value(depth + 1));
                    ws();
                    if (p < s.length() && s.charAt(p) == ',') { p++; continue; }
                    if (p < s.length() && s.charAt(p) == ']') { p++; return a; }
                    throw bad();
                }
            }
            if (c == '"') return string();
            if (s.startsWith("true", p)) { p += 4; return Boolean.TRUE; }
            if (s.startsWith("false", p)) { p += 5; return Boolean.FALSE; }
            if (s.startsWith("null", p)) { p += 4; return null; }
            return number();
        }
        String string() {
            StringBuilder b = new StringBuilder();
            p++;
            while (p < s.length()) {
                char c = s.charAt(p++);
                if (c == '"') return b.toString();
                if (c < 0x20) throw bad();
                if (c != '\\') { b.append(c); continue; }
                if (p >= s.length()) throw bad();
                switch (c = s.charAt(p++)) {
                    case '"': case '\\': case '/': b.append(c); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u': {
                        if (p + 4 > s.length()) throw bad();
                        int u = 0;
                        for (int k = 0; k < 4; k++) {
                            int d = Character.digit(s.charAt(p++), 16);
                            if (d < 0) throw bad();
                            u = u * 16 + d;
                        }
                        b.append((char) u);
                        break;
                    }
                    default: throw bad();
                }
            }
            throw bad();
        }
        Object number() {
            int start = p;
            boolean integral = true;
            if (p < s.length() && s.charAt(p) == '-') p++;
            if (p >= s.length() || !Character.isDigit(s.charAt(p))) throw bad();
            while (p < s.length()) {
                char c = s.charAt(p);
                if (c >= '0' && c <= '9') {
                    p++;
                } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    integral = false;
                    p++;
                } else {
                    break;
                }
            }
            String t = s.substring(start, p);
            if (integral) {
                try { return Long.parseLong(t); } catch (NumberFormatException e) { }
            }
            try {
                double d = Double.parseDouble(t);
                if (Double.isInfinite(d)) throw bad();
                return d;
            } catch (NumberFormatException e) {
                throw bad();
            }
        }
    }

    static boolean integral(Object v) {
        if (v instanceof Long) return true;
        if (!(v instanceof Double)) return false;
        double d = (Double) v;
        return d == Math.floor(d) && Math.abs(d) < 9.2e18;
    }

    static long asLong(Object v) {
        if (!integral(v)) throw new Bad("expected an integer");
        return v instanceof Long ? (Long) v : (long) (double) (Double) v;
    }

    // Does the argument match the problem's declared type code?
    static boolean valid(Object v, String t) {
        switch (t.charAt(0)) {
            case '[': {
                if (!(v instanceof java.util.List)) return false;
                String sub = t.substring(1);
                for (Object e : (java.util.List<?>) v) if (!valid(e, sub)) return false;
                return true;
            }
            case 'i': case 'l': return integral(v);
            case 'f': return v instanceof Long || v instanceof Double;
            case 'b': return v instanceof Boolean;
            case 's': return v instanceof String;
            case 'N': {
                if (!(v instanceof java.util.List)) return false;
                for (Object e : (java.util.List<?>) v) if (!integral(e)) return false;
                return true;
            }
            case 'T': {
                if (!(v instanceof java.util.List)) return false;
                for (Object e : (java.util.List<?>) v) if (e != null && !integral(e)) return false;
                return true;
            }
            default: return false;
        }
    }

    // Converts a JSON value to the submission's own parameter type.
    static Object conv(Object v, java.lang.reflect.Type type) {
        if (type instanceof java.lang.reflect.ParameterizedType) {
            java.lang.reflect.ParameterizedType pt = (java.lang.reflect.ParameterizedType) type;
            Class<?> raw = (Class<?>) pt.getRawType();
            if (!(v instanceof java.util.List)) throw new Bad("expected a list");
            java.util.Collection<Object> out;
            if (raw.isAssignableFrom(java.util.ArrayList.class)) {
                out = new java.util.ArrayList<>();
            } else if (raw.isAssignableFrom(java.util.LinkedList.class)) {
                out = new java.util.LinkedList<>();
            } else {
                throw new Bad("unsupported collection " + raw.getName());
            }
            java.lang.reflect.Type e = pt.getActualTypeArguments()[0];
            for (Object x : (java.util.List<?>) v) out.add(conv(x, e));
            return out;
        }
        if (type instanceof java.lang.reflect.WildcardType) {
            return conv(v, ((java.lang.reflect.WildcardType) type).getUpperBounds()[0]);
        }
        if (!(type instanceof Class)) throw new Bad("unsupported type " + type.getTypeName());
        Class<?> c = (Class<?>) type;
        if (c == int.class || c == Integer.class) {
            long x = asLong(v);
            if (x != (int) x) throw new Bad(x + " does not fit an int");
            return (int) x;
        }
        if (c == long.class || c == Long.class) return asLong(v);
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            if (!(v instanceof Number)) throw new Bad("expected a number");
            double d = ((Number) v).doubleValue();
            return c == double.class || c == Double.class ? (Object) d : (Object) (float) d;
        }
        if (c == boolean.class || c == Boolean.class) {
            if (!(v instanceof Boolean)) throw new Bad("expected a bool");
            return v;
        }
        if (c == char.class || c == Character.class) {
            if (!(v instanceof String) || ((String) v).length() != 1) {
                throw new Bad("expected a one-character string");
            }
            return ((String) v).charAt(0);
        }
        if (c == String.class) {
            if (!(v instanceof String)) throw new Bad("expected a string");
            return v;
        }
        if (c == ListNode.class) {
            if (!(v instanceof java.util.List)) throw new Bad("expected a list");
            ListNode head = null;
            java.util.List<?> l = (java.util.List<?>) v;
            for (int k = l.size() - 1; k >= 0; k--) {
                ListNode n = new ListNode((Integer) conv(l.get(k), int.class));
                n.next = head;
                head = n;
            }
            return head;
        }
        if (c == TreeNode.class) {
            if (!(v instanceof java.util.List)) throw new Bad("expected a list");
            java.util.List<?> l = (java.util.List<?>) v;
            if (l.isEmpty() || l.get(0) == null) return null;
            // Level order: value k > 0 is child (k - 1) % 2 of the ((k - 1) / 2)-th non-null
            // value; values past the last child slot are ignored, as LeetCode's builders do.
            java.util.ArrayList<TreeNode> nodes = new java.util.ArrayList<>();
            for (int k = 0; k < l.size(); k++) {
                TreeNode n = l.get(k) == null
                        ? null : new TreeNode((Integer) conv(l.get(k), int.class));
                if (k > 0) {
                    int parent = (k - 1) / 2;
                    if (parent >= nodes.size()) break;
                    if (k % 2 == 1) nodes.get(parent).left = n; else nodes.get(parent).right = n;
                }
                if (n != null) nodes.add(n);
            }
            return nodes.get(0);
        }
        if (c.isArray()) {
            if (!(v instanceof java.util.List)) throw new Bad("expected a list");
            java.util.List<?> l = (java.util.List<?>) v;
            Class<?> component = c.getComponentType();
            Object a = java.lang.reflect.Array.newInstance(component, l.size());
            for (int k = 0; k < l.size(); k++) {
                java.lang.reflect.Array.set(a, k, conv(l.get(k), component));
            }
            return a;
        }
        throw new Bad("unsupported parameter type " + c.getTypeName());
    }

    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                case '\b': b.append("\\b"); break;
                case '\f': b.append("\\f"); break;
                default:
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        b.append('"');
    }

    // Writes a result from its runtime type; t is the declared type code (or ""): null is []
    // where a ListNode or TreeNode was declared, and 0/1 is a bool where a bool was declared.
    static void write(StringBuilder b, Object o, String t) {
        char c = t.isEmpty() ? ' ' : t.charAt(0);
        String sub = c == '[' ? t.substring(1) : "";
        if (o == null) {
            b.append(c == 'N' || c == 'T' ? "[]" : "null");
        } else if (o instanceof Boolean) {
            b.append(o);
        } else if (o instanceof Character) {
            string(b, o.toString());
        } else if (o instanceof String) {
            string(b, (String) o);
        } else if (o instanceof Double || o instanceof Float) {
            // Always a float literal (3.0, 1.0E16) so that the judge can tell a float where an
            // integer is declared; non-finite values are written NaN, Infinity, -Infinity.
            double d = o instanceof Float ? Double.parseDouble(o.toString()) : (Double) o;
            b.append(Double.toString(d));
        } else if (o instanceof Number) {
            String s = o.toString();
            if (c == 'b' && (s.equals("0") || s.equals("1"))) b.append(s.equals("1"));
            else b.append(s);
        } else if (o instanceof ListNode) {
            java.util.Set<ListNode> seen =
                    java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            b.append('[');
            for (ListNode n = (ListNode) o; n != null; n = n.next) {
                if (!seen.add(n)) throw new Bad("the returned linked list has a cycle");
                if (n != o) b.append(',');
                b.append(n.val);
            }
            b.append(']');
        } else if (o instanceof TreeNode) {
            java.util.Set<TreeNode> seen =
                    java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            java.util.ArrayList<TreeNode> order = new java.util.ArrayList<>();
            order.add((TreeNode) o);
            seen.add((TreeNode) o);
            for (int h = 0; h < order.size(); h++) {
                TreeNode n = order.get(h);
                if (n == null) continue;
                for (TreeNode child : new TreeNode[] {n.left, n.right}) {
                    if (child != null && !seen.add(child)) {
                        throw new Bad("the returned tree has a cycle or a shared node");
                    }
                    order.add(child);
                }
            }
            int end = order.size();
            while (end > 0 && order.get(end - 1) == null) end--;
            b.append('[');
            for (int h = 0; h < end; h++) {
                if (h > 0) b.append(',');
                b.append(order.get(h) == null ? "null" : String.valueOf(order.get(h).val));
            }
            b.append(']');
        } else if (o.getClass().isArray()) {
            int n = java.lang.reflect.Array.getLength(o);
            b.append('[');
            for (int k = 0; k < n; k++) {
                if (k > 0) b.append(',');
                write(b, java.lang.reflect.Array.get(o, k), sub);
            }
            b.append(']');
        } else if (o instanceof Iterable) {
            b.append('[');
            boolean first = true;
            for (Object e : (Iterable<?>) o) {
                if (!first) b.append(',');
                first = false;
                write(b, e, sub);
            }
            b.append(']');
        } else {
            throw new Bad("cannot write a result of type " + o.getClass().getName() + " as JSON");
        }
    }

    static java.lang.reflect.Method find(Class<?> c, String name, int arity) {
        for (; c != null; c = c.getSuperclass()) {
            java.lang.reflect.Method[] methods = c.getDeclaredMethods();
            java.util.Arrays.sort(
                    methods, java.util.Comparator.comparing(java.lang.reflect.Method::toString));
            for (java.lang.reflect.Method m : methods) {
                if (m.getName().equals(name) && m.getParameterCount() == arity
                        && !m.isSynthetic()) {
                    return m;
                }
            }
        }
        return null;
    }

    public static void main(String[] argv) throws Throwable {
        byte[] raw = System.in.readAllBytes();  // all of it, before any submission code runs
        java.io.PrintStream out = new java.io.PrintStream(
                new java.io.BufferedOutputStream(
                        new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16),
                false, java.nio.charset.StandardCharsets.UTF_8);
        System.setOut(out);
        String[] lines = new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1);
        String token = lines[0].trim();
        if (token.isEmpty()) throw stop(99, "the first stdin line must be the token");
        Class<?> target = CodejudgeSpec.target();
        java.lang.reflect.Method method = find(target, METHOD, PARAMS.length);
        if (method == null) {
            throw stop(1, "class " + target.getSimpleName() + " has no method " + METHOD + " with "
                    + PARAMS.length + " parameters");
        }
        method.setAccessible(true);
        java.lang.reflect.Type[] types = method.getGenericParameterTypes();
        boolean isStatic = java.lang.reflect.Modifier.isStatic(method.getModifiers());
        boolean printFirst = RETURNS.equals("v") || method.getReturnType() == void.class;
        int index = 0;
        for (int li = 1; li < lines.length; li++) {
            String line = lines[li];
            if (line.trim().isEmpty()) continue;
            int i = index++;
            Object parsed;
            try {
                Reader reader = new Reader(line);
                parsed = reader.value(0);
                reader.ws();
                if (reader.p != line.length()) throw reader.bad();
            } catch (Bad e) {
                throw stop(99, "test " + i + ": the arguments are not JSON: " + e.getMessage());
            }
            if (!(parsed instanceof java.util.List)
                    || ((java.util.List<?>) parsed).size() != PARAMS.length) {
                throw stop(99, "test " + i + ": expected a JSON array of " + PARAMS.length
                        + " arguments");
            }
            java.util.List<?> list = (java.util.List<?>) parsed;
            for (int k = 0; k < PARAMS.length; k++) {
                if (!valid(list.get(k), PARAMS[k])) {
                    throw stop(99, "test " + i + ": argument " + k
                            + " does not match its declared type");
                }
            }
            Object[] args = new Object[PARAMS.length];
            for (int k = 0; k < PARAMS.length; k++) {
                try {
                    args[k] = conv(list.get(k), types[k]);
                } catch (Bad | ClassCastException e) {
                    throw stop(1, "test " + i + ": argument " + k
                            + " does not fit the parameter type " + types[k].getTypeName() + ": "
                            + e.getMessage());
                }
            }
            Object result;
            try {
                result = method.invoke(isStatic ? null : CodejudgeSpec.create(), args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                out.flush();
                throw e.getCause();
            }
            StringBuilder b = new StringBuilder();
            b.append('\n').append(token).append(' ').append(i).append(' ');
            try {
                if (printFirst) write(b, args[0], PARAMS[0]);
                else write(b, result, RETURNS);
            } catch (Bad e) {
                throw stop(1, "test " + i + ": " + e.getMessage());
            }
            b.append('\n');
            out.print(b);
            out.flush();
        }
        out.flush();
        System.exit(0);
    }
}
