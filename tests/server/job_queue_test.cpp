// The back-pressure primitives alone: the job queue's admission line and deadlines, and the
// memory budget's arrival order, cancellation and blocking waits.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <thread>

#include "../../server/src/budget.h"
#include "../../server/src/job_queue.h"

namespace codejudge::server {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A job that holds its thread until released.
struct Gate {
  std::promise<void> entered;
  std::promise<void> open;
  std::shared_future<void> opened = open.get_future().share();
  JobQueue::Job job() {
    return [this] {
      entered.set_value();
      opened.wait();
    };
  }
};

std::vector<JobQueue::Job> one(JobQueue::Job job) {
  std::vector<JobQueue::Job> jobs;
  jobs.push_back(std::move(job));
  return jobs;
}

TEST(JobQueue, WaitsForRoomInArrivalOrder) {
  JobQueue queue(1, 0);
  Gate gate;
  ASSERT_TRUE(queue.try_push(one(gate.job())));
  gate.entered.get_future().wait();
  std::vector<int> order;
  std::mutex mu;
  auto record = [&](int i) {
    return [&, i] {
      std::lock_guard<std::mutex> lock(mu);
      order.push_back(i);
    };
  };
  std::atomic<int> timed_out{0};
  const JobQueue::Deadlines later{Clock::now() + 10s};
  EXPECT_EQ(queue.push(one(record(1)), later, [&] { ++timed_out; }), JobQueue::Pushed::kWaiting);
  EXPECT_EQ(queue.push(one(record(2)), later, [&] { ++timed_out; }), JobQueue::Pushed::kWaiting);
  // No waiting allowed, and others are in line: refused, even if room appeared.
  EXPECT_FALSE(queue.try_push(one(record(3))));
  EXPECT_EQ(queue.waiting_for_room(), 2u);
  gate.open.set_value();
  const auto deadline = Clock::now() + 10s;
  while (Clock::now() < deadline) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (order.size() == 2) break;
    }
    std::this_thread::sleep_for(5ms);
  }
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_EQ(timed_out.load(), 0);
}

TEST(JobQueue, TimesOutWhatCannotBeAdmittedOrStartedInTime) {
  JobQueue queue(1, 4);
  Gate gate;
  ASSERT_TRUE(queue.try_push(one(gate.job())));
  gate.entered.get_future().wait();
  std::atomic<bool> ran{false};
  std::promise<Clock::time_point> expired;
  const auto start = Clock::now();
  JobQueue::Deadlines soon{Clock::now() + 1s, Clock::now() + 300ms};
  // There is room, so it is queued; but the thread stays busy past its start deadline.
  EXPECT_EQ(queue.push(one([&] { ran = true; }), soon, [&] { expired.set_value(Clock::now()); }),
            JobQueue::Pushed::kQueued);
  EXPECT_EQ(queue.waiting(), 1u);
  const auto when = expired.get_future().get();
  EXPECT_GE(when - start, 300ms);
  EXPECT_LT(when - start, 5s);
  EXPECT_EQ(queue.waiting(), 0u);  // dropped, its slot free again
  gate.open.set_value();
  // A job that started in time runs to the end whatever its deadline.
  std::promise<void> done;
  EXPECT_EQ(queue.push(one([&] { done.set_value(); }), {Clock::now() + 1s, Clock::now() + 1s},
                       [] { ADD_FAILURE() << "started, so never timed out"; }),
            JobQueue::Pushed::kQueued);
  done.get_future().wait();
  EXPECT_FALSE(ran.load());
}

TEST(JobQueue, DestructionTellsThoseStillWaitingForRoom) {
  std::atomic<int> timed_out{0};
  std::atomic<int> ran{0};
  Gate gate;
  {
    JobQueue queue(1, 0);
    ASSERT_TRUE(queue.try_push(one(gate.job())));
    gate.entered.get_future().wait();
    EXPECT_EQ(queue.push(one([&] { ++ran; }), {Clock::now() + 60s}, [&] { ++timed_out; }),
              JobQueue::Pushed::kWaiting);
    gate.open.set_value();
    // ~JobQueue: the freed thread may admit it first, or the destructor tells it; either way
    // exactly one of the two happens, and destruction does not wait for its deadline.
  }
  EXPECT_EQ(timed_out.load() + ran.load(), 1);
}

TEST(Budget, GrantsInArrivalOrderAndCancels) {
  Budget budget(100);
  std::vector<std::string> events;
  std::optional<Budget::Reservation> big;
  EXPECT_EQ(budget.acquire_async(80, [&](Budget::Reservation r) { big = std::move(r); }), 0u);
  ASSERT_TRUE(big);
  EXPECT_EQ(budget.in_use(), 80u);
  std::optional<Budget::Reservation> second;
  std::optional<Budget::Reservation> third;
  const uint64_t second_ticket =
      budget.acquire_async(50, [&](Budget::Reservation r) { second = std::move(r); });
  // Would fit (80 + 10 <= 100) but waits behind the 50-byte request: no starvation.
  const uint64_t third_ticket =
      budget.acquire_async(10, [&](Budget::Reservation r) { third = std::move(r); });
  EXPECT_NE(second_ticket, 0u);
  EXPECT_NE(third_ticket, 0u);
  EXPECT_FALSE(third);
  EXPECT_EQ(budget.waiting(), 2u);
  // Withdrawing the head lets the next one in.
  EXPECT_TRUE(budget.cancel(second_ticket));
  ASSERT_TRUE(third);
  EXPECT_EQ(budget.in_use(), 90u);
  EXPECT_FALSE(budget.cancel(third_ticket));  // already granted
  third->shrink_to(4);
  EXPECT_EQ(budget.in_use(), 84u);
  big.reset();
  third.reset();
  EXPECT_EQ(budget.in_use(), 0u);
  // A request above the capacity is held to it, so it can still run alone.
  Budget::Reservation all = budget.acquire(1000);
  EXPECT_EQ(all.bytes(), 100u);
}

TEST(Budget, BlockingWaitersWakeWhenBytesReturn) {
  Budget budget(10);
  Budget::Reservation held = budget.acquire(10);
  std::promise<void> got;
  std::thread waiter([&] {
    Budget::Reservation mine = budget.acquire(6);
    got.set_value();
  });
  auto future = got.get_future();
  EXPECT_EQ(future.wait_for(100ms), std::future_status::timeout);
  held.reset();
  EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
  waiter.join();
  EXPECT_EQ(budget.in_use(), 0u);
}

}  // namespace
}  // namespace codejudge::server
