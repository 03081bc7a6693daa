#include "spindiff/stats/autocorrelation.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <stdexcept>
#include <unsupported/Eigen/FFT>

namespace spindiff::stats {

namespace {

// c(t) = sum_i (x_i - mean)(x_{i+t} - mean) / (n - t) for t = 0 .. max_lag (max_lag < n), by FFT.
std::vector<double> lagged_covariance(std::span<const double> x, double mean, std::size_t max_lag) {
  const std::size_t n = x.size();
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
  std::vector<double> c(max_lag + 1);
  for (std::size_t t = 0; t <= max_lag; ++t) c[t] = corr[t] / static_cast<double>(n - t);
  return c;
}

std::vector<double> normalise(std::vector<double> c) {
  const double c0 = c[0];
  for (std::size_t t = 0; t < c.size(); ++t) c[t] = c0 > 0 ? c[t] / c0 : (t == 0 ? 1.0 : 0.0);
  return c;
}

}  // namespace

std::vector<double> autocovariance(std::span<const double> x, double mean, std::size_t max_lag) {
  if (x.empty()) return {};
  return lagged_covariance(x, mean, std::min(max_lag, x.size() - 1));
}

std::vector<double> autocorrelation(std::span<const double> x, std::size_t max_lag) {
  const std::size_t n = x.size();
  if (n < 2) return {1.0};
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(n);
  return normalise(lagged_covariance(x, mean, std::min(max_lag, n - 1)));
}

std::vector<double> autocorrelation(std::span<const std::vector<double>> series, std::size_t max_lag) {
  if (series.empty() || series[0].empty()) return {};
  const std::size_t len = series[0].size();
  double mean = 0.0;
  for (const auto& s : series) {
    if (s.size() != len) throw std::invalid_argument("autocorrelation: series of unequal length");
    for (double v : s) mean += v;
  }
  mean /= static_cast<double>(len * series.size());
  if (len < 2) return {1.0};
  max_lag = std::min(max_lag, len - 1);
  std::vector<double> c(max_lag + 1, 0.0);
  for (const auto& s : series) {
    const std::vector<double> cs = lagged_covariance(s, mean, max_lag);
    for (std::size_t t = 0; t <= max_lag; ++t) c[t] += cs[t];
  }
  return normalise(std::move(c));
}

SokalWindow sokal_window(std::span<const double> rho, double c) {
  SokalWindow w;
  for (std::size_t W = 1; W < rho.size(); ++W) {
    w.tau += rho[W];
    w.window = W;
    if (static_cast<double>(W) >= c * w.tau) {
      w.found = true;
      return w;
    }
  }
  return w;
}

AutocorrelationTime integrated_autocorrelation_time(std::span<const double> x, double c) {
  AutocorrelationTime r;
  const std::size_t n = x.size();
  if (n < 4) return r;
  const std::vector<double> rho = autocorrelation(x, n / 2);
  const SokalWindow w = sokal_window(rho, c);
  r.tau = w.tau;
  r.window = w.found ? w.window : rho.size() - 1;
  if (w.found) {
    r.reliable = static_cast<double>(n) > 50.0 * w.tau;
    r.error = w.tau * std::sqrt(2.0 * (2.0 * static_cast<double>(w.window) + 1.0) / static_cast<double>(n));
  } else {
    r.error = NAN;
  }
  return r;
}

void PooledAutocovariance::add(std::span<const double> x, double mean) {
  if (x.size() < 2) throw std::invalid_argument("PooledAutocovariance: a series needs at least two samples");
  std::vector<double> c = autocovariance(x, mean, max_lag_);
  if (c.size() - 1 < max_lag_) {
    max_lag_ = c.size() - 1;
    for (auto& part : parts_) part.resize(max_lag_ + 1);
  }
  c.resize(max_lag_ + 1);
  parts_.push_back(std::move(c));
  samples_ += x.size();
}

double PooledAutocovariance::tau_of(const std::vector<double>& cov, double c, std::size_t* window) const {
  if (cov.empty() || !(cov[0] > 0)) return NAN;
  std::vector<double> rho(cov.size());
  for (std::size_t t = 0; t < cov.size(); ++t) rho[t] = cov[t] / cov[0];
  const SokalWindow w = sokal_window(rho, c);
  if (window) *window = w.window;
  return w.found ? w.tau : NAN;
}

AutocorrelationTime PooledAutocovariance::time(double c) const {
  AutocorrelationTime r;
  r.error = NAN;
  if (parts_.empty()) return r;
  std::vector<double> total(max_lag_ + 1, 0.0);
  for (const auto& part : parts_)
    for (std::size_t t = 0; t <= max_lag_; ++t) total[t] += part[t];
  r.tau = tau_of(total, c, &r.window);
  if (std::isnan(r.tau)) return r;
  const auto B = static_cast<double>(parts_.size());
  r.reliable = static_cast<double>(samples_) / B > 50.0 * r.tau;
  if (parts_.size() < 2) {
    r.error = r.tau * std::sqrt(2.0 * (2.0 * static_cast<double>(r.window) + 1.0) / static_cast<double>(samples_));
    return r;
  }
  std::vector<double> leave_one(parts_.size());
  double mean = 0;
  for (std::size_t b = 0; b < parts_.size(); ++b) mean += (leave_one[b] = tau_without(b, c)) / B;
  double var = 0;
  for (double v : leave_one) var += (v - mean) * (v - mean);
  r.error = std::sqrt(var * (B - 1) / B);  // NaN if any leave-one-out window was not found
  return r;
}

double PooledAutocovariance::tau_without(std::size_t left_out, double c) const {
  std::vector<double> rest(max_lag_ + 1, 0.0);
  for (std::size_t b = 0; b < parts_.size(); ++b)
    if (b != left_out)
      for (std::size_t t = 0; t <= max_lag_; ++t) rest[t] += parts_[b][t];
  return tau_of(rest, c, nullptr);
}

}  // namespace spindiff::stats
