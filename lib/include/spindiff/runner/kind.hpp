#pragma once
// An experiment kind: its parameters, and how to run one task.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/runner/output.hpp"
#include "spindiff/runner/params.hpp"
#include "spindiff/runner/result_columns.hpp"

namespace spindiff::runner {

// What a task knows about where it runs. Random streams come only from here, so results depend on
// (seed, parameter point, repeat, purpose) and never on the task's position, thread or rank.
struct TaskContext {
  std::uint64_t seed = 0;
  std::uint64_t point = 0;  // key of the task's parameter point (runner/point.hpp): names its streams
  std::uint32_t task = 0;   // position in the task list: for messages only, never for anything random
  std::int64_t repeats = 1;
  std::filesystem::path config_dir;  // relative file parameters are resolved against it already
  std::atomic<double>* progress = nullptr;  // optional: fraction of this task done, for the progress bar

  Stream stream(std::uint32_t repeat, Purpose purpose, std::uint64_t substream = 0) const {
    return Stream(seed, point, repeat, purpose, substream);
  }
  void report(double fraction) const {
    if (progress) progress->store(fraction, std::memory_order_relaxed);
  }
};

struct Kind {
  std::string name;     // e.g. "hopfield.capacity"
  std::string summary;  // one line for `spindiff list`
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
