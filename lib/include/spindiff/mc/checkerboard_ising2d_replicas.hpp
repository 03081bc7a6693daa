#pragma once
// 32 independent replicas of the 2-D periodic square-lattice Ising model (J > 0, h = 0) under checkerboard
// Metropolis, one replica per byte lane: spin r of site i is byte 32 i + r, so one site of all replicas is one
// 32-byte vector and a site update is a handful of AVX2 instructions whatever L is. Made for small lattices,
// where the single-replica kernel (checkerboard_ising2d.hpp) has rows too short to vectorise well, and for
// measurements that want many independent chains (autocorrelation times, their error from the spread).
//
// Each replica follows the Markov chain of CheckerboardIsing2D with Rule::metropolis and h = 0 (with other random
// numbers): sublattice (x + y) even, then odd; a move with probability p is accepted iff U < p 2^64 for a 64-bit
// uniform U, of which a random byte (its top 8 bits) is drawn per site and replica and 56 more bits only on a tie
// with the threshold's top byte. The replicas' bytes are distinct words of one Philox stream, hence independent.
#include <cstdint>
#include <span>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/mc/move_spec.hpp"
#include "spindiff/spins/model.hpp"

namespace spindiff::mc {

class CheckerboardIsing2DReplicas {
 public:
  static constexpr int kReplicas = 32;

  // L even (>= 2), J > 0; all spins up. The moves draw from rng.split().
  CheckerboardIsing2DReplicas(int L, double J, double T, Stream& rng);

  void set_temperature(double T);
  int L() const { return L_; }
  std::size_t size() const { return static_cast<std::size_t>(L_) * L_; }  // spins per replica

  // Replica r in natural layout, index x + L y.
  void set_spins(int r, std::span<const spins::Spin> natural);
  spins::Config spins(int r) const;

  // One sweep of every replica; returns the accepted flips summed over the replicas.
  std::uint64_t sweep();

  // Sum of the spins of each replica (out.size() == kReplicas).
  void magnetizations(std::span<std::int64_t> out) const;
  double energy(int r) const;  // total energy of replica r

 private:
  std::uint64_t update_row(int c, int y);  // accepted flips
  void check_replica(int r) const;

  int L_;
  double J_;
  std::uint64_t p2_ = 0, p4_ = 0;  // acceptance of dE = 4J and 8J, times 2^64
  std::vector<spins::Spin> s_;     // 32 * L * L
  Stream rng_;
  std::vector<std::uint32_t> words_;  // one row's random bytes, 32 per site
  std::vector<std::uint32_t> ties_;   // (site in row) * 32 + replica of the row's ties
};

// The 32-replica kernel as a move; its state is the kernel (all replicas and their stream).
class CheckerboardReplicasSweep {
 public:
  using State = CheckerboardIsing2DReplicas;
  CheckerboardReplicasSweep(int L, double J, double T) : L_(L), J_(J), T_(T) {}

  // Every replica starts from `init`.
  template <class Streams>
  Start<State> start(spins::Config init, Streams&& streams) const {
    Stream rng = streams(Purpose::dynamics, 0);
    State kernel(L_, J_, T_, rng);
    for (int r = 0; r < State::kReplicas; ++r) kernel.set_spins(r, init);
    return {std::move(kernel), rng};
  }
  std::uint64_t sweep(State& kernel, Stream&) const { return kernel.sweep(); }
  std::uint64_t attempts() const {
    return static_cast<std::uint64_t>(L_) * static_cast<std::uint64_t>(L_) * State::kReplicas;
  }

 private:
  int L_;
  double J_, T_;
};

}  // namespace spindiff::mc
