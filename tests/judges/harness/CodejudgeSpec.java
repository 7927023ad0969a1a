// What harness_java.cpp generates after judges/harness/Main.java, for a stand-alone compile of the
// harness (the harness_lint_java ctest): an entry point that returns a float for an int.
final class CodejudgeSpec {
    static final String METHOD = "half";
    static final String[] PARAMS = {"i"};
    static final String RETURNS = "f";
    static Class<?> target() { return Solution.class; }
    static Object create() { return new Solution(); }
}

class Solution {
    double half(int n) { return n / 2.0; }
}
