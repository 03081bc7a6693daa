#pragma once
// Derived sizes (L^dim spins, N x P patterns, points x dimensions) checked before any work: a run that
// cannot fit fails at validation with the estimate, not later with "too many sites" or std::bad_alloc.
#include <string>

namespace spindiff::runner {

// Physical memory of this machine in bytes (0 when unknown).
double machine_memory_bytes();

// Throws ConfigError naming `key` when `count` exceeds `limit` (the kind's own limit on that size).
void check_size_limit(const std::string& key, const std::string& what, double count, double limit);

// Throws ConfigError naming `key` when the estimated working memory exceeds the machine's memory.
void check_memory(const std::string& key, const std::string& what, double bytes);

}  // namespace spindiff::runner
