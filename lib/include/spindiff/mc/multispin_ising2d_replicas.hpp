#pragma once
// Up to 64 independent replicas of the 2-D periodic square-lattice Ising model (h = 0) in one set of multi-spin
// words: bit b of every word is replica b, so a 512-bit group updates 512 sites whatever L is (the single-lattice
// kernel, MultiSpinIsing2D, fills its words only for L >= 128). Checkerboard Metropolis or heat bath, each replica
// at its own temperature.
//
// Layout. Sublattice c has L rows of n = L/2 words; word (y, k) holds site (2k + ((y + c) & 1), y) of every
// replica. A site's four neighbours are the words (y, k), (y, k -+ 1), (y -+ 1, k) of the other sublattice, at the
// same bit: replicas never mix.
//
// Independence. Acceptance is decided exactly as in MultiSpinIsing2D (lazy bit-by-bit comparison of random bits
// with p 2^64, random bytes dealt only to bytes holding undecided sites), with one stream for the whole word set:
// every random bit serves at most one decision of one replica, so, given the past, the replicas' next moves are
// independent with exactly their own probabilities and the replicas are independent Markov chains. (A replica's
// trajectory is not the one it would have alone: which bits it gets depends on the others.)
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/mc/multispin_ising2d.hpp"

namespace spindiff::mc {

class MultiSpinIsing2DReplicas {
 public:
  static constexpr int kMaxReplicas = 64;

  // L even (>= 2); one replica per temperature (1..64 of them). The sweeps draw from rng.split().
  // `implementation` as in MultiSpinIsing2D (empty: the best this CPU runs).
  MultiSpinIsing2DReplicas(int L, double J, const std::vector<double>& temperatures, Rule rule, Stream& rng,
                           const std::string& implementation = "");

  void set_temperatures(const std::vector<double>& temperatures);  // as many as replicas
  const std::vector<double>& temperatures() const { return T_; }
  int replicas() const { return R_; }
  int L() const { return L_; }
  std::size_t size() const { return static_cast<std::size_t>(L_) * L_; }  // sites per replica
  const std::string& implementation() const { return impl_name_; }

  // Replica b's spins, natural layout (index x + L y).
  void set_spins(int replica, std::span<const spins::Spin> natural);
  spins::Config spins(int replica) const;

  // One sweep of every replica (sublattice 0 then 1); returns the accepted flips of all replicas.
  std::uint64_t sweep();
  std::uint64_t half_sweep(int sublattice);

  // Per replica, in replica order.
  std::vector<double> energies() const;
  std::vector<std::int64_t> magnetizations() const;

  std::uint64_t random_bytes_drawn() const { return bytes_drawn_; }
  const MultiSpinIsing2D::Rules& rules() const { return rules_; }

  template <class Archive>
  void fields(Archive& ar) {
    ar(sub_[0], sub_[1], rng_, bytes_.words, bytes_.pos, bytes_.end, bytes_drawn_);
  }

 private:
  using Words = std::vector<std::uint64_t, CacheAligned<std::uint64_t>>;
  std::size_t word_index(int y, int k) const { return static_cast<std::size_t>(y) * S_ + kLead + k; }
  void refresh_ghosts(int sublattice);
  // Per-lane counts of the set bits of words: the anti-aligned bonds (energies) or the up spins.
  template <class EachWord>
  std::vector<std::int64_t> lane_counts(EachWord&& each) const;

  static constexpr int kLead = 8;

  int L_, n_, R_;
  std::size_t S_;
  double J_;
  Rule rule_;
  std::vector<double> T_;
  Words sub_[2];
  Stream rng_;
  MultiSpinIsing2D::RandomBytes bytes_;
  std::uint64_t bytes_drawn_ = 0;
  MultiSpinIsing2D::Rules rules_;
  int impl_ = 0;
  std::string impl_name_;
};

}  // namespace spindiff::mc
