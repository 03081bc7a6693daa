#pragma once
// The one thread pool: runs job(i) for i = 0, 1, ..., count - 1 on up to `threads` threads (the calling thread is
// one of them), handing out indices in order. Jobs own their random streams and outputs, so which thread runs which
// index never changes a result. A job may return bool: false stops handing out further indices (jobs already
// running finish). The first exception a job throws stops handing out indices and is rethrown once all threads
// have joined.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace spindiff {

template <class Job>
void parallel_for(std::size_t count, int threads, Job&& job) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    while (!stop.load()) {
      const std::size_t i = next.fetch_add(1);
      if (i >= count) return;
      try {
        if constexpr (std::is_same_v<std::invoke_result_t<Job&, std::size_t>, bool>) {
          if (!job(i)) stop.store(true);
        } else {
          job(i);
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        stop.store(true);
      }
    }
  };
  const std::size_t wanted =
      std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), count));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < wanted; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace spindiff
