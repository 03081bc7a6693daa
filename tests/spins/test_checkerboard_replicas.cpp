// The 32-replica checkerboard Metropolis kernel: layout and observables, exact per-move acceptance (as for the
// single-replica kernel in test_checkerboard_acceptance.cpp), and equilibrium against exact enumeration.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "acceptance_helpers.hpp"
#include "mc_helpers.hpp"
#include "spindiff/mc/checkerboard_ising2d_replicas.hpp"
#include "spindiff/spins/couplings.hpp"
#include "spindiff/spins/lattice.hpp"

using namespace spindiff;
using spins::Config;

namespace {

constexpr int kR = mc::CheckerboardIsing2DReplicas::kReplicas;

Config random_config(std::size_t n, double up_fraction, Stream& rng) {
  Config s(n);
  for (auto& x : s) x = rng.uniform() < up_fraction ? 1 : -1;
  return s;
}

}  // namespace

TEST_CASE("replica checkerboard kernel: layout round trip, energy and magnetisations", "[spins]") {
  Stream rng(41, 0, 0, Purpose::dynamics), init(41, 0, 0, Purpose::init);
  for (int L : {2, 4, 6, 16}) {
    mc::CheckerboardIsing2DReplicas sim(L, 1.0, 2.5, rng);
    const spins::IsingLattice lat(L, 2);
    std::vector<Config> start;
    for (int r = 0; r < kR; ++r) {
      start.push_back(random_config(lat.size(), 0.5, init));
      sim.set_spins(r, start.back());
    }
    std::vector<std::int64_t> m(kR);
    for (int pass = 0; pass < 2; ++pass) {
      sim.magnetizations(m);
      for (int r = 0; r < kR; ++r) {
        const Config s = sim.spins(r);
        if (pass == 0) CHECK(s == start[static_cast<std::size_t>(r)]);
        CHECK(sim.energy(r) == Approx(lat.energy(s)));
        CHECK(m[static_cast<std::size_t>(r)] == spins::total_magnetization(s));
      }
      for (int t = 0; t < 3; ++t) sim.sweep();
    }
  }
  CHECK_THROWS(mc::CheckerboardIsing2DReplicas(5, 1.0, 2.0, rng));
  CHECK_THROWS(mc::CheckerboardIsing2DReplicas(4, -1.0, 2.0, rng));
  mc::CheckerboardIsing2DReplicas sim(4, 1.0, 2.0, rng);
  CHECK_THROWS(sim.spins(kR));
}

TEST_CASE("replica checkerboard kernel: replicas started alike evolve independently", "[spins]") {
  Stream rng(42, 0, 0, Purpose::dynamics);
  mc::CheckerboardIsing2DReplicas sim(16, 1.0, 3.0, rng);  // all spins up
  for (int t = 0; t < 5; ++t) sim.sweep();
  // At T = 3 five sweeps leave ~ 40% of 256 spins flipped: two equal replicas would mean shared random bytes.
  for (int r = 0; r < kR; ++r)
    for (int q = r + 1; q < kR; ++q) CHECK(sim.spins(r) != sim.spins(q));
}

TEST_CASE("replica checkerboard kernel: per-move acceptance probabilities are exact", "[spins][mc]") {
  // As in test_checkerboard_acceptance.cpp: within a sweep sublattice 0 ((x + y) even) is updated first, in the
  // starting environment, so its flips per class (s, neighbour sum) are Binomial(n, p), checked to 5 sd. At
  // T = 1.38 and 0.69, e^{-8/T} resp. e^{-4/T} < 1/256: those moves are accepted only through the tie fall-back.
  std::uint32_t task = 0;
  for (int L : {6, 8})
    for (double T : {2.5, 1.38, 0.69}) {
      Stream rng(43, task, 0, Purpose::dynamics), init(43, task++, 0, Purpose::init);
      mc::CheckerboardIsing2DReplicas sim(L, 1.0, T, rng);
      test::ClassCounts c;
      for (int n = 0; n < 1500; ++n) {
        std::vector<Config> before;
        for (int r = 0; r < kR; ++r) {
          before.push_back(random_config(static_cast<std::size_t>(L) * L, 0.8, init));
          sim.set_spins(r, before.back());
        }
        sim.sweep();
        for (int r = 0; r < kR; ++r) c.add(before[static_cast<std::size_t>(r)], sim.spins(r), L);
      }
      test::check_rates("L = " + std::to_string(L) + ", T = " + std::to_string(T), c, mc::Rule::metropolis, 1.0, 0.0,
                        T);
    }
}

TEST_CASE("replica checkerboard kernel: 4x4 periodic Ising against exact enumeration", "[spins][mc]") {
  const spins::IsingLattice lat(4, 2);
  const std::vector<double> temps = {1.8, 2.27, 3.0};
  const auto exact = mc::enumerate_exact(spins::to_dense(lat), temps);
  const int sweeps = 10000;
  for (std::size_t t = 0; t < temps.size(); ++t) {
    Stream rng(44, static_cast<std::uint32_t>(t), 0, Purpose::dynamics);
    mc::CheckerboardIsing2DReplicas sim(4, 1.0, temps[t], rng);
    for (int s = 0; s < 2000; ++s) sim.sweep();
    std::vector<std::vector<double>> e(kR, std::vector<double>(sweeps)), m = e;
    std::vector<std::int64_t> sums(kR);
    for (int s = 0; s < sweeps; ++s) {
      sim.sweep();
      sim.magnetizations(sums);
      for (int r = 0; r < kR; ++r) {
        e[r][s] = sim.energy(r) / 16;
        m[r][s] = static_cast<double>(sums[r]) / 16;
      }
    }
    // The replicas one after the other: independent stretches of one stationary process.
    stats::ThermoSeries series(16, temps[t], static_cast<std::size_t>(sweeps) * kR);
    for (int r = 0; r < kR; ++r)
      for (int s = 0; s < sweeps; ++s) series.add(e[r][s], m[r][s]);
    test::check_all("replica kernel T=" + std::to_string(temps[t]), series.estimates(), exact[t]);
  }
}
