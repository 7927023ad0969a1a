// The benchmarks' stdio problem: N tests of "a b" -> a + b.
#pragma once

#include <cstddef>
#include <string>

#include "codejudge/problems/problem.h"

namespace codejudge::bench {

inline problems::Problem sum_problem(size_t tests) {
  problems::Problem problem;
  problem.id = "bench-sum";
  problem.mode = problems::Mode::kStdio;
  for (size_t i = 0; i < tests; ++i) {
    problem.tests.push_back({std::to_string(i) + " " + std::to_string(i + 1) + "\n",
                             std::to_string(2 * i + 1) + "\n", ""});
  }
  return problem;
}

}  // namespace codejudge::bench
