// hopfield.capacity writes the AGS overlap only where that theory holds (Hebb rule, unbiased patterns).
#include <catch2/catch.hpp>
#include <cmath>

#include "bridge/kind_runner.hpp"

namespace {
double overlap_theory(const spindiff::test::KindRun& r) {
  for (const auto& [name, value] : r.output.attributes())
    if (name == "overlap_theory") return std::get<double>(value);
  return -1.0;
}
}  // namespace

TEST_CASE("hopfield.capacity: overlap_theory is NaN for biased patterns", "[hopfield][kind]") {
  using spindiff::runner::Value;
  const auto unbiased = spindiff::test::run_kind("hopfield.capacity", {{"N", std::int64_t{200}}, {"alpha", 0.05}});
  const auto biased =
      spindiff::test::run_kind("hopfield.capacity", {{"N", std::int64_t{200}}, {"alpha", 0.05}, {"bias", 0.3}});
  CHECK(std::abs(overlap_theory(unbiased) - 1.0) < 1e-3);  // AGS at alpha = 0.05: m = 0.99998...
  CHECK(std::isnan(overlap_theory(biased)));
}
