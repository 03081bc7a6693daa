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

// Lagged covariances c(t) = sum_i (x_i - mean)(x_{i+t} - mean) / (n - t) for t = 0 .. min(max_lag, n - 1), by FFT,
// about a given mean: e.g. 0 for an observable that a symmetry of the dynamics maps to minus itself (the
// magnetisation at h = 0), which avoids the bias of centring on the sample mean. Linear in the series: the c(t)
// of independent series add up, and a replica can be left out by subtracting its own.
std::vector<double> autocovariance(std::span<const double> x, double mean, std::size_t max_lag);

// rho(t) for t = 0 .. max_lag (rho(0) = 1).
std::vector<double> autocorrelation(std::span<const double> x, std::size_t max_lag);
// rho(t) of several equally long series of one process (e.g. independent particles), each centred on the common
// mean; the lagged covariances are averaged over the series before normalising. Throws on unequal lengths.
std::vector<double> autocorrelation(std::span<const std::vector<double>> series, std::size_t max_lag);

// Sokal's window on a given rho(0..): tau = 1/2 + sum_{t=1}^{W} rho(t) for the smallest W >= c tau(W); without such
// a W, the sum over all of rho and found = false.
struct SokalWindow {
  double tau = 0.5;
  std::size_t window = 0;
  bool found = false;
};
SokalWindow sokal_window(std::span<const double> rho, double c);

AutocorrelationTime integrated_autocorrelation_time(std::span<const double> x, double c = 6.0);

// tau_int of one process observed in several independent series (replicas, or repeats of a chain), from their
// lagged covariances about a given mean, summed over the series. With the exact mean (0 for the magnetisation of
// a model with spin-flip symmetry at zero field) this avoids the bias of a sample mean, and the signed
// magnetisation, odd under the global flip, overlaps the slowest relaxation mode: its tau grows with the dynamic
// exponent z. The error is the jackknife over the series (leave one out, window found again) when there are at
// least two, else the Madras-Sokal formula tau sqrt(2 (2W + 1) / n).
class PooledAutocovariance {
 public:
  // Lags up to max_lag (in samples); a series shorter than that lowers it.
  explicit PooledAutocovariance(std::size_t max_lag) : max_lag_(max_lag) {}
  void add(std::span<const double> x, double mean);
  std::size_t series() const { return parts_.size(); }
  // Sokal's window with constant c on the pooled rho; reliable = window found and n > 50 tau per series.
  AutocorrelationTime time(double c = 6.0) const;
  // The same without series `left_out` (for a jackknife of a quantity derived from tau); tau = NaN when no
  // window fits.
  double tau_without(std::size_t left_out, double c = 6.0) const;

 private:
  double tau_of(const std::vector<double>& cov, double c, std::size_t* window) const;
  std::size_t max_lag_;
  std::size_t samples_ = 0;                 // sum of the series lengths
  std::vector<std::vector<double>> parts_;  // each series' c(t), t = 0 .. max_lag_
};

}  // namespace spindiff::stats
