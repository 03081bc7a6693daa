#pragma once
// Runs the tasks of a configuration on a pool of threads. The task list and each task's random
// streams are fixed by the configuration; only the scheduling depends on the thread count.
#include <atomic>
#include <exception>
#include <functional>
#include <vector>

#include "spindiff/config/run_config.hpp"
#include "spindiff/runner/kind.hpp"
#include "spindiff/runner/output.hpp"
#include "spindiff/runner/progress.hpp"

namespace spindiff::runner {

struct TaskResult {
  bool done = false;
  TaskOutput output;
  double seconds = 0.0;
};

struct ExecuteOptions {
  int threads = 1;
  Progress* progress = nullptr;
  const std::atomic<bool>* stop = nullptr;  // when set, no new task starts (running ones finish)
  // Called for each finished task, one call at a time (the journal commits it); a throw fails the run.
  std::function<void(std::size_t task, const TaskResult&)> on_done;
};

struct Execution {
  std::vector<TaskResult> results;  // indexed by task
  std::exception_ptr error;         // the first task failure, if any
  std::size_t failed_task = 0;
  bool interrupted = false;
  bool complete() const;
};

// Runs the subset `tasks` (all tasks when empty) on options.threads threads of this process.
Execution execute(const config::RunConfig& cfg, const ExecuteOptions& options, std::vector<std::size_t> tasks = {});

// The context a task runs with (seed, parameter point, repeats); every scheduler builds it here.
TaskContext context_for(const config::RunConfig& cfg, std::size_t task);

// The order in which schedulers hand out `tasks` (all tasks when empty): the kind's most expensive
// first, ties in task order. Only timing depends on it, never a dataset.
std::vector<std::size_t> scheduling_order(const config::RunConfig& cfg, std::vector<std::size_t> tasks = {});

// Runs one task in the calling thread (tests, debugging).
TaskOutput run_task(const config::RunConfig& cfg, std::size_t task);

}  // namespace spindiff::runner
