#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/core/rng.hpp"
#include "spindiff/stats/autocorrelation.hpp"
#include "spindiff/stats/binning.hpp"
#include "spindiff/stats/histogram.hpp"
#include "spindiff/stats/jackknife.hpp"
#include "spindiff/stats/mean_error.hpp"

using namespace spindiff;

namespace {
// AR(1): x_t = rho x_{t-1} + sqrt(1 - rho^2) z_t, unit variance, tau_int = (1 + rho) / (2 (1 - rho)).
std::vector<double> ar1(double rho, std::size_t n, Stream& rng) {
  std::vector<double> x(n);
  double v = rng.normal();
  for (auto& y : x) y = v = rho * v + std::sqrt(1 - rho * rho) * rng.normal();
  return x;
}
}  // namespace

TEST_CASE("binning recovers tau_int and the error of AR(1) series", "[stats]") {
  Stream rng(1, 0, 0, Purpose::user);
  const double rho = 0.9, tau = (1 + rho) / (2 * (1 - rho));  // 9.5
  const std::size_t n = 1 << 20;
  stats::BinningAccumulator acc;
  for (double x : ar1(rho, n, rng)) acc.add(x);
  const double true_err = std::sqrt(2 * tau / n);
  // Top level has >= 32 bins: the error estimate itself scatters by ~1/sqrt(2 * 32) = 12.5%; allow 4 of them.
  CHECK(acc.error() == Approx(true_err).epsilon(0.5));
  CHECK(acc.tau_int() == Approx(tau).epsilon(0.8));
  CHECK(std::abs(acc.mean()) < 4 * true_err);
  CHECK(acc.converged());
}

TEST_CASE("binning flags a series much shorter than its correlation time", "[stats]") {
  Stream rng(2, 0, 0, Purpose::user);
  stats::BinningAccumulator acc;
  for (double x : ar1(0.999, 4000, rng)) acc.add(x);  // tau ~ 1000, n = 4 tau
  CHECK_FALSE(acc.converged());
}

TEST_CASE("conservative binning error of an AR(1) mean matches the exact asymptotic error", "[stats]") {
  Stream rng(11, 0, 0, Purpose::user);
  const double phi = 0.9;
  const std::size_t n = 1 << 20;
  const auto x = ar1(phi, n, rng);
  stats::BinningAccumulator acc;
  for (double v : x) acc.add(v);
  // Var(mean) -> (1 + phi) / ((1 - phi) n): inefficiency 2 tau_int = 19.
  const double exact = std::sqrt((1 + phi) / ((1 - phi) * n));
  // The plateau estimate from >= 32 blocks has relative scatter ~ 1/sqrt(2 * 32) = 12.5%; the max over
  // levels leans high. Accept within 30% (> 2 sigma both ways).
  CHECK(acc.max_error() == Approx(exact).epsilon(0.3));
  CHECK(std::abs(acc.mean()) < 4 * exact);
  CHECK(acc.count() == static_cast<std::uint64_t>(n));
}

TEST_CASE("autocorrelation of several AR(1) series decays as phi^t", "[stats]") {
  const double phi = 0.8;
  std::vector<std::vector<double>> series;
  for (int k = 0; k < 8; ++k) {
    Stream rng(100 + k, 0, 0, Purpose::user);
    series.push_back(ar1(phi, 1 << 16, rng));
  }
  const auto rho = stats::autocorrelation(std::span<const std::vector<double>>(series), 20);
  REQUIRE(rho.size() == 21);
  CHECK(rho[0] == Approx(1.0));
  // Bartlett: sd of rho(t) ~ sqrt((1 + phi^2)/(1 - phi^2) / N) = 0.0028 for N = 2^19.
  for (int t = 1; t <= 10; ++t) CHECK(rho[t] == Approx(std::pow(phi, t)).margin(0.012));
  // tau_int = (1 + phi) / (2 (1 - phi)) = 4.5
  CHECK(stats::sokal_window(stats::autocorrelation(std::span<const std::vector<double>>(series), 200), 5.0).tau ==
        Approx(4.5).epsilon(0.1));
}

TEST_CASE("autocovariance about a given mean matches the direct sum", "[stats]") {
  const std::vector<double> x = {1.0, -2.0, 0.5, 3.0, -1.5, 0.25, 2.0};
  const double mean = 0.3;
  const auto c = stats::autocovariance(x, mean, 10);
  REQUIRE(c.size() == x.size());  // lags up to n - 1
  for (std::size_t t = 0; t < x.size(); ++t) {
    double direct = 0;
    for (std::size_t i = 0; i + t < x.size(); ++i) direct += (x[i] - mean) * (x[i + t] - mean);
    CHECK(c[t] == Approx(direct / static_cast<double>(x.size() - t)).margin(1e-12));
  }
  // About the sample mean it is the unnormalised autocorrelation.
  double m = 0;
  for (double v : x) m += v / static_cast<double>(x.size());
  const auto c_sample = stats::autocovariance(x, m, 3);
  const auto rho = stats::autocorrelation(x, 3);
  for (std::size_t t = 0; t <= 3; ++t) CHECK(c_sample[t] / c_sample[0] == Approx(rho[t]).margin(1e-12));
}

