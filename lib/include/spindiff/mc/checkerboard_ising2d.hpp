#pragma once
// Fast checkerboard Metropolis / heat-bath for the 2-D periodic square-lattice Ising model.
//
// The two sublattices are stored apart (L rows of L/2 int8 spins each), so updating one sublattice row is
// a branch-free loop over contiguous arrays: the four neighbours are the same, the previous and next row of
// the other sublattice, and the same row shifted by one. Acceptance probabilities are tabulated once per
// temperature as 32-bit thresholds and compared with raw Philox words drawn in vectorised blocks.
// Acceptance is exact up to the 2^-32 rounding of the thresholds.
#include <cstdint>
#include <span>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/mc/philox_block.hpp"
#include "spindiff/mc/single_spin.hpp"
#include "spindiff/spins/model.hpp"

namespace spindiff::mc {

class CheckerboardIsing2D {
 public:
  // L even (>= 2); E = -J sum_<ij> s_i s_j - h sum_i s_i. Random words come from a key drawn from `rng`.
  CheckerboardIsing2D(int L, double J, double h, double T, Rule rule, Stream& rng);

  void set_temperature(double T);
  int L() const { return L_; }
  std::size_t size() const { return static_cast<std::size_t>(L_) * L_; }

  // Natural layout: index x + L y.
  void set_spins(std::span<const spins::Spin> natural);
  spins::Config spins() const;

  // One sweep (sublattice 0 then 1); returns the number of accepted flips.
  std::uint64_t sweep();

  double energy() const;               // total
  std::int64_t magnetization() const;  // sum of spins

 private:
  std::uint64_t update_row(int c, int y);
  void build_tables();

  int L_, H_;
  double J_, h_, beta_ = 1.0;
  Rule rule_;
  bool fast_ = false;  // Metropolis with h = 0 and J > 0: downhill and neutral moves always accepted
  std::vector<spins::Spin> sub_[2];
  std::vector<std::uint32_t> rand_;
  std::vector<std::int8_t> code_;  // fast path: (u < t4) + (u < t2); accept iff 2 code >= s * nb
  PhiloxBlocks philox_;
  std::uint32_t t2_ = 0, t4_ = 0;  // fast path: thresholds for s * (neighbour sum) = 2, 4
  std::uint64_t table_[10] = {};   // general: [5 * (s > 0) + (nb + 4) / 2], accept iff u32 < table
};

}  // namespace spindiff::mc
