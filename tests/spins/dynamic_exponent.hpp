#pragma once
// The dynamic-exponent estimator of test_critical_slowing.cpp, shared with the offline seed scan
// scripts/critical_slowing_seeds.sh (see the test's header comment for the method and its rationale).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "spindiff/mc/checkerboard_ising2d_replicas.hpp"
#include "spindiff/spins/onsager.hpp"
#include "spindiff/stats/autocorrelation.hpp"

namespace spindiff::test {

inline constexpr int kReplicas = mc::CheckerboardIsing2DReplicas::kReplicas;
inline const std::vector<int> kSizes = {8, 12, 16, 24, 32, 48};  // the test's sizes

// Least-squares slope of y against x.
inline double slope(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < x.size(); ++i) sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx);
  return sxy / sxx;
}

// Coefficient of x in the least-squares fit y = a + z x + b w (w = L^-2: the leading finite-size correction).
inline double slope_with_correction(const std::vector<double>& x, const std::vector<double>& w,
                                    const std::vector<double>& y) {
  double S[3][3] = {}, v[3] = {};
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f[3] = {1.0, x[i], w[i]};
    for (int a = 0; a < 3; ++a) {
      v[a] += f[a] * y[i];
      for (int b = 0; b < 3; ++b) S[a][b] += f[a] * f[b];
    }
  }
  auto det = [](double M[3][3]) {
    return M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1]) - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0]) +
           M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]);
  };
  double M[3][3];
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) M[a][b] = b == 1 ? v[a] : S[a][b];
  return det(M) / det(S);
}

// Jackknife standard error from the leave-one-replica-out estimates.
inline double jackknife_error(const std::vector<double>& leave_one) {
  const double n = static_cast<double>(leave_one.size());
  double mean = 0, var = 0;
  for (double v : leave_one) mean += v / n;
  for (double v : leave_one) var += (v - mean) * (v - mean);
  return std::sqrt(var * (n - 1) / n);
}

struct DynamicExponent {
  double z = 0, z_err = 0;
  double z_corr = 0, z_corr_err = 0;  // with an L^-2 correction (the test's z)
  std::vector<double> tau, tau_err;   // sweeps; jackknife error
};

// `units`: sweeps per replica in units of a prior guess 0.7 L^2.17 of tau (which sets run lengths only).
inline DynamicExponent metropolis_exponent(std::uint64_t seed, double units, const std::vector<int>& sizes = kSizes) {
  const double Tc = spins::onsager::critical_temperature;
  DynamicExponent out;
  std::vector<double> log_L, log_tau;
  std::vector<std::vector<double>> log_tau_without(kReplicas);  // [left-out replica][L]
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    const int L = sizes[k];
    const double guess = 0.7 * std::pow(L, 2.17);
    const auto interval = static_cast<int>(std::max(1.0, std::floor(guess / 100.0)));  // sweeps between samples
    const auto samples = static_cast<std::size_t>(units * guess / interval);
    const auto max_lag = static_cast<std::size_t>(20.0 * guess / interval);
    Stream rng(seed, static_cast<std::uint32_t>(k), 0, Purpose::dynamics);
    mc::CheckerboardIsing2DReplicas sim(L, 1.0, Tc, rng);
    for (int t = 0; t < static_cast<int>(30 * guess); ++t) sim.sweep();
    std::vector<std::vector<double>> m(kReplicas, std::vector<double>(samples));
    std::vector<std::int64_t> sums(kReplicas);
    for (std::size_t i = 0; i < samples; ++i) {
      for (int t = 0; t < interval; ++t) sim.sweep();
      sim.magnetizations(sums);
      for (int r = 0; r < kReplicas; ++r) m[r][i] = static_cast<double>(sums[r]) / static_cast<double>(sim.size());
    }
    // The library's pooled estimator: covariances about the exact mean 0, summed over the replicas, Sokal's window
    // (c = 6); the jackknife leaves one replica out.
    stats::PooledAutocovariance pooled(max_lag);
    for (int r = 0; r < kReplicas; ++r) pooled.add(m[r], 0.0);
    const stats::AutocorrelationTime t = pooled.time(6.0);
    if (std::isnan(t.tau)) throw std::runtime_error("metropolis_exponent: no Sokal window at L = " + std::to_string(L));
    const double tau = t.tau * interval;
    std::vector<double> jk(kReplicas);
    for (int r = 0; r < kReplicas; ++r) {
      const double tau_r = pooled.tau_without(static_cast<std::size_t>(r), 6.0) * interval;
      if (!(tau_r > 0)) throw std::runtime_error("metropolis_exponent: no Sokal window (jackknife)");
      jk[r] = std::log(tau_r);
      log_tau_without[r].push_back(jk[r]);
    }
    out.tau.push_back(tau);
    out.tau_err.push_back(tau * jackknife_error(jk));
    log_L.push_back(std::log(L));
    log_tau.push_back(std::log(tau));
  }
  out.z = slope(log_L, log_tau);
  std::vector<double> inv_L2;
  for (int L : sizes) inv_L2.push_back(1.0 / (L * L));
  out.z_corr = slope_with_correction(log_L, inv_L2, log_tau);
  auto jackknife = [&](auto&& fit) {
    std::vector<double> z_without(kReplicas);
    for (int r = 0; r < kReplicas; ++r) z_without[r] = fit(log_tau_without[r]);
    return jackknife_error(z_without);
  };
  out.z_err = jackknife([&](const std::vector<double>& y) { return slope(log_L, y); });
  out.z_corr_err = jackknife([&](const std::vector<double>& y) { return slope_with_correction(log_L, inv_L2, y); });
  return out;
}

inline constexpr double kUnits = 1000;  // ~ 1000 tau per replica and L, 32 000 per L

}  // namespace spindiff::test
