#pragma once
// A finished task as bytes: what the journal stores (and what a rank would send), read back into the
// very same TaskResult, so a resumed run writes datasets bit-identical to an uninterrupted one.
#include <cstdint>
#include <vector>

#include "spindiff/runner/runner.hpp"

namespace spindiff::runner {

std::vector<std::int8_t> pack_task(const TaskResult& result);
// Throws std::runtime_error on bytes that are not a packed task of this format.
TaskResult unpack_task(const std::vector<std::int8_t>& bytes);

}  // namespace spindiff::runner
