#include <iostream>
#include <vector>
int main() {
  long long a, b;
  std::cin >> a >> b;
  volatile int* p = nullptr;
  *p = static_cast<int>(a + b);  // SIGSEGV
  std::cout << a + b << "\n";
}
