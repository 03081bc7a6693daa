// One stored pattern = Mattis magnet = Curie-Weiss: m = tanh(m/T); m(0.8) = 0.710412.
#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/mc/single_spin.hpp"
#include "spindiff/spins/patterns.hpp"
#include "spindiff/stats/binning.hpp"

using namespace spindiff;
using namespace spindiff::spins;

TEST_CASE("Curie-Weiss: Hopfield with one pattern, N = 10000, m(T = 0.8) = 0.7104 +- 0.01", "[spins][mc][physics]") {
  const std::size_t N = 10000;
  Stream pr(41, 0, 0, Purpose::patterns);
  const Patterns p = hopfield::random_patterns(N, 1, 0.0, pr);
  const PatternCouplings model(p);
  Replica<PatternCouplings> r(model, p.pattern(0));
  mc::SingleSpinUpdater<PatternCouplings> up(model, 0.8, mc::Rule::metropolis, mc::Order::random);
  Stream rng(41, 0, 0, Purpose::dynamics);
  for (int t = 0; t < 300; ++t) up.sweep(r, rng);
  stats::BinningAccumulator m;
  for (int t = 0; t < 3000; ++t) {
    up.sweep(r, rng);
    m.add(r.cache[0] / static_cast<double>(N));  // the cache holds the overlap sum
  }
  INFO("m = " << m.mean() << " +- " << m.error());
  REQUIRE(m.error() < 0.003);
  CHECK(std::abs(m.mean() - 0.7104) < 0.01);
}
