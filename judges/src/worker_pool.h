// The judge's threads for test runs, shared by every judge() call.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace codejudge::judges {

// Runs batches of indexed tasks on a fixed set of threads shared by every judge() call. Batches
// are served round-robin, one task at a time, so a 1000-test submission does not starve the
// one queued behind it.
class WorkerPool {
 public:
  explicit WorkerPool(size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs task(i) for every i in [0, count) and returns when all have finished.
  void run_batch(size_t count, const std::function<void(size_t)>& task);

 private:
  struct Batch {
    const std::function<void(size_t)>* task = nullptr;
    size_t count = 0;
    size_t next = 0;
    size_t finished = 0;
    std::condition_variable done_cv;
  };

  void work();

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Batch>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace codejudge::judges