TEST_CASE("windowed autocorrelation time of AR(1)", "[stats]") {
  Stream rng(3, 0, 0, Purpose::user);
  const double rho = 0.8, tau = (1 + rho) / (2 * (1 - rho));  // 4.5
  const auto r = stats::integrated_autocorrelation_time(ar1(rho, 200000, rng));
  CHECK(r.reliable);
  CHECK(std::abs(r.tau - tau) < 4 * r.error);
}

TEST_CASE("pooled autocorrelation time about the exact mean: AR(1) tau with jackknife and Madras-Sokal errors",
          "[stats]") {
  Stream rng(4, 0, 0, Purpose::user);
  const double rho = 0.9, tau = (1 + rho) / (2 * (1 - rho));  // 9.5; the AR(1) mean is exactly 0
  stats::PooledAutocovariance pooled(2000);
  for (int r = 0; r < 16; ++r) pooled.add(ar1(rho, 20000, rng), 0.0);
  const auto t = pooled.time(6.0);
  INFO("pooled tau = " << t.tau << " +- " << t.error << " (jackknife over 16 series)");
  CHECK(t.reliable);
  CHECK(t.error < 0.05 * tau);  // ~ 2 % expected from Madras-Sokal over 320000 samples
  CHECK(std::abs(t.tau - tau) < 4 * t.error);
  // One series: the Madras-Sokal error, which the jackknife must agree with in size (within a factor 2).
  stats::PooledAutocovariance one(2000);
  one.add(ar1(rho, 320000, rng), 0.0);
  const auto u = one.time(6.0);
  INFO("single series tau = " << u.tau << " +- " << u.error << " (Madras-Sokal)");
  CHECK(std::abs(u.tau - tau) < 4 * u.error);
  CHECK(u.error < 2 * t.error);
  CHECK(t.error < 2 * u.error);
  // Leaving one of 16 series out changes tau by about its jackknife error / sqrt(15), not more than 4 x that.
  CHECK(std::abs(pooled.tau_without(0) - t.tau) < 4 * t.error / std::sqrt(15.0));
}

TEST_CASE("jackknife error of a variance matches the known sampling error", "[stats]") {
  Stream rng(4, 0, 0, Purpose::user);
  const std::size_t n = 200000;
  stats::BlockMeans<2> blocks(n, 100);
  for (std::size_t i = 0; i < n; ++i) {
    const double z = rng.normal();
    blocks.add({z, z * z});
  }
  const auto est = stats::jackknife(blocks.blocks(), [](const auto& m) { return m[1] - m[0] * m[0]; });
  // Var of the sample variance of N(0,1): 2/n. The jackknife error scatters by ~1/sqrt(2 * 99).
  CHECK(est.error == Approx(std::sqrt(2.0 / n)).epsilon(0.35));
  CHECK(std::abs(est.value - 1.0) < 4 * std::sqrt(2.0 / n));
}

TEST_CASE("histogram counts and edges", "[stats]") {
  stats::Histogram h(4, 0.0, 1.0);
  for (double x : {-0.5, 0.1, 0.3, 0.35, 0.9, 1.5, 0.99}) h.fill(x);
  CHECK(h.counts() == std::vector<std::int64_t>{1, 2, 0, 2});
  CHECK(h.edges().size() == 5);
  CHECK(h.edges()[2] == Approx(0.5));
  CHECK(h.underflow() == 1);
  CHECK(h.overflow() == 1);
}

TEST_CASE("mean and standard error of independent values", "[stats]") {
  // {1, 2, 3, 4}: mean 5/2, unbiased variance 5/3, standard error sqrt(5/3 / 4).
  const std::vector<double> x = {1, 2, 3, 4};
  const auto m = stats::mean_error(x);
  CHECK(m.count == 4);
  CHECK(m.mean == Approx(2.5));
  CHECK(m.error == Approx(std::sqrt(5.0 / 12.0)));
  // Far from zero the two-pass sum keeps the spread: {1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4} has the same error.
  const std::vector<double> shifted = {1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4};
  CHECK(stats::mean_error(shifted).error == Approx(std::sqrt(5.0 / 12.0)));
  const std::vector<double> one = {7.0};
  CHECK(stats::mean_error(one).mean == 7.0);
  CHECK(stats::mean_error(one).error == 0.0);
  CHECK(std::isnan(stats::mean_error(std::vector<double>{}).mean));
}

TEST_CASE("standard error of the mean covers the true mean at the normal rate", "[stats]") {
  // 2000 sets of 10 N(0, 1) draws: |mean| < 2 SE should hold with the Student-t(9) probability 0.9234; the
  // count is binomial with sd sqrt(2000 * 0.9234 * 0.0766) = 11.9; allow 4 sd.
  Stream rng(5, 0, 0, Purpose::user);
  int covered = 0;
  for (int s = 0; s < 2000; ++s) {
    std::vector<double> x(10);
    for (double& v : x) v = rng.normal();
    const auto m = stats::mean_error(x);
    covered += std::abs(m.mean) < 2 * m.error;
  }
  CHECK(std::abs(covered - 2000 * 0.9234) < 4 * 11.9);
}
