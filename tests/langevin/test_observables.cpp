#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/langevin/binning.hpp"
#include "spindiff/langevin/observables.hpp"

namespace sl = spindiff::langevin;

namespace {
// AR(1): x_t = phi x_{t-1} + sqrt(1 - phi^2) z_t, stationary N(0, 1), rho(t) = phi^t.
std::vector<double> ar1(double phi, std::size_t n, std::uint64_t seed) {
  spindiff::Stream s(seed, 0, 0, spindiff::Purpose::user);
  std::vector<double> x(n);
  double v = s.normal();
  for (auto& xi : x) xi = v = phi * v + std::sqrt(1 - phi * phi) * s.normal();
  return x;
}
}  // namespace

TEST_CASE("binning error of an AR(1) mean matches the exact asymptotic error", "[langevin][observables]") {
  const double phi = 0.9;
  const std::size_t n = 1 << 20;
  const auto x = ar1(phi, n, 11);
  sl::BinningAccumulator acc;
  for (double v : x) acc.add(v);
  // Var(mean) -> (1 + phi) / ((1 - phi) n): inefficiency 2 tau_int = 19.
  const double exact = std::sqrt((1 + phi) / ((1 - phi) * n));
  // The plateau estimate from >= 32 blocks has relative scatter ~ 1/sqrt(2 * 32) = 12.5%; the max over
  // levels leans high. Accept within 30% (> 2 sigma both ways).
  CHECK(acc.error() == Approx(exact).epsilon(0.3));
  CHECK(std::abs(acc.mean()) < 4 * exact);
  CHECK(acc.count() == static_cast<std::int64_t>(n));
}

TEST_CASE("autocorrelation of AR(1) decays as phi^t", "[langevin][observables]") {
  const double phi = 0.8;
  std::vector<std::vector<double>> series;
  for (int k = 0; k < 8; ++k) series.push_back(ar1(phi, 1 << 16, 100 + k));
  const auto rho = sl::autocorrelation(series, 20);
  REQUIRE(rho.size() == 21);
  CHECK(rho[0] == Approx(1.0));
  // Bartlett: sd of rho(t) ~ sqrt((1 + phi^2)/(1 - phi^2) / N) = 0.0028 for N = 2^19.
  for (int t = 1; t <= 10; ++t) CHECK(rho[t] == Approx(std::pow(phi, t)).margin(0.012));
  // tau_int = (1 + phi) / (2 (1 - phi)) = 4.5
  CHECK(sl::integrated_autocorrelation_time(sl::autocorrelation(series, 200)) == Approx(4.5).epsilon(0.1));
}

TEST_CASE("moments, total variation and KL", "[langevin][observables]") {
  // Values {1, 2, 3, 10}: mean 4, deviations -3, -2, -1, 6, variance 12.5.
  const double xs[] = {1, 2, 3, 10};
  double s[4] = {0, 0, 0, 0};
  for (double x : xs) {
    s[0] += x;
    s[1] += x * x;
    s[2] += x * x * x;
    s[3] += x * x * x * x;
  }
  const auto m = sl::moments_from_sums(4, s[0], s[1], s[2], s[3]);
  CHECK(m.mean == Approx(4.0));
  CHECK(m.variance == Approx(12.5));
  CHECK(m.skewness == Approx((-27 - 8 - 1 + 216) / 4.0 / std::pow(12.5, 1.5)));
  CHECK(m.excess_kurtosis == Approx((81 + 16 + 1 + 1296) / 4.0 / (12.5 * 12.5) - 3.0));
  const std::vector<double> p = {0.5, 0.3, 0.2}, q = {0.4, 0.4, 0.2};
  CHECK(sl::total_variation(p, q) == Approx(0.1));
  CHECK(sl::total_variation(p, q, 0.0, 0.1) == Approx(0.15));
  CHECK(sl::kl_divergence(p, q) == Approx(0.5 * std::log(1.25) + 0.3 * std::log(0.75)));
  CHECK(sl::kl_divergence(q, q) == 0.0);
}
