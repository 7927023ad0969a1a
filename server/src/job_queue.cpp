#include "job_queue.h"

#include <algorithm>

namespace codejudge::server {

struct JobQueue::Group {
  enum class State { kWaiting, kQueued, kStarted, kDone };
  std::vector<Job> jobs;  // until queued
  Deadlines deadlines;
  std::function<void()> timed_out;
  State state = State::kWaiting;
};

JobQueue::JobQueue(size_t threads, size_t capacity) : capacity_(capacity) {
  if (threads == 0) threads = 1;
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

JobQueue::~JobQueue() {
  std::vector<std::function<void()>> timed_out;
  std::deque<GroupPtr> unadmitted;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    // Nothing is admitted any more: whoever waits for room is told now.
    unadmitted.swap(admission_);
    for (auto& group : unadmitted) {
      group->state = Group::State::kDone;
      if (group->timed_out) timed_out.push_back(std::move(group->timed_out));
    }
  }
  for (auto& call : timed_out) call();
  wake_.notify_all();
  timer_wake_.notify_all();
  for (auto& thread : threads_) thread.join();
  if (timer_.joinable()) timer_.join();
}

bool JobQueue::fits(size_t jobs) const {
  const size_t idle = threads_.size() - running_;
  const bool room = jobs_.size() + jobs <= capacity_ + idle;
  const bool alone = jobs_.empty() && idle > 0;
  return room || alone;
}

void JobQueue::arm(Clock::time_point when, const GroupPtr& group) {
  const bool earliest = deadlines_.empty() || when < deadlines_.begin()->first;
  deadlines_.emplace(when, group);
  if (!timer_.joinable()) {
    timer_ = std::thread([this] { expire(); });
  } else if (earliest) {
    timer_wake_.notify_one();
  }
}

void JobQueue::queue_group(const GroupPtr& group) {
  for (auto& job : group->jobs) jobs_.emplace_back(group, std::move(job));
  group->jobs.clear();
  group->state = Group::State::kQueued;
  if (group->deadlines.start_by != Clock::time_point::max()) arm(group->deadlines.start_by, group);
}

void JobQueue::admit_waiting() {
  while (!admission_.empty() && fits(admission_.front()->jobs.size())) {
    queue_group(admission_.front());
    admission_.pop_front();
  }
}

bool JobQueue::try_push(std::vector<Job> jobs) {
  return push(std::move(jobs), Deadlines{Clock::time_point::min()}, nullptr) == Pushed::kQueued;
}

JobQueue::Pushed JobQueue::push(std::vector<Job> jobs, Deadlines deadlines,
                                std::function<void()> timed_out) {
  if (jobs.empty()) return Pushed::kQueued;
  auto group = std::make_shared<Group>();
  group->jobs = std::move(jobs);
  group->deadlines = deadlines;
  group->timed_out = std::move(timed_out);
  Pushed result = Pushed::kQueued;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Pushed::kRefused;
    // Requests already waiting for room go first.
    if (admission_.empty() && fits(group->jobs.size())) {
      queue_group(group);
    } else if (deadlines.admit_by > Clock::now()) {
      admission_.push_back(group);
      arm(deadlines.admit_by, group);
      result = Pushed::kWaiting;
    } else {
      return Pushed::kRefused;
    }
  }
  if (result == Pushed::kQueued) wake_.notify_all();
  return result;
}

size_t JobQueue::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_.size();
}

size_t JobQueue::waiting_for_room() const {
  std::lock_guard<std::mutex> lock(mu_);
  return admission_.size();
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
    auto [group, job] = std::move(jobs_.front());
    jobs_.pop_front();
    group->state = Group::State::kStarted;
    group.reset();
    ++running_;
    lock.unlock();
    job();  // jobs catch their own exceptions; see App
    job = nullptr;
    lock.lock();
    --running_;
    // A thread is free: the request at the head of the admission line may fit now.
    if (!admission_.empty()) {
      const size_t before = jobs_.size();
      admit_waiting();
      if (jobs_.size() != before) wake_.notify_all();
    }
  }
}

void JobQueue::expire() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (deadlines_.empty()) {
      timer_wake_.wait(lock);
    } else {
      timer_wake_.wait_until(lock, deadlines_.begin()->first);
    }
    if (stopping_) return;
    const Clock::time_point now = Clock::now();
    std::vector<std::function<void()>> timed_out;
    std::vector<Job> dropped;
    while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
      GroupPtr group = deadlines_.begin()->second.lock();
      deadlines_.erase(deadlines_.begin());
      if (!group) continue;
      if (group->state == Group::State::kWaiting) {
        admission_.erase(std::find(admission_.begin(), admission_.end(), group));
        for (auto& job : group->jobs) dropped.push_back(std::move(job));
        group->jobs.clear();
      } else if (group->state == Group::State::kQueued) {
        for (auto it = jobs_.begin(); it != jobs_.end();) {
          if (it->first == group) {
            dropped.push_back(std::move(it->second));
            it = jobs_.erase(it);
          } else {
            ++it;
          }
        }
      } else {
        continue;  // started (or already done): its deadline no longer applies
      }
      group->state = Group::State::kDone;
      if (group->timed_out) timed_out.push_back(std::move(group->timed_out));
    }
    // Dropped jobs free room (and a dropped head of the line lets the next one try).
    const size_t before = jobs_.size();
    admit_waiting();
    if (jobs_.size() != before) wake_.notify_all();
    if (timed_out.empty() && dropped.empty()) continue;
    lock.unlock();
    dropped.clear();  // their captures may be large; destroy them outside the lock
    for (auto& call : timed_out) call();
    lock.lock();
  }
}

}  // namespace codejudge::server
