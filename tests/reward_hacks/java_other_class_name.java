// codejudge-hack: problem=digital-root-steps language=java expect=WA
// A wrong program in a public class that is not called Main, inside a package: it must be
// judged (and found wrong), not be a compile error or a runtime error of the judge's making.
package contest.solutions;

import java.util.*;

public class DigitalRoot {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        String s = in.next();
        System.out.println("1 " + s.charAt(0));
    }
}
