#pragma once
// A running task's checkpoint as one opaque byte string: the kind's state (TaskContext::save_checkpoint)
// with the task's output so far and its run time. The journal stores it, a rank could send it.
#include <cstdint>

#include "spindiff/core/bytes.hpp"
#include "spindiff/runner/output.hpp"

namespace spindiff::runner {

struct TaskCheckpoint {
  Bytes state;         // the kind's own bytes
  TaskOutput output;   // what the task had written when it saved them
  double seconds = 0;  // run time before the checkpoint
};

Bytes pack_checkpoint(const TaskCheckpoint& checkpoint);
// Throws std::runtime_error on bytes that are not a checkpoint of this format.
TaskCheckpoint unpack_checkpoint(const Bytes& bytes);

}  // namespace spindiff::runner
