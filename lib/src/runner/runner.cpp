#include "spindiff/runner/runner.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <numeric>

#include "spindiff/core/parallel.hpp"
#include "spindiff/runner/checkpoint.hpp"

namespace spindiff::runner {

bool Execution::complete() const {
  return !error && !interrupted &&
         std::all_of(results.begin(), results.end(), [](const TaskResult& r) { return r.done; });
}

TaskContext context_for(const config::RunConfig& cfg, std::size_t task) {
  TaskContext ctx;
  ctx.seed = cfg.seed;
  ctx.point = cfg.points[task];
  ctx.task = static_cast<std::uint32_t>(task);
  ctx.repeats = cfg.tasks[task].integer("repeats");
  ctx.config_dir = cfg.dir;
  return ctx;
}

std::vector<std::size_t> scheduling_order(const config::RunConfig& cfg, std::vector<std::size_t> tasks) {
  if (tasks.empty()) {
    tasks.resize(cfg.tasks.size());
    std::iota(tasks.begin(), tasks.end(), std::size_t{0});
  }
  // Expensive tasks first keeps the workers busy to the end; ties keep task order.
  if (cfg.kind->cost) {
    std::vector<double> cost(cfg.tasks.size());
    for (std::size_t t : tasks) cost[t] = cfg.kind->cost(cfg.tasks[t]);
    std::stable_sort(tasks.begin(), tasks.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  }
  return tasks;
}

TaskOutput run_task(const config::RunConfig& cfg, std::size_t task) {
  TaskOutput out;
  cfg.kind->run(cfg.tasks[task], context_for(cfg, task), out);
  return out;
}

Execution execute(const config::RunConfig& cfg, const ExecuteOptions& options, std::vector<std::size_t> tasks) {
  Execution ex;
  ex.results.resize(cfg.tasks.size());
  tasks = scheduling_order(cfg, std::move(tasks));

  std::atomic<bool> failed{false};
  std::mutex mutex;
  // After a failure or a stop request the remaining tasks are skipped.
  auto run_one = [&](std::size_t i) {
    {
      if (failed.load() || (options.stop && options.stop->load())) return;
      const std::size_t task = tasks[i];
      TaskContext ctx = context_for(cfg, task);
      if (options.progress) ctx.progress = options.progress->slot(task);
      TaskResult result;
      double seconds_before = 0;
      TaskCheckpoints checkpoints;
      checkpoints.every = options.checkpoint_every;
      checkpoints.stop = options.stop;
      const auto start = std::chrono::steady_clock::now();
      try {
        if (options.restored && task < options.restored->size() && !(*options.restored)[task].empty()) {
          TaskCheckpoint restored = unpack_checkpoint((*options.restored)[task]);
          checkpoints.restored = std::move(restored.state);
          checkpoints.has_restored = true;
          result.output = std::move(restored.output);
          seconds_before = restored.seconds;
        }
        checkpoints.next = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                       std::chrono::duration<double>(std::max(0.0, options.checkpoint_every)));
        checkpoints.save = [&](Bytes&& state) {
          TaskCheckpoint c;
          c.state = std::move(state);
          c.output = result.output;
          c.seconds = seconds_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          const Bytes bytes = pack_checkpoint(c);
          std::lock_guard lock(mutex);
          if (options.on_checkpoint) options.on_checkpoint(task, bytes);
        };
        ctx.checkpoints = &checkpoints;
        cfg.kind->run(cfg.tasks[task], ctx, result.output);
      } catch (const TaskStopped&) {
        std::lock_guard lock(mutex);
        ++ex.tasks_stopped;
        return;
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!ex.error) {
          ex.error = std::current_exception();
          ex.failed_task = task;
        }
        failed.store(true);
        return;
      }
      result.seconds = seconds_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      for (const auto& name : undeclared_result_columns(cfg.kind->results, result.output))
        result.output.warning("summary column '" + name + "' is not declared by kind " + cfg.kind->name +
                              " (it is written without a doc attribute)");
      result.done = true;
      {
        std::lock_guard lock(mutex);
        if (options.on_done) {
          try {
            options.on_done(task, result);
          } catch (...) {
            if (!ex.error) {
              ex.error = std::current_exception();
              ex.failed_task = task;
            }
            failed.store(true);
            return;
          }
        }
        ex.results[task] = std::move(result);
      }
      if (options.progress) options.progress->task_done(task);
    }
  };
  parallel_for(tasks.size(), options.threads, run_one);
  ex.interrupted = options.stop && options.stop->load();
  return ex;
}

}  // namespace spindiff::runner
