// The binning plateau flag on stationary data: its false-alarm rate, measured over many independent series.
#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/core/rng.hpp"
#include "spindiff/stats/binning.hpp"

using namespace spindiff;

TEST_CASE("binning plateau flag: false alarms on independent data below 0.1 %", "[stats]") {
  const int series = 20000;
  const int length = 4096;
  int false_alarms = 0;
  for (int s = 0; s < series; ++s) {
    Stream rng(7, static_cast<std::uint32_t>(s), 0, Purpose::user);
    stats::BinningAccumulator acc;
    for (int i = 0; i < length; ++i) acc.add(rng.normal());
    false_alarms += acc.converged() ? 0 : 1;
  }
  const double rate = static_cast<double>(false_alarms) / series;
  // 0.1 % of 20000 is 20 expected at the limit; the count is Poisson, so a true rate of 0.1 % gives
  // more than 20 + 4 sqrt(20) = 38 with probability below 1e-4.
  INFO("false alarms " << false_alarms << " of " << series << " (" << 100 * rate << " %)");
  CHECK(false_alarms <= 38);
}
