#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/langevin/normal.hpp"

using spindiff::Stream;
using spindiff::StreamId;

TEST_CASE("ziggurat normals: moments, tails and Kolmogorov-Smirnov against N(0,1)", "[langevin][rng]") {
  Stream rng(StreamId{2024, 0, 0, 3, 0});
  const std::size_t n = 1000000;
  std::vector<double> z(n);
  // Odd chunk sizes exercise the chunk boundaries and the scalar remainder loop.
  for (std::size_t first = 0; first < n;) {
    const std::size_t m = std::min<std::size_t>(n - first, 1 + (first % 997));
    spindiff::langevin::fill_standard_normal(rng, std::span<double>(z.data() + first, m));
    first += m;
  }
  double s1 = 0, s2 = 0, s4 = 0;
  std::size_t beyond_r = 0, beyond_1 = 0;
  const double r = spindiff::langevin::ziggurat_tail_start();
  for (double v : z) {
    s1 += v;
    s2 += v * v;
    s4 += v * v * v * v;
    beyond_r += std::abs(v) > r;
    beyond_1 += std::abs(v) > 1.0;
  }
  const double dn = static_cast<double>(n);
  CHECK(std::abs(s1 / dn) < 4.0 / std::sqrt(dn));               // var(mean) = 1/n
  CHECK(std::abs(s2 / dn - 1.0) < 4.0 * std::sqrt(2.0 / dn));   // var(z^2) = 2
  CHECK(std::abs(s4 / dn - 3.0) < 4.0 * std::sqrt(96.0 / dn));  // var(z^4) = 105 - 9
  // Tail beyond the ziggurat edge r ~ 3.65 (the special tail sampler) and the bulk |z| > 1.
  const double p_r = std::erfc(r / std::sqrt(2.0)), p_1 = std::erfc(1.0 / std::sqrt(2.0));
  CHECK(std::abs(beyond_r - dn * p_r) < 4.0 * std::sqrt(dn * p_r * (1 - p_r)));
  CHECK(std::abs(beyond_1 - dn * p_1) < 4.0 * std::sqrt(dn * p_1 * (1 - p_1)));
  // Kolmogorov-Smirnov: P(sqrt(n) D > 1.95) ~ 0.001.
  std::sort(z.begin(), z.end());
  const boost::math::normal_distribution<> phi;
  double d = 0.0;
  for (std::size_t i = 0; i < n; i += 1) {
    const double f = boost::math::cdf(phi, z[i]);
    d = std::max({d, f - static_cast<double>(i) / dn, static_cast<double>(i + 1) / dn - f});
  }
  CHECK(std::sqrt(dn) * d < 1.95);
}

TEST_CASE("ziggurat normals are reproducible from the stream name", "[langevin][rng]") {
  Stream a(StreamId{1, 2, 3, 3, 4}), b(StreamId{1, 2, 3, 3, 4});
  std::vector<double> x(3000), y(3000);
  spindiff::langevin::fill_standard_normal(a, x);
  spindiff::langevin::fill_standard_normal(b, y);
  CHECK(x == y);
}
