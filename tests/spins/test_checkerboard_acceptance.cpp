// The fast checkerboard kernel accepts each move with exactly the probability of its rule.
//
// Within one sweep, sublattice 0 is updated first while sublattice 1 is untouched, so every sublattice-0 site
// makes one independent attempt in the environment (s, neighbour sum) of the starting configuration. Its
// flip count per environment class is Binomial(n, p) with p from the rule's formula, checked to 5 standard
// deviations (downhill Metropolis moves, p = 1, must all flip). Temperatures are chosen so that some p fall
// below 1/256: the fast path then accepts those moves only through its tie fall-back. (A state histogram
// on L = 2 cannot test the h = 0 path: there the dE = 0 flips are forced and the sweep chain is reducible.)
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "acceptance_helpers.hpp"
#include "spindiff/mc/checkerboard_ising2d.hpp"

using namespace spindiff;

namespace {

using test::check_rates;
using test::ClassCounts;

ClassCounts count_first_half_sweeps(int L, double J, double h, double T, mc::Rule rule, double up_fraction, int configs,
                                    std::uint32_t task) {
  Stream rng(31, task, 0, Purpose::dynamics), init(31, task, 0, Purpose::init);
  mc::CheckerboardIsing2D sim(L, J, h, T, rule, rng);
  ClassCounts c;
  spins::Config s(static_cast<std::size_t>(L) * L);
  for (int n = 0; n < configs; ++n) {
    for (auto& x : s) x = init.uniform() < up_fraction ? 1 : -1;
    sim.set_spins(s);
    sim.sweep();
    c.add(s, sim.spins(), L);
  }
  return c;
}

}  // namespace

TEST_CASE("fast checkerboard kernel: per-move acceptance probabilities are exact", "[spins][mc]") {
  // L = 64: rows of 32 sites (the vector loop); L = 6: rows of 3 (the scalar loop).
  std::uint32_t task = 0;
  for (int L : {64, 6}) {
    const int configs = L == 64 ? 400 : 40000;
    // Metropolis, h = 0 (random-byte path): e^{-8/T} < 1/256 at T = 1.38, e^{-4/T} < 1/256 at T = 0.69.
    for (double T : {2.5, 1.38, 0.69}) {
      const ClassCounts c = count_first_half_sweeps(L, 1.0, 0.0, T, mc::Rule::metropolis, 0.8, configs, task++);
      check_rates("L = " + std::to_string(L) + ", metropolis h = 0, T = " + std::to_string(T), c, mc::Rule::metropolis,
                  1.0, 0.0, T);
    }
    // The general path (32-bit words): Metropolis in a field and heat-bath.
    for (mc::Rule rule : {mc::Rule::metropolis, mc::Rule::heatbath}) {
      const ClassCounts c = count_first_half_sweeps(L, 1.0, 0.3, 2.0, rule, 0.6, configs / 2, task++);
      check_rates("L = " + std::to_string(L) + ", general path, rule " + std::to_string(static_cast<int>(rule)), c,
                  rule, 1.0, 0.3, 2.0);
    }
  }
}
