// Critical slowing down at T_c: tau_int of the magnetisation m of checkerboard Metropolis grows like L^z with
// z = 2.17 +- 0.2 over L = 8 ... 32 (the statement; references.md: z ~ 2.17, Nightingale & Blote 1996);
// Wolff's tau stays below a few sweeps.
//
// Estimator. m is odd under the global spin flip, so it overlaps the slowest (odd) relaxation mode, whose time
// scales with the dynamic exponent; its autocorrelation is nearly one exponential (rho(tau_int) ~ 0.37 = 1/e at
// every L here), so Sokal's window (W >= 6 tau) misses ~ e^-6 of it. (Even observables are faster and have a
// smaller effective z at these L: ~ 1.9 for |m|, ~ 1.4 for the energy.) For each L, 32 independent replicas
// (CheckerboardIsing2DReplicas, one per byte lane: 0.7 ... 1.8 flips/ns at L = 8 ... 32, 4-5x the single-replica
// kernel) run ~ 1000 tau each; m is recorded every ~ tau/100 sweeps (tau changes by < 0.1% against sampling
// every sweep). The lagged covariances are taken about the exact mean <m> = 0 (spin-flip symmetry: no bias from
// a sample mean) and summed over the replicas; tau(L) from their pooled rho. z is the least-squares slope of
// ln tau against ln L (the design gives every L about the same relative error); its error is the jackknife over
// the 32 independent replicas (leave one out at every L, refit), which needs no model of the error of tau.
//
// Tolerances. The test requires z_err <= 0.05, so that the issue's +- 0.2 is at least 4 standard errors; with
// ~ 30000 tau per L, z_err comes out ~ 0.02. Corrections to scaling are real at these L: over 12 seeds (the
// hidden test below) z = 2.055 with sd 0.020 (range 2.023 ... 2.093; the jackknife errors agree with that
// spread), i.e. the effective exponent over L = 8 ... 32 is 0.12 below the asymptotic 2.17. The local slopes
// between neighbouring sizes rise with L (1.98, 2.07, 2.06, 2.14), and a fit with an extra L^-2 term gives
// 2.13 +- 0.05. The assertion is the issue's |z - 2.17| < 0.2 as written, not widened; it holds with a margin of
// ~ 4 sd. Runtime ~ 45 s on one (shared) core. docs/theory/monte-carlo.md records all of this.
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <sstream>
#include <vector>

#include "spindiff/mc/checkerboard_ising2d_replicas.hpp"
#include "spindiff/mc/wolff.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/onsager.hpp"
#include "spindiff/stats/autocorrelation.hpp"

using namespace spindiff;

namespace {

constexpr int kReplicas = mc::CheckerboardIsing2DReplicas::kReplicas;
const std::vector<int> kSizes = {8, 12, 16, 24, 32};

// Least-squares slope of y against x.
double slope(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < x.size(); ++i) sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx);
  return sxy / sxx;
}

