// bridge.generalization: two networks trained on disjoint sets of P digits copy their own training digits at
// small P and produce the same digit from the same noise at large P (Kadkhodaie et al. 2024).
#include <catch2/catch.hpp>
#include <cmath>

#include "bridge/kind_runner.hpp"

TEST_CASE("bridge.generalization: cross-similarity rises and copying falls as P grows", "[digits][physics]") {
  auto run = [](std::int64_t P) {
    return spindiff::test::run_kind("bridge.generalization",
                                    {{"P", P}, {"train_steps", std::int64_t{3000}}, {"samples", std::int64_t{200}}}, 3);
  };
  const auto small = run(8), large = run(256);
  const double se_cross = std::hypot(small.scalar("cross_similarity_err"), large.scalar("cross_similarity_err"));
  const double se_copy = std::hypot(small.scalar("copy_fraction_err"), large.scalar("copy_fraction_err"));
  // The errors are standard errors over 200 noises (copy fraction: over 400 outputs), bounded so a useless
  // error bar cannot make the comparison pass.
  REQUIRE(se_cross < 0.05);
  REQUIRE(se_copy < 0.05);
  CHECK(large.scalar("cross_similarity") - small.scalar("cross_similarity") > 4 * se_cross);
  CHECK(small.scalar("copy_fraction") - large.scalar("copy_fraction") > 4 * se_copy);
}
