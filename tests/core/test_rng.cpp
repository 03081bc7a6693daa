#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "spindiff/core/rng.hpp"

using spindiff::Purpose;
using spindiff::Stream;

TEST_CASE("streams are reproducible and distinct by name", "[rng]") {
  Stream a(42, 3, 0, Purpose::dynamics), b(42, 3, 0, Purpose::dynamics);
  Stream c(42, 3, 1, Purpose::dynamics), d(43, 3, 0, Purpose::dynamics), e(42, 3, 0, Purpose::init);
  int same_c = 0, same_d = 0, same_e = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a();
    REQUIRE(x == b());
    same_c += (x == c());
    same_d += (x == d());
    same_e += (x == e());
  }
  // A 32-bit coincidence has probability 2^-32 per draw.
  CHECK(same_c <= 1);
  CHECK(same_d <= 1);
  CHECK(same_e <= 1);
}

TEST_CASE("uniform and normal moments match within 5 standard errors", "[rng]") {
  Stream s(7, 0, 0, Purpose::user);
  const int n = 400000;
  double su = 0, su2 = 0, sn = 0, sn2 = 0, sn4 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = s.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    su += u;
    su2 += u * u;
    const double z = s.normal();
    sn += z;
    sn2 += z * z;
    sn4 += z * z * z * z;
  }
  // Var(u) = 1/12, Var(u^2) = 4/45; Var(z) = 1, Var(z^2) = 2, Var(z^4) = 96.
  CHECK(std::abs(su / n - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
  CHECK(std::abs(su2 / n - 1.0 / 3) < 5 * std::sqrt(4.0 / 45 / n));
  CHECK(std::abs(sn / n) < 5 * std::sqrt(1.0 / n));
  CHECK(std::abs(sn2 / n - 1.0) < 5 * std::sqrt(2.0 / n));
  CHECK(std::abs(sn4 / n - 3.0) < 5 * std::sqrt(96.0 / n));
}

TEST_CASE("below(n) is uniform on 0..n-1 (chi-square)", "[rng]") {
  Stream s(11, 0, 0, Purpose::user);
  const int n = 7, draws = 700000;
  std::vector<int> count(n, 0);
  for (int i = 0; i < draws; ++i) ++count[s.below(n)];
  double chi2 = 0;
  for (int c : count) chi2 += (c - draws / double(n)) * (c - draws / double(n)) / (draws / double(n));
  // 6 degrees of freedom: P(chi2 > 22.46) = 0.001.
  CHECK(chi2 < 22.46);
}

TEST_CASE("shuffle gives the permutation and stream position of one draw at a time", "[rng]") {
  for (const std::size_t n : {0u, 1u, 2u, 3u, 255u, 256u, 257u, 258u, 1000u, 5000u}) {
    for (int skip = 0; skip < 4; ++skip) {  // start inside a Philox block
      Stream a(5, static_cast<std::uint32_t>(n), 0, Purpose::dynamics), b = a;
      for (int k = 0; k < skip; ++k) REQUIRE(a() == b());
      std::vector<std::uint32_t> va(n), vb(n);
      for (std::size_t i = 0; i < n; ++i) va[i] = vb[i] = static_cast<std::uint32_t>(i);
      a.shuffle(std::span<std::uint32_t>(va));
      for (std::size_t i = n; i > 1; --i) std::swap(vb[i - 1], vb[b.below(static_cast<std::uint32_t>(i))]);
      REQUIRE(va == vb);
      REQUIRE(a() == b());
    }
  }
}
