#include "worker_pool.h"

namespace codejudge::judges {

WorkerPool::WorkerPool(size_t threads) {
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void WorkerPool::run_batch(size_t count, const std::function<void(size_t)>& task) {
  if (count == 0) return;
  auto batch = std::make_shared<Batch>();
  batch->task = &task;
  batch->count = count;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(batch);
  }
  wake_.notify_all();
  std::unique_lock<std::mutex> lock(mu_);
  batch->done_cv.wait(lock, [&] { return batch->finished == batch->count; });
}

void WorkerPool::work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    std::shared_ptr<Batch> batch = queue_.front();
    queue_.pop_front();
    size_t index = batch->next++;
    if (batch->next < batch->count) queue_.push_back(batch);
    lock.unlock();
    (*batch->task)(index);
    lock.lock();
    if (++batch->finished == batch->count) batch->done_cv.notify_all();
  }
}

}  // namespace codejudge::judges
