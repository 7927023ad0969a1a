#include "job_queue.h"

namespace codejudge::server {

JobQueue::JobQueue(size_t threads, size_t capacity) : capacity_(capacity) {
  if (threads == 0) threads = 1;
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

JobQueue::~JobQueue() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

bool JobQueue::try_push(std::vector<Job> jobs) {
  if (jobs.empty()) return true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    const size_t idle = threads_.size() - running_;
    const bool fits = jobs_.size() + jobs.size() <= capacity_ + idle;
    const bool alone = jobs_.empty() && idle > 0;
    if (!fits && !alone) return false;
    for (auto& job : jobs) jobs_.push_back(std::move(job));
  }
  wake_.notify_all();
  return true;
}

size_t JobQueue::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_.size();
}

size_t JobQueue::running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_;
}

void JobQueue::work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping and nothing left
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    ++running_;
    lock.unlock();
    job();  // jobs catch their own exceptions; see App
    job = nullptr;
    lock.lock();
    --running_;
  }
}

}  // namespace codejudge::server
