#pragma once
// An experiment kind: its parameters, and how to run one task.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "spindiff/core/bytes.hpp"
#include "spindiff/core/rng.hpp"
#include "spindiff/runner/output.hpp"
#include "spindiff/runner/params.hpp"
#include "spindiff/runner/result_columns.hpp"

namespace spindiff::runner {

// Thrown by TaskContext::save_checkpoint when the run is stopping: it unwinds the task, whose state is then
// in the checkpoint just saved. Not a std::exception, so a kind's error handling lets it pass.
struct TaskStopped {};

// The runner's side of one running task's checkpoints (runner.cpp fills it; kinds use TaskContext).
struct TaskCheckpoints {
  double every = 0;  // seconds between checkpoints; <= 0: only when the run stops
  std::chrono::steady_clock::time_point next;
  const std::atomic<bool>* stop = nullptr;  // set by a signal or --walltime
  bool has_restored = false;
  Bytes restored;                     // the kind's state to continue from
  std::function<void(Bytes&&)> save;  // stores the kind's state with the task's output so far
};

// What a task knows about where it runs. Random streams come only from here, so results depend on
// (seed, parameter point, repeat, purpose) and never on the task's position, thread or rank.
struct TaskContext {
  std::uint64_t seed = 0;
  std::uint64_t point = 0;  // key of the task's parameter point (runner/point.hpp): names its streams
  std::uint32_t task = 0;   // position in the task list: for messages only, never for anything random
  std::int64_t repeats = 1;
  std::filesystem::path config_dir;         // relative file parameters are resolved against it already
  std::atomic<double>* progress = nullptr;  // optional: fraction of this task done, for the progress bar

  Stream stream(std::uint32_t repeat, Purpose purpose, std::uint64_t substream = 0) const {
    return Stream(seed, point, repeat, purpose, substream);
  }
  void report(double fraction) const {
    if (progress) progress->store(fraction, std::memory_order_relaxed);
  }

  // In-task checkpoints, for kinds whose tasks run long. At a point where its whole state is plain values
  // (between two sweeps, steps, epochs), such a kind asks checkpoint_due() (cheap: a clock read) and, when it
  // is, saves its state (core/bytes.hpp) with save_checkpoint(); that call throws TaskStopped when the run
  // is stopping. A resumed task finds the state in restored_checkpoint() and its output as it was at the
  // checkpoint already in its TaskOutput (so it must not write that again); continuing from there must give
  // bit for bit what the uninterrupted task gives.
  TaskCheckpoints* checkpoints = nullptr;
  bool checkpoint_due() const {
    if (!checkpoints) return false;
    if (checkpoints->stop && checkpoints->stop->load(std::memory_order_relaxed)) return true;
    return checkpoints->every > 0 && std::chrono::steady_clock::now() >= checkpoints->next;
  }
  void save_checkpoint(Bytes state) const {
    if (!checkpoints) return;
    if (checkpoints->save) checkpoints->save(std::move(state));
    checkpoints->next =
        std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                               std::chrono::duration<double>(checkpoints->every));
    if (checkpoints->stop && checkpoints->stop->load()) throw TaskStopped{};
  }
  // The state saved by the interrupted run of this task, or nullptr when it starts afresh.
  const Bytes* restored_checkpoint() const {
    return checkpoints && checkpoints->has_restored ? &checkpoints->restored : nullptr;
  }
};

struct Kind {
  std::string name;               // e.g. "hopfield.capacity"
  std::string summary;            // one line for `spindiff list`
  std::vector<ParamSpec> params;  // the kind's own; runner_params() are added by the runner
  std::vector<ResultColumn> results;  // every /summary column a task writes (beside swept parameters)
  std::function<void(const Params&, const TaskContext&, TaskOutput&)> run;
  // Optional cross-parameter checks; throw ConfigError(file = "", key, message).
  std::function<void(const Params&)> validate;
  // Optional run-level datasets written to /theory (curves to compare the data with).
  std::function<void(std::span<const Params> tasks, TaskOutput& theory)> theory;
  // Optional relative cost of a task; the runner starts expensive tasks first.
  std::function<double(const Params&)> cost;
};

// Parameters every kind has, declared by the runner rather than the kind (`seed`, `repeats`).
std::vector<ParamSpec> runner_params();

}  // namespace spindiff::runner
