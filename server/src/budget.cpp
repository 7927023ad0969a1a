#include "budget.h"

#include <algorithm>
#include <vector>

namespace codejudge::server {

Budget::Reservation& Budget::Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    reset();
    budget_ = other.budget_;
    bytes_ = other.bytes_;
    other.budget_ = nullptr;
    other.bytes_ = 0;
  }
  return *this;
}

void Budget::Reservation::reset() {
  if (budget_ != nullptr && bytes_ > 0) budget_->release(bytes_);
  budget_ = nullptr;
  bytes_ = 0;
}

void Budget::Reservation::shrink_to(uint64_t bytes) {
  if (budget_ == nullptr || bytes >= bytes_) return;
  budget_->release(bytes_ - bytes);
  bytes_ = bytes;
}

uint64_t Budget::acquire_async(uint64_t bytes, std::function<void(Reservation)> granted) {
  bytes = std::min(bytes, capacity_bytes_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!waiters_.empty() || in_use_ + bytes > capacity_bytes_) {
      const uint64_t ticket = ++next_ticket_;
      waiters_.push_back(Waiter{ticket, bytes, std::move(granted), nullptr});
      return ticket;
    }
    in_use_ += bytes;
  }
  granted(Reservation(this, bytes));
  return 0;
}

bool Budget::cancel(uint64_t ticket) {
  std::vector<Grant> grants;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find_if(waiters_.begin(), waiters_.end(),
                           [&](const Waiter& waiter) { return waiter.ticket == ticket; });
    if (it == waiters_.end()) return false;
    waiters_.erase(it);
    // It may have been the head of the line that blocked smaller requests behind it.
    admit(&grants);
  }
  run(std::move(grants));
  return true;
}

Budget::Reservation Budget::acquire(uint64_t bytes) {
  bytes = std::min(bytes, capacity_bytes_);
  std::unique_lock<std::mutex> lock(mu_);
  if (waiters_.empty() && in_use_ + bytes <= capacity_bytes_) {
    in_use_ += bytes;
    return Reservation(this, bytes);
  }
  bool ready = false;
  waiters_.push_back(Waiter{++next_ticket_, bytes, nullptr, &ready});
  ready_.wait(lock, [&] { return ready; });
  return Reservation(this, bytes);
}

uint64_t Budget::in_use() const {
  std::lock_guard<std::mutex> lock(mu_);
  return in_use_;
}

size_t Budget::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiters_.size();
}

void Budget::admit(std::vector<Grant>* grants) {
  bool woke = false;
  while (!waiters_.empty() && in_use_ + waiters_.front().bytes <= capacity_bytes_) {
    Waiter& head = waiters_.front();
    in_use_ += head.bytes;
    if (head.ready != nullptr) {
      *head.ready = true;
      woke = true;
    } else {
      grants->emplace_back(std::move(head.granted), head.bytes);
    }
    waiters_.pop_front();
  }
  if (woke) ready_.notify_all();
}

void Budget::run(std::vector<Grant> grants) {
  for (auto& [granted, bytes] : grants) granted(Reservation(this, bytes));
}

void Budget::release(uint64_t bytes) {
  std::vector<Grant> grants;
  {
    std::lock_guard<std::mutex> lock(mu_);
    in_use_ -= std::min(bytes, in_use_);
    admit(&grants);
  }
  run(std::move(grants));
}

}  // namespace codejudge::server