// Coefficient of x in the least-squares fit y = a + z x + b w (exploratory: w = L^-2 corrections).
double slope_with_correction(const std::vector<double>& x, const std::vector<double>& w, const std::vector<double>& y) {
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

// tau_int (in samples) of the pooled covariance c(t), by Sokal's window; 0 if no window fits.
double pooled_tau(const std::vector<double>& c) {
  std::vector<double> rho(c.size());
  for (std::size_t t = 0; t < c.size(); ++t) rho[t] = c[t] / c[0];
  const stats::SokalWindow w = stats::sokal_window(rho, 6.0);
  return w.found ? w.tau : 0.0;
}

struct DynamicExponent {
  double z = 0, z_err = 0;
  double z_corr = 0, z_corr_err = 0;  // with an L^-2 correction
  std::vector<double> tau, tau_err;   // sweeps; jackknife error
};

// `units`: sweeps per replica in units of a prior guess 0.7 L^2.17 of tau (which sets run lengths only).
DynamicExponent metropolis_exponent(std::uint64_t seed, double units) {
  const double Tc = spins::onsager::critical_temperature;
  DynamicExponent out;
  std::vector<double> log_L, log_tau;
  std::vector<std::vector<double>> log_tau_without(kReplicas);  // [left-out replica][L]
  for (std::size_t k = 0; k < kSizes.size(); ++k) {
    const int L = kSizes[k];
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
    std::vector<std::vector<double>> c(kReplicas);
    std::vector<double> total(max_lag + 1, 0.0);
    for (int r = 0; r < kReplicas; ++r) {
      c[r] = stats::autocovariance(m[r], 0.0, max_lag);
      for (std::size_t t = 0; t <= max_lag; ++t) total[t] += c[r][t];
    }
    const double tau = pooled_tau(total) * interval;
    INFO("Metropolis L = " << L << ": no Sokal window within " << max_lag << " samples");
    REQUIRE(tau > 0);
    double jk_mean = 0;
    std::vector<double> jk(kReplicas);
    for (int r = 0; r < kReplicas; ++r) {
      std::vector<double> rest = total;
      for (std::size_t t = 0; t <= max_lag; ++t) rest[t] -= c[r][t];
      const double tau_r = pooled_tau(rest) * interval;
      REQUIRE(tau_r > 0);
      jk[r] = std::log(tau_r);
      jk_mean += jk[r] / kReplicas;
      log_tau_without[r].push_back(jk[r]);
    }
    double var = 0;
    for (double v : jk) var += (v - jk_mean) * (v - jk_mean);
    out.tau.push_back(tau);
    out.tau_err.push_back(tau * std::sqrt(var * (kReplicas - 1) / kReplicas));
    log_L.push_back(std::log(L));
    log_tau.push_back(std::log(tau));
  }
  out.z = slope(log_L, log_tau);
  std::vector<double> inv_L2;
  for (int L : kSizes) inv_L2.push_back(1.0 / (L * L));
  out.z_corr = slope_with_correction(log_L, inv_L2, log_tau);
  auto jackknife = [&](auto&& fit) {
    double mean = 0, var = 0;
    std::vector<double> z_without(kReplicas);
    for (int r = 0; r < kReplicas; ++r) mean += (z_without[r] = fit(log_tau_without[r])) / kReplicas;
    for (double z : z_without) var += (z - mean) * (z - mean);
    return std::sqrt(var * (kReplicas - 1) / kReplicas);
  };
  out.z_err = jackknife([&](const std::vector<double>& y) { return slope(log_L, y); });
  out.z_corr_err = jackknife([&](const std::vector<double>& y) { return slope_with_correction(log_L, inv_L2, y); });
  return out;
}

constexpr double kUnits = 1000;  // ~ 1000 tau per replica and L, 32 000 per L

}  // namespace

TEST_CASE("critical slowing down: Metropolis z = 2.17 +- 0.2 over L = 8..32, Wolff tau of a few sweeps",
          "[spins][physics]") {
  const DynamicExponent fit = metropolis_exponent(71, kUnits);
  for (std::size_t k = 0; k < kSizes.size(); ++k)
    WARN("Metropolis L = " << kSizes[k] << ": tau_int(m) = " << fit.tau[k] << " +- " << fit.tau_err[k] << " sweeps");
  WARN("fitted z = " << fit.z << " +- " << fit.z_err);
  REQUIRE(fit.z_err <= 0.05);  // else +- 0.2 would be less than 4 standard errors
  CHECK(std::abs(fit.z - 2.17) < 0.2);

  for (int L : {16, 32}) {
    const spins::IsingLattice lat(L, 2);
    spins::Replica<spins::IsingLattice> r(lat, spins::Config(lat.size(), 1));
    mc::Wolff<spins::IsingLattice> wolff(lat, spins::onsager::critical_temperature);
    Stream rng(72, static_cast<std::uint32_t>(L), 0, Purpose::dynamics);
    for (int t = 0; t < 500; ++t) wolff.thermalize_sweep(r, rng);
    std::vector<double> m(20000);
    for (auto& x : m) {
      wolff.sweep(r, rng);
      x = std::abs(static_cast<double>(r.magnetization)) / static_cast<double>(lat.size());
    }
    const auto tau = stats::integrated_autocorrelation_time(m);
    WARN("Wolff L = " << L << ": tau_int(|m|) = " << tau.tau << " +- " << tau.error << " sweeps");
    CHECK(tau.tau < 3.0);
  }
}

// Offline: the distribution of the fitted z over seeds (./build/tests/test_spins "[critical_slowing_seeds]").
TEST_CASE("critical slowing down: z over 12 seeds", "[.][critical_slowing_seeds]") {
  double sum = 0, sum2 = 0;
  int n = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed, ++n) {
    const DynamicExponent fit = metropolis_exponent(1000 + seed, kUnits);
    std::ostringstream taus;
    for (std::size_t k = 0; k < kSizes.size(); ++k) taus << " " << fit.tau[k] << " +- " << fit.tau_err[k] << ";";
    WARN("seed " << 1000 + seed << ": z = " << fit.z << " +- " << fit.z_err << ", with L^-2: " << fit.z_corr << " +- "
                 << fit.z_corr_err << "; tau:" << taus.str());
    sum += fit.z, sum2 += fit.z * fit.z;
    CHECK(std::abs(fit.z - 2.17) < 0.2);
  }
  WARN("z over " << n << " seeds: mean " << sum / n << ", sd " << std::sqrt((sum2 - sum * sum / n) / (n - 1)));
}
