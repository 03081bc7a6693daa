// Critical slowing down at T_c: tau_int of the magnetisation m of checkerboard Metropolis grows like L^z with
// z = 2.17 +- 0.2 over L = 8 ... 32 (docs/references.md: z ~ 2.17, Nightingale & Blote 1996);
// Wolff's tau stays below a few sweeps.
//
// Estimator. m is odd under the global spin flip, so it overlaps the slowest (odd) relaxation mode, whose time
// scales with the dynamic exponent; its autocorrelation is nearly one exponential (rho(tau_int) ~ 0.37 = 1/e at
// every L here), so Sokal's window (W >= 6 tau) misses ~ e^-6 of it. (Even observables are faster and have a
// smaller effective z at these L: ~ 1.9 for |m|, ~ 1.4 for the energy.) For each L, 32 independent replicas
// (CheckerboardIsing2DReplicas, one per byte lane: 0.7 ... 1.8 flips/ns at L = 8 ... 32, 4-5x the single-replica
// kernel) run ~ 1000 tau each; m is recorded every ~ tau/100 sweeps (tau changes by < 0.1% against sampling
// every sweep). The lagged covariances are taken about the exact mean <m> = 0 (spin-flip symmetry: no bias from
// a sample mean) and summed over the replicas; tau(L) from their pooled rho. z is the least-squares slope of
// ln tau against ln L (the design gives every L about the same relative error); its error is the jackknife over
// the 32 independent replicas (leave one out at every L, refit), which needs no model of the error of tau.
//
// Tolerances. The test requires z_err <= 0.05, so that the +- 0.2 window is at least 4 standard errors; with
// ~ 30000 tau per L, z_err comes out ~ 0.02. Corrections to scaling are real at these L: over 24 seeds
// (scripts/critical_slowing_seeds.sh) z = 2.057 with sd 0.020 (range 2.023 ... 2.103; the jackknife errors, 0.020
// on average, agree with that spread), i.e. the effective exponent over L = 8 ... 32 is 0.11 below the asymptotic
// 2.17. The local slopes between neighbouring sizes rise with L (1.97, 2.06, 2.09, 2.12, each +- 0.02), and a fit
// with an extra L^-2 term gives 2.13 (sd 0.06 per seed). The assertion is |z - 2.17| < 0.2 as
// written, not widened; the seed mean lies 4.5 sd inside it. This test's seed (71) gives 2.020 +- 0.019, in the low
// tail of that distribution and 0.05 inside the tolerance. Runtime 35 ... 45 s on one (shared) core.
// docs/theory/monte-carlo.md records all of this.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "bridge/kind_runner.hpp"
#include "dynamic_exponent.hpp"
#include "spindiff/mc/wolff.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/onsager.hpp"
#include "spindiff/stats/autocorrelation.hpp"

using namespace spindiff;

TEST_CASE("critical slowing down: Metropolis z = 2.17 +- 0.2 over L = 8..32, Wolff tau of a few sweeps",
          "[spins][physics]") {
  const test::DynamicExponent fit = test::metropolis_exponent(71, test::kUnits);
  for (std::size_t k = 0; k < test::kSizes.size(); ++k)
    WARN("Metropolis L = " << test::kSizes[k] << ": tau_int(m) = " << fit.tau[k] << " +- " << fit.tau_err[k]
                           << " sweeps");
  WARN("fitted z = " << fit.z << " +- " << fit.z_err);
  REQUIRE(fit.z_err <= 0.05);  // else +- 0.2 would be less than 4 standard errors
  CHECK(std::abs(fit.z - 2.17) < 0.2);

  // The ising.thermo kind's tau_magnetization (one chain per repeat on the kind's own kernel, the same
  // estimator, mean and standard error over 8 repeats of ~ 900 tau) against the replica kernel's at L = 16.
  {
    const std::size_t k16 = 2;
    REQUIRE(test::kSizes[k16] == 16);
    const auto kind = test::run_kind("ising.thermo",
                                     {{"L", std::int64_t{16}},
                                      {"T", spins::onsager::critical_temperature},
                                      {"sweeps", std::int64_t{250000}},
                                      {"thermalize", std::int64_t{10000}}},
                                     73, 8);
    const double tau = kind.scalar("tau_magnetization"), err = kind.scalar("tau_magnetization_err");
    const double combined = std::hypot(err, fit.tau_err[k16]);
    INFO("kind tau_magnetization = " << tau << " +- " << err << ", replica kernel " << fit.tau[k16] << " +- "
                                     << fit.tau_err[k16]);
    CHECK(err < 0.1 * tau);
    CHECK(std::abs(tau - fit.tau[k16]) < 4 * combined);
    // tau of the energy is much shorter (an even observable) but positive and finite.
    CHECK(kind.scalar("tau_energy") > 0.5);
    CHECK(kind.scalar("tau_energy") < 0.2 * tau);
  }

  for (int L : {16, 32}) {
    const spins::IsingLattice lat(L, 2);
    spins::Replica<spins::IsingLattice> r(lat, spins::Config(lat.size(), 1));
    mc::Wolff<spins::IsingLattice> wolff(lat, spins::onsager::critical_temperature);
    Stream rng(72, static_cast<std::uint32_t>(L), 0, Purpose::dynamics);
    for (int t = 0; t < 500; ++t) wolff.thermalize_sweep(r, rng);
    std::vector<double> m(20000);
    for (auto& x : m) {
      wolff.sweep(r, rng);
      x = std::abs(static_cast<double>(r.magnetization)) / static_cast<double>(lat.size());
    }
    const auto tau = stats::integrated_autocorrelation_time(m);
    WARN("Wolff L = " << L << ": tau_int(|m|) = " << tau.tau << " +- " << tau.error << " sweeps");
    CHECK(tau.tau < 3.0);
  }
}
