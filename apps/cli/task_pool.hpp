#pragma once
// Threads of one process that run the tasks handed to them and report what happens to each (finished,
// failed, stopped after a checkpoint, or a checkpoint saved) to the thread that owns the pool. The MPI
// farm gives every rank one; the pool itself knows no MPI.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "spindiff/config/run_config.hpp"
#include "spindiff/core/bytes.hpp"
#include "spindiff/runner/progress.hpp"
#include "spindiff/runner/runner.hpp"

namespace spindiff::cli {

struct TaskEvent {
  enum class Kind { finished, failed, stopped, checkpoint };
  Kind kind = Kind::finished;
  std::size_t task = 0;
  runner::TaskResult result;  // finished
  std::exception_ptr error;   // failed
  Bytes checkpoint;           // checkpoint (runner/checkpoint.hpp bytes, for the journal)
};

struct TaskPoolOptions {
  int threads = 1;  // may be 0: a pool that never runs anything
  runner::Progress* progress = nullptr;
  // Set when the run stops: tasks of kinds that checkpoint save their state and stop.
  const std::atomic<bool>* stop = nullptr;
  double checkpoint_every = 0;  // seconds between in-task checkpoints (<= 0: only when stopping)
};

class TaskPool {
 public:
  TaskPool(const config::RunConfig& cfg, const TaskPoolOptions& options);
  ~TaskPool();  // waits for the running tasks
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()); }
  // `restored`: the checkpoint the task continues from (empty: it starts afresh).
  void submit(std::size_t task, Bytes restored = {});
  // The next event, waiting up to `wait` for one.
  std::optional<TaskEvent> poll(std::chrono::milliseconds wait);
  // Stop the threads without waiting for their tasks (the process is about to exit).
  void abandon();

 private:
  void work();
  void push(TaskEvent event);

  const config::RunConfig& cfg_;
  TaskPoolOptions options_;
  std::mutex mutex_;
  std::condition_variable queued_, events_cv_;
  std::deque<std::pair<std::size_t, Bytes>> queue_;
  std::deque<TaskEvent> events_;
  bool closed_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace spindiff::cli
