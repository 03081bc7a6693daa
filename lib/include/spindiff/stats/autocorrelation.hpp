#pragma once
// Integrated autocorrelation time from the normalised autocorrelation function rho(t) (computed by FFT),
// tau_int = 1/2 + sum_{t=1}^{W} rho(t), with Sokal's automatic window: the smallest W >= c tau_int(W).
// Statistical error (Madras & Sokal 1988): sigma(tau) ~ tau sqrt(2 (2W + 1) / n).
#include <cstddef>
#include <span>
#include <vector>

namespace spindiff::stats {

struct AutocorrelationTime {
  double tau = 0;  // in units of the sampling interval
  double error = 0;
  std::size_t window = 0;
  bool reliable = false;  // the window was found and n > 50 tau
};

// rho(t) for t = 0 .. max_lag (rho(0) = 1).
std::vector<double> autocorrelation(std::span<const double> x, std::size_t max_lag);
AutocorrelationTime integrated_autocorrelation_time(std::span<const double> x, double c = 6.0);

}  // namespace spindiff::stats
