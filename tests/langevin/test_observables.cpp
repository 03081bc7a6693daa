#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "spindiff/langevin/observables.hpp"

namespace sl = spindiff::langevin;

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
