#include "spindiff/stats/autocorrelation.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <unsupported/Eigen/FFT>

namespace spindiff::stats {

std::vector<double> autocorrelation(std::span<const double> x, std::size_t max_lag) {
  const std::size_t n = x.size();
  if (n < 2) return {1.0};
  max_lag = std::min(max_lag, n - 1);
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(n);
  // Zero-padded to a power of two >= 2n: circular correlation equals the linear one.
  std::size_t m = 1;
  while (m < 2 * n) m <<= 1;
  std::vector<double> padded(m, 0.0);
  for (std::size_t i = 0; i < n; ++i) padded[i] = x[i] - mean;
  Eigen::FFT<double> fft;
  std::vector<std::complex<double>> spectrum;
  fft.fwd(spectrum, padded);
  for (auto& z : spectrum) z = std::norm(z);
  std::vector<double> corr;
  fft.inv(corr, spectrum);
  std::vector<double> rho(max_lag + 1);
  const double c0 = corr[0] / static_cast<double>(n);
  for (std::size_t t = 0; t <= max_lag; ++t)
    rho[t] = c0 > 0 ? corr[t] / static_cast<double>(n - t) / c0 : (t == 0 ? 1.0 : 0.0);
  return rho;
}

AutocorrelationTime integrated_autocorrelation_time(std::span<const double> x, double c) {
  AutocorrelationTime r;
  const std::size_t n = x.size();
  if (n < 4) return r;
  const std::vector<double> rho = autocorrelation(x, n / 2);
  double tau = 0.5;
  for (std::size_t W = 1; W < rho.size(); ++W) {
    tau += rho[W];
    if (static_cast<double>(W) >= c * tau) {
      r.window = W;
      r.tau = tau;
      r.reliable = static_cast<double>(n) > 50.0 * tau;
      r.error = tau * std::sqrt(2.0 * (2.0 * static_cast<double>(W) + 1.0) / static_cast<double>(n));
      return r;
    }
  }
  r.tau = tau;
  r.window = rho.size() - 1;
  r.error = NAN;
  return r;
}

}  // namespace spindiff::stats
