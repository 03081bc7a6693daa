#pragma once
// A task's parameter point as a random-stream name. The point is the set of the task's resolved
// parameter values (name and value, independent of the order of keys, of the sweep and of the task's
// position in it), so a point keeps its streams when a sweep is reordered, extended or sliced.
#include <cstdint>
#include <functional>
#include <string>

#include "spindiff/runner/params.hpp"

namespace spindiff::runner {

// One `name = value` line per parameter, sorted by name, leaving out `seed` (keyed separately) and
// `repeats` (each repeat has its own stream index), and parameters declared unkeyed_at_default while they hold
// their default. Numbers are written in their shortest exact form;
// a file parameter is written as the SHA-256 of the file's bytes (`file_digest(path)`), so the point
// does not depend on where the file lies.
std::string parameter_point_text(const Params& params, const std::function<std::string(const std::string&)>& file_digest);

// The first 64 bits of the SHA-256 of the canonical text.
std::uint64_t parameter_point_key(const std::string& canonical_text);

}  // namespace spindiff::runner
