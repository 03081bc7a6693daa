// The finite-T AGS lines over a range of loads, from the solver itself: the spin-glass order parameter q of
// the m = 0 branch appears at T_g = 1 + sqrt(alpha), and T_M(alpha) falls from 1 (alpha -> 0) through the
// published 0.80 / 0.54 / 0.32 (alpha = 0.01 / 0.05 / 0.10) to 0 at alpha_c.
#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/hopfield/ags.hpp"

namespace ags = spindiff::hopfield::ags;

TEST_CASE("AGS finite T: q of the m = 0 branch appears at T_g = 1 + sqrt(alpha)", "[hopfield][theory]") {
  const ags::GaussHermite gh;
  for (double alpha : {0.02, 0.05, 0.1, 0.2, 0.5}) {
    const double Tg = 1 + std::sqrt(alpha);
    INFO("alpha = " << alpha);
    const ags::Solution above = ags::solve(alpha, 1.03 * Tg, 0.0, 1.0, gh);
    const ags::Solution below = ags::solve(alpha, 0.97 * Tg, 0.0, 1.0, gh);
    CHECK(std::abs(above.m) < 1e-8);
    CHECK(above.q < 1e-3);  // the paramagnet
    CHECK(std::abs(below.m) < 1e-8);
    CHECK(below.q > 0.01);  // spin-glass order
  }
}

TEST_CASE("AGS finite T: T_M(alpha) from 1 to 0 through the published points", "[hopfield][theory]") {
  double previous = 1.0;
  for (double alpha : {0.001, 0.01, 0.03, 0.05, 0.07, 0.1, 0.12, 0.13}) {
    const double TM = ags::retrieval_temperature(alpha);
    INFO("alpha = " << alpha << ": T_M = " << TM);
    CHECK(TM < previous);              // retrieval shrinks with load
    CHECK(TM < 1 + std::sqrt(alpha));  // inside the spin-glass line
    // Just below T_M the retrieval state exists with a finite overlap; above it only m = 0 is left.
    CHECK(ags::solve(alpha, 0.98 * TM).m > 0.3);
    CHECK(std::abs(ags::solve(alpha, 1.02 * TM).m) < 0.05);
    previous = TM;
  }
  CHECK(ags::retrieval_temperature(0.001) > 0.9);
  CHECK(std::abs(ags::retrieval_temperature(0.01) - 0.80) < 0.006);  // published to two decimals
  CHECK(std::abs(ags::retrieval_temperature(0.05) - 0.54) < 0.006);
  CHECK(std::abs(ags::retrieval_temperature(0.10) - 0.32) < 0.006);
  CHECK(ags::retrieval_temperature(0.14) == 0.0);  // beyond alpha_c = 0.13791
}
