// A memory budget in bytes shared by concurrent requests: a counting semaphore whose waiters are
// served in arrival order, either asynchronously (the socket layer: a session does not read a
// body until its bytes are reserved) or by blocking (the parse threads).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <utility>
#include <vector>

namespace codejudge::server {

class Budget {
 public:
  explicit Budget(uint64_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}
  Budget(const Budget&) = delete;
  Budget& operator=(const Budget&) = delete;

  // Bytes held while alive; moves, releases once.
  class Reservation {
   public:
    Reservation() = default;
    Reservation(Budget* budget, uint64_t bytes) : budget_(budget), bytes_(bytes) {}
    Reservation(Reservation&& other) noexcept { *this = std::move(other); }
    Reservation& operator=(Reservation&& other) noexcept;
    ~Reservation() { reset(); }
    void reset();
    // Gives back what is held beyond bytes (a chunked body turned out smaller).
    void shrink_to(uint64_t bytes);
    uint64_t bytes() const { return bytes_; }

   private:
    Budget* budget_ = nullptr;
    uint64_t bytes_ = 0;
  };

  // Reserves bytes (at most capacity) and calls granted with the reservation: at once, on this
  // thread, when they fit and nobody waits before us; otherwise later, on the thread whose
  // release made room. Returns 0 when granted at once, else a ticket for cancel().
  uint64_t acquire_async(uint64_t bytes, std::function<void(Reservation)> granted);
  // Withdraws a queued request; false when it was already granted (its callback runs or ran).
  bool cancel(uint64_t ticket);
  // Blocks until the bytes are reserved (in arrival order with the asynchronous waiters).
  Reservation acquire(uint64_t bytes);

  uint64_t capacity() const { return capacity_bytes_; }
  uint64_t in_use() const;
  size_t waiting() const;

 private:
  struct Waiter {
    uint64_t ticket;
    uint64_t bytes;
    std::function<void(Reservation)> granted;  // empty for a blocking waiter
    bool* ready;                               // the blocking waiter's flag
  };
  using Grant = std::pair<std::function<void(Reservation)>, uint64_t>;
  void release(uint64_t bytes);
  void admit(std::vector<Grant>* grants);  // under mu_: the head of the line, while it fits
  void run(std::vector<Grant> grants);     // outside mu_

  const uint64_t capacity_bytes_;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  uint64_t in_use_ = 0;
  uint64_t next_ticket_ = 0;
  std::list<Waiter> waiters_;
};

}  // namespace codejudge::server
