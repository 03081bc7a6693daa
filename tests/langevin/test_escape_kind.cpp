// langevin.escape as a kind: the measured mean first-passage time against the exact quadrature, and diverging
// trajectories counted instead of passing as arrivals or censorings.
#include <catch2/catch.hpp>
#include <cmath>

#include "bridge/kind_runner.hpp"
#include "spindiff/langevin/first_passage.hpp"

namespace sl = spindiff::langevin;
using spindiff::Purpose;
using spindiff::Stream;

TEST_CASE("langevin.escape: double-well MFPT at T = 0.25 against the exact 14.28", "[langevin][kind]") {
  const auto r = spindiff::test::run_kind(
      "langevin.escape", {{"T", 0.25}, {"dt", 2e-3}, {"particles", std::int64_t{4000}}, {"threads", std::int64_t{2}}});
  const double mfpt = r.scalar("mfpt"), err = r.scalar("mfpt_err"), exact = r.scalar("mfpt_exact");
  INFO("mfpt " << mfpt << " +- " << err << ", exact " << exact);
  CHECK(std::abs(exact - 14.28) < 0.01);  // published quadrature value (four digits)
  CHECK(r.scalar("censored") == 0);
  CHECK(r.scalar("diverged") == 0);
  REQUIRE(err < 0.03 * exact);  // exponential law: SE = mean / sqrt(4000) = 1.6 %
  CHECK(std::abs(mfpt - exact) < 4 * err);
}

TEST_CASE("first passage: diverging Euler trajectories are counted, not arrivals", "[langevin]") {
  // dt x U''(x) grows without bound in the quartic well: the trajectories swing out to infinity; only a rare
  // last finite swing lands beyond the target at 1e300 (an arrival, correctly timed).
  const sl::DoubleWell well{1, 0.25, 0.5};
  sl::EscapeSettings e;
  e.dyn = {0.25, 3.0, 1.0, 1.0};
  e.particles = 100;
  e.start = -1.0;
  e.target = 1e300;
  e.max_time = 3000.0;
  const auto r = sl::first_passage_times(well, e, Stream(3, 0, 0, Purpose::dynamics));
  std::int64_t nan = 0, arrived = 0;
  for (double t : r.times) (std::isnan(t) ? nan : arrived) += 1;
  CHECK(r.censored == 0);
  CHECK(r.diverged == nan);
  CHECK(r.diverged >= 90);
  CHECK(arrived == 100 - r.diverged);
}

TEST_CASE("first passage: a step count beyond 2^53 is refused", "[langevin]") {
  const sl::DoubleWell well{1, 0.25, 0.5};
  sl::EscapeSettings e;
  e.dyn = {0.25, 1e-3, 1.0, 1.0};
  e.max_time = 1e17;
  CHECK_THROWS_AS(sl::first_passage_times(well, e, Stream(3, 0, 0, Purpose::dynamics)), std::invalid_argument);
}
