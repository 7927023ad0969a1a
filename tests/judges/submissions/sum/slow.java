import java.util.*;

public class Main {
  static volatile long spin = 0;

  public static void main(String[] args) {
    Scanner in = new Scanner(System.in);
    long a = in.nextLong();
    long b = in.nextLong();
    while (spin >= 0) spin++;
    System.out.println(a + b);
  }
}
