// A bounded FIFO of jobs served by a fixed set of threads: the back-pressure point of the
// server. A request's jobs go in all together or not at all, so a batch is never half queued.
// A request may wait for room until a deadline, and may have to start by a deadline; past
// either, its jobs are dropped unrun and it is told so (the drop-in routes answer 504/503 then,
// while their clients' own timeouts still leave time to retry).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace codejudge::server {

class JobQueue {
 public:
  using Job = std::function<void()>;
  using Clock = std::chrono::steady_clock;

  // threads run jobs; capacity is how many may wait beyond the running ones.
  JobQueue(size_t threads, size_t capacity);
  // Times out every request still waiting for room, runs every job already queued, then joins.
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queues all of jobs, or none when they do not fit in the idle threads plus capacity. A request
  // larger than that is still taken when nothing waits and a thread is idle, so a big batch runs
  // (alone) instead of never.
  bool try_push(std::vector<Job> jobs);

  struct Deadlines {
    Clock::time_point admit_by;                             // wait for room until then (FIFO)
    Clock::time_point start_by = Clock::time_point::max();  // a job must have started by then
  };
  enum class Pushed { kQueued, kWaiting, kRefused };
  // Like try_push, but a request that does not fit waits for room until admit_by, behind the
  // requests already waiting. When it was not admitted by admit_by, or none of its jobs started
  // by start_by, its jobs are destroyed unrun and timed_out is called once, on the queue's timer
  // thread. kRefused (no room, and admit_by has passed) calls nothing.
  Pushed push(std::vector<Job> jobs, Deadlines deadlines, std::function<void()> timed_out);

  size_t waiting() const;           // jobs queued for a thread
  size_t waiting_for_room() const;  // requests waiting to be queued
  size_t running() const;
  size_t capacity() const { return capacity_; }
  size_t threads() const { return threads_.size(); }

 private:
  struct Group;
  using GroupPtr = std::shared_ptr<Group>;

  void work();
  void expire();
  bool fits(size_t jobs) const;
  void queue_group(const GroupPtr& group);
  void admit_waiting();
  void arm(Clock::time_point when, const GroupPtr& group);

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable timer_wake_;
  std::deque<std::pair<GroupPtr, Job>> jobs_;
  std::deque<GroupPtr> admission_;  // waiting for room, in arrival order
  std::multimap<Clock::time_point, std::weak_ptr<Group>> deadlines_;
  std::vector<std::function<void()>> timed_out_;  // to call outside the lock
  size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::thread timer_;
};

}  // namespace codejudge::server
