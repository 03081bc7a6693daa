#pragma once
// Runs fn(block) for every block on up to `threads` threads. Blocks own their random streams and outputs,
// so which thread runs which block never changes a result.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace spindiff::langevin {

template <class F>
void for_each_block(int blocks, int threads, F&& fn) {
  threads = std::max(1, std::min(threads, blocks));
  if (threads == 1) {
    for (int b = 0; b < blocks; ++b) fn(b);
    return;
  }
  std::atomic<int> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (int b = next++; b < blocks; b = next++) {
      try {
        fn(b);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace spindiff::langevin
