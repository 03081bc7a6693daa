// 2-D Ising at L = 64: the energy against the exact value of the 64 x 64 torus (Kaufman; Ferdinand & Fisher), which
// also shows that Onsager's infinite-lattice value is as close; the magnetisation against Yang's spontaneous value.
#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/mc/checkerboard_ising2d.hpp"
#include "spindiff/spins/ising_exact.hpp"
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
  // The errors are bounded so that a useless error bar cannot make the comparisons pass.
  REQUIRE(low.energy.error < 0.001);
  REQUIRE(high.energy.error < 0.001);
  REQUIRE(low.abs_magnetization.error < 0.0015);
  const double exact_low = spins::ising_exact::torus(64, 2.0).energy,
               exact_high = spins::ising_exact::torus(64, 3.0).energy;
  CHECK(std::abs(low.energy.value - exact_low) < 4 * low.energy.error);
  CHECK(std::abs(high.energy.value - exact_high) < 4 * high.energy.error);
  // Away from T_c the correlation length is a few spacings: the torus and the infinite lattice agree far below
  // these errors, so Yang's infinite-lattice |M| is the reference at L = 64 too.
  CHECK(std::abs(exact_low - spins::onsager::energy(2.0)) < 1e-6);
  CHECK(std::abs(exact_high - spins::onsager::energy(3.0)) < 1e-6);
  CHECK(std::abs(low.abs_magnetization.value - spins::onsager::magnetization(2.0)) < 4 * low.abs_magnetization.error);
  CHECK(low.converged);
  CHECK(high.converged);
}
