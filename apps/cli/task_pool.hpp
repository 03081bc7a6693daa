#pragma once
// Threads of one process that run the tasks handed to them and report each finished (or failed) task
// to the thread that owns the pool. The MPI farm gives every rank one; the pool itself knows no MPI.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "spindiff/config/run_config.hpp"
#include "spindiff/runner/progress.hpp"
#include "spindiff/runner/runner.hpp"

namespace spindiff::cli {

struct FinishedTask {
  std::size_t task = 0;
  runner::TaskResult result;  // result.done unless the task threw
  std::exception_ptr error;
};

class TaskPool {
 public:
  // `threads` may be 0 (a pool that never runs anything). `progress` may be null.
  TaskPool(const config::RunConfig& cfg, int threads, runner::Progress* progress);
  ~TaskPool();  // waits for the running tasks
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()); }
  void submit(std::size_t task);
  // A finished task, waiting up to `wait` for one.
  std::optional<FinishedTask> poll(std::chrono::milliseconds wait);
  // Stop the threads without waiting for their tasks (the process is about to exit).
  void abandon();

 private:
  void work();

  const config::RunConfig& cfg_;
  runner::Progress* progress_;
  std::mutex mutex_;
  std::condition_variable queued_, finished_cv_;
  std::deque<std::size_t> queue_;
  std::deque<FinishedTask> finished_;
  bool closed_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace spindiff::cli
