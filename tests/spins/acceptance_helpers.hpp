#pragma once
// Shared by the per-move acceptance tests of the checkerboard kernels (test_checkerboard_acceptance.cpp,
// test_checkerboard_replicas.cpp): within one sweep sublattice 0 ((x + y) even) is updated first, in the starting
// environment, so its flips per class (s, neighbour sum) are Binomial(n, p).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "spindiff/mc/single_spin.hpp"
#include "spindiff/spins/model.hpp"

namespace spindiff::test {

struct ClassCounts {
  double trials[10] = {}, flips[10] = {};  // [5 * (s > 0) + (nb + 4) / 2]

  // The sublattice-0 sites of an L x L periodic configuration before one sweep and after it.
  void add(const spins::Config& before, const spins::Config& after, int L) {
    for (int y = 0; y < L; ++y)
      for (int x = (y & 1); x < L; x += 2) {
        auto at = [&](int xx, int yy) { return before[static_cast<std::size_t>((yy + L) % L) * L + (xx + L) % L]; };
        const int nb = at(x + 1, y) + at(x - 1, y) + at(x, y + 1) + at(x, y - 1);
        const int me = at(x, y), k = 5 * (me > 0) + (nb + 4) / 2;
        trials[k] += 1;
        flips[k] += after[static_cast<std::size_t>(y) * L + x] != me;
      }
  }
};

// The rule's probability of flipping spin s with neighbour sum nb.
inline double move_probability(mc::Rule rule, double J, double h, double T, int s, int nb) {
  const double dE = 2.0 * s * (J * nb + h);
  return rule == mc::Rule::metropolis ? std::min(1.0, std::exp(-dE / T)) : 1.0 / (1.0 + std::exp(dE / T));
}

// Flips per class within 5 standard deviations of Binomial(trials, p); p = 1 (downhill Metropolis) must all flip.
inline void check_rates(const std::string& label, const ClassCounts& c, mc::Rule rule, double J, double h, double T) {
  for (int up = 0; up < 2; ++up)
    for (int n = 0; n < 5; ++n) {
      const int k = 5 * up + n, s = up ? 1 : -1, nb = 2 * n - 4;
      const double p = move_probability(rule, J, h, T, s, nb), trials = c.trials[k], flips = c.flips[k];
      if (trials == 0) continue;
      INFO(label << ": s = " << s << ", nb = " << nb << ", p = " << p << ", " << flips << " flips in " << trials);
      if (p == 1.0) {
        CHECK(flips == trials);
      } else {
        CHECK(std::abs(flips - trials * p) <= 5.0 * std::sqrt(trials * p * (1 - p)) + 1e-9);
      }
    }
}

}  // namespace spindiff::test
