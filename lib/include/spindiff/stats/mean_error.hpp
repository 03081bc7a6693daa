#pragma once
// Mean and standard error of the mean of independent values (one per repeat, per trial, ...).
#include <cmath>
#include <cstddef>
#include <span>

namespace spindiff::stats {

struct MeanError {
  double mean = NAN;
  double error = 0;  // s / sqrt(n) with the unbiased sample variance s^2; 0 for fewer than two values
  std::size_t count = 0;
};

// Two-pass (mean first, then squared deviations): no cancellation for values far from zero.
MeanError mean_error(std::span<const double> values);

}  // namespace spindiff::stats
