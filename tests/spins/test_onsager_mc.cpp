// 2-D Ising at L = 64 against Onsager (energy) and Yang (spontaneous magnetisation).
#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/mc/checkerboard_ising2d.hpp"
#include "spindiff/spins/onsager.hpp"
#include "spindiff/stats/thermo.hpp"

using namespace spindiff;

namespace {

stats::ThermoEstimates run(double T, std::uint32_t task) {
  const int L = 64, sweeps = 20000;
  Stream rng(31, task, 0, Purpose::dynamics);
  mc::CheckerboardIsing2D sim(L, 1.0, 0.0, T, mc::Rule::metropolis, rng);
  const double n = static_cast<double>(sim.size());
  for (int t = 0; t < 2000; ++t) sim.sweep();
  stats::ThermoSeries series(sim.size(), T, sweeps);
  for (int t = 0; t < sweeps; ++t) {
    sim.sweep();
    series.add(sim.energy() / n, static_cast<double>(sim.magnetization()) / n);
  }
  return series.estimates();
}

}  // namespace

TEST_CASE("Onsager at L = 64: energy at T = 2.0 and 3.0, |M| at T = 2.0", "[spins][mc][physics]") {
  const auto low = run(2.0, 0), high = run(3.0, 1);
  INFO("T=2: e = " << low.energy.value << " +- " << low.energy.error << ", |m| = " << low.abs_magnetization.value
                   << " +- " << low.abs_magnetization.error << "; T=3: e = " << high.energy.value << " +- "
                   << high.energy.error);
  // The statistical errors must be well inside the tolerances for the check to mean something.
  REQUIRE(low.energy.error < 0.001);
  REQUIRE(high.energy.error < 0.001);
  REQUIRE(low.abs_magnetization.error < 0.0015);
  CHECK(std::abs(low.energy.value - spins::onsager::energy(2.0)) < 0.003);
  CHECK(std::abs(high.energy.value - spins::onsager::energy(3.0)) < 0.003);
  CHECK(std::abs(low.abs_magnetization.value - spins::onsager::magnetization(2.0)) < 0.005);
  CHECK(low.converged);
  CHECK(high.converged);
}
