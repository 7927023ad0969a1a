import java.util.*;

public class Main {
  public static void main(String[] args) {
    Scanner in = new Scanner(System.in);
    long a = in.nextLong();
    long b = in.nextLong();
    int[] small = new int[1];
    System.out.println(small[(int) (a + b + 5)]);
  }
}
