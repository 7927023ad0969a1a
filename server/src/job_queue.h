// A bounded FIFO of jobs served by a fixed set of threads: the back-pressure point of the
// server. A request's jobs go in all together or not at all, so a batch is never half queued.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace codejudge::server {

class JobQueue {
 public:
  using Job = std::function<void()>;

  // threads run jobs; capacity is how many may wait beyond the running ones.
  JobQueue(size_t threads, size_t capacity);
  // Runs every job already queued, then joins.
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queues all of jobs, or none when they do not fit in the idle threads plus capacity. A request
  // larger than that is still taken when nothing waits and a thread is idle, so a big batch runs
  // (alone) instead of never.
  bool try_push(std::vector<Job> jobs);

  size_t waiting() const;
  size_t running() const;
  size_t capacity() const { return capacity_; }
  size_t threads() const { return threads_.size(); }

 private:
  void work();

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace codejudge::server
