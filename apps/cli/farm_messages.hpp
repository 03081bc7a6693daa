#pragma once
// The messages of the MPI task farm, as plain byte strings (the farm sends them as MPI_BYTE arrays).
// Coordinator -> worker: assign (a task, with the checkpoint it resumes from, possibly empty), stop
// (start nothing new; checkpoint and leave the running tasks), finish (exit with a code).
// Worker -> coordinator: result (a finished task's record), checkpoint (a running task's opaque
// checkpoint bytes, for the journal), stopped (a task stopped inside after its checkpoint), failed (a
// task threw), stopping (the worker got a signal), finished (the worker saw `finish` and sends nothing
// more).
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "spindiff/core/bytes.hpp"
#include "spindiff/runner/runner.hpp"

namespace spindiff::cli {

using Bytes = spindiff::Bytes;  // core/bytes.hpp

enum class FarmTag : int {
  assign = 1,
  stop = 2,
  finish = 3,
  result = 10,
  checkpoint = 11,
  failed = 12,
  stopping = 13,
  finished = 14,
  stopped = 15
};

// A task number with an opaque byte string: assign (checkpoint to resume from) and checkpoint.
struct TaskBytes {
  std::size_t task = 0;
  Bytes bytes;
};
Bytes encode_task_bytes(const TaskBytes& message);
TaskBytes decode_task_bytes(const Bytes& message);

// A finished task: its number and its exact record (runner::pack_task), so datasets are bit-identical.
Bytes encode_result(std::size_t task, const runner::TaskResult& result);
std::pair<std::size_t, runner::TaskResult> decode_result(const Bytes& message);

// A failed task: a bad-input error (runner::ConfigError, key and message) stays one on the coordinator;
// any other failure arrives as std::runtime_error with the original message.
Bytes encode_failure(std::size_t task, const std::exception_ptr& error);
std::pair<std::size_t, std::exception_ptr> decode_failure(const Bytes& message);

// stop, finish (exit code), stopping (signal number), finished.
Bytes encode_code(int code);
int decode_code(const Bytes& message);

}  // namespace spindiff::cli
