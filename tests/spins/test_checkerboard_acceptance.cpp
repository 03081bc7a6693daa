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

#include "spindiff/mc/checkerboard_ising2d.hpp"

using namespace spindiff;

namespace {

struct ClassCounts {
  double trials[10] = {}, flips[10] = {};  // [5 * (s > 0) + (nb + 4) / 2]
};

double probability(mc::Rule rule, double J, double h, double T, int s, int nb) {
  const double dE = 2.0 * s * (J * nb + h);
  return rule == mc::Rule::metropolis ? std::min(1.0, std::exp(-dE / T)) : 1.0 / (1.0 + std::exp(dE / T));
}

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
    const spins::Config after = sim.spins();
    for (int y = 0; y < L; ++y)
      for (int x = (y & 1); x < L; x += 2) {  // sublattice 0: x + y even
        auto at = [&](int xx, int yy) { return s[static_cast<std::size_t>((yy + L) % L) * L + (xx + L) % L]; };
        const int nb = at(x + 1, y) + at(x - 1, y) + at(x, y + 1) + at(x, y - 1);
        const int me = at(x, y), k = 5 * (me > 0) + (nb + 4) / 2;
        c.trials[k] += 1;
        c.flips[k] += after[static_cast<std::size_t>(y) * L + x] != me;
      }
  }
  return c;
}

void check_rates(const std::string& label, const ClassCounts& c, mc::Rule rule, double J, double h, double T) {
  for (int up = 0; up < 2; ++up)
    for (int n = 0; n < 5; ++n) {
      const int k = 5 * up + n, s = up ? 1 : -1, nb = 2 * n - 4;
      const double p = probability(rule, J, h, T, s, nb), trials = c.trials[k], flips = c.flips[k];
      if (trials == 0) continue;
      INFO(label << ": s = " << s << ", nb = " << nb << ", p = " << p << ", " << flips << " flips in " << trials);
      if (p == 1.0) {
        CHECK(flips == trials);
      } else {
        CHECK(std::abs(flips - trials * p) <= 5.0 * std::sqrt(trials * p * (1 - p)) + 1e-9);
      }
    }
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
