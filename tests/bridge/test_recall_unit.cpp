// Cues, overlaps and the cue-matching diffusion time.
#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/bridge/recall.hpp"

using namespace spindiff::bridge;
using spindiff::Purpose;
using spindiff::Stream;

TEST_CASE("noisy cue flips exactly round(noise N) entries", "[recall]") {
  std::vector<std::int8_t> p(101, 1);
  Stream rng(1, 0, 0, Purpose::cue);
  for (double q : {0.0, 0.1, 0.25, 1.0}) {
    const auto cue = noisy_cue(p, q, rng);
    long flipped = 0;
    for (auto c : cue) flipped += c < 0;
    CHECK(flipped == std::lround(q * 101));
  }
}

TEST_CASE("flipped sites are uniform", "[recall]") {
  // Each of N sites is flipped with probability k/N; over R cues a site's count is Binomial(R, k/N).
  const std::size_t N = 20, R = 4000;
  std::vector<std::int8_t> p(N, 1);
  std::vector<double> count(N, 0.0);
  Stream rng(2, 0, 0, Purpose::cue);
  for (std::size_t r = 0; r < R; ++r) {
    const auto cue = noisy_cue(p, 0.25, rng);
    for (std::size_t i = 0; i < N; ++i) count[i] += cue[i] < 0;
  }
  double chi2 = 0;
  const double expected = R * 5.0 / N;
  for (double c : count) chi2 += (c - expected) * (c - expected) / (expected * (1 - 5.0 / N));
  CHECK(chi2 < 43.8);  // chi-square quantile 0.999 at 19 degrees of freedom (sum of counts is fixed)
}

TEST_CASE("sign overlap and cue time", "[recall]") {
  const std::vector<std::int8_t> p{1, -1, 1, -1};
  Eigen::RowVectorXd x(4);
  x << 0.3, -2.0, -0.1, 0.0;
  CHECK(sign_overlap(p, x) == Approx(0.0));
  CHECK(cue_time(0.0) == 0.0);
  CHECK(std::exp(-cue_time(0.2)) == Approx(0.6));
  CHECK_THROWS(cue_time(0.5));
}
