#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/langevin/batch_stream.hpp"
#include "spindiff/langevin/normal.hpp"

using spindiff::Stream;
using spindiff::StreamId;
using spindiff::langevin::BatchStream;

TEST_CASE("BatchStream reproduces Stream's sequence exactly", "[langevin][rng]") {
  for (std::uint64_t sub : {0ull, 7ull, (1ull << 40) + 3}) {
    const StreamId id{12345, 6, 2, 3, sub};
    Stream s(id);
    BatchStream b(id);
    for (int i = 0; i < 1001; ++i) REQUIRE(s() == b());  // odd count: u64 draws below straddle buffers
    for (int i = 0; i < 3000; ++i) REQUIRE(s.next_u64() == b.next_u64());
    for (int i = 0; i < 1000; ++i) REQUIRE(s.uniform() == b.uniform());
    std::vector<std::uint64_t> bulk(5000);
    b.fill_u64(bulk.data(), bulk.size());
    for (std::uint64_t w : bulk) REQUIRE(s.next_u64() == w);
  }
  // A substream of a Stream is the same as a BatchStream built from it.
  const Stream root(9, 1, 0, spindiff::Purpose::dynamics);
  Stream s = root.substream(5);
  BatchStream b(root.substream(5));
  for (int i = 0; i < 100; ++i) REQUIRE(s() == b());
}

TEST_CASE("ziggurat normals: moments, tails and Kolmogorov-Smirnov against N(0,1)", "[langevin][rng]") {
  BatchStream rng(StreamId{2024, 0, 0, 3, 0});
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
  BatchStream a(StreamId{1, 2, 3, 3, 4}), b(StreamId{1, 2, 3, 3, 4});
  std::vector<double> x(3000), y(3000);
  spindiff::langevin::fill_standard_normal(a, x);
  spindiff::langevin::fill_standard_normal(b, y);
  CHECK(x == y);
}
