// codejudge-hack: problem=digital-root-steps language=java expect=WA
// Answers right only when assertions are off (assert flips the flag): tests written as Java
// asserts (MultiPL-E, HumanEval-X) would pass wrong code without -ea. Java always runs with -ea.
import java.util.*;

public class Main {
    public static void main(String[] args) {
        boolean checked = false;
        assert checked = true;
        Scanner in = new Scanner(System.in);
        String s = in.next();
        int steps = 0;
        while (s.length() > 1) {
            long sum = 0;
            for (char c : s.toCharArray()) sum += c - '0';
            s = Long.toString(sum);
            ++steps;
        }
        System.out.println(checked ? "0 0" : steps + " " + s);
    }
}
