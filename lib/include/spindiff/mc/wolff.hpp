#pragma once
// Wolff single-cluster algorithm (Wolff 1989) for ferromagnetic couplings J_ij >= 0 without field:
// a cluster grows from a random seed through aligned neighbours with probability 1 - exp(-2 b J_ij)
// and is flipped as a whole. Satisfies detailed balance with rejection-free moves.
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/mc/move_spec.hpp"
#include "spindiff/mc/periodic_lattice_geometry.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/model.hpp"

namespace spindiff::mc {

template <class M>
concept WolffModel = spins::SpinModel<M> && spins::HasNeighbors<M> && requires(const M& m) {
  { m.ferromagnetic() } -> std::convertible_to<bool>;
  { m.has_field() } -> std::convertible_to<bool>;
};

// How a lattice cluster finds its neighbours. Both kernels draw the same words in the same order and grow the same
// clusters, so the choice never changes a result; `coordinates` (periodic lattices with L >= 3) is the default there.
enum class WolffKernel { neighbor_table, coordinates };

template <WolffModel M>
class Wolff {
 public:
  using State = spins::Replica<M>;

  Wolff(const M& model, double T) : model_(&model), mark_(model.size(), 0) {
    if (!model.ferromagnetic()) throw std::invalid_argument("Wolff needs ferromagnetic couplings (all J_ij >= 0)");
    if (model.has_field()) throw std::invalid_argument("Wolff needs zero field");
    stack_.reserve(model.size());
    members_.reserve(model.size());
    set_temperature(T);
    if constexpr (std::is_same_v<M, spins::IsingLattice>)
      if (coordinates_apply(model)) geometry_.emplace(model.L(), model.dim());
  }
  // The lattice kernel in use, and a way to force one (benchmarks and tests compare them).
  WolffKernel kernel() const { return geometry_ ? WolffKernel::coordinates : WolffKernel::neighbor_table; }
  void use_kernel(WolffKernel k) {
    if (k == WolffKernel::neighbor_table) {
      geometry_.reset();
      return;
    }
    if constexpr (std::is_same_v<M, spins::IsingLattice>)
      if (coordinates_apply(*model_)) {
        geometry_.emplace(model_->L(), model_->dim());
        return;
      }
    throw std::invalid_argument("the coordinates Wolff kernel needs a periodic Ising lattice with L >= 3");
  }
  void set_temperature(double T) {
    if (!(T > 0)) throw std::invalid_argument("temperature must be positive");
    beta_ = 1.0 / T;
    cached_J_ = NAN;
  }

  // The chain draws from the dynamics stream.
  template <class Streams>
  Start<State> start(spins::Config init, Streams&& streams) const {
    return {State(*model_, std::move(init)), streams(Purpose::dynamics, 0)};
  }

  // Grows and flips one cluster; returns its size.
  std::size_t cluster(spins::Replica<M>& r, Stream& rng) {
    if (++stamp_ == 0) {  // stamp wrapped: clear the marks once every 2^32 clusters
      std::fill(mark_.begin(), mark_.end(), 0);
      stamp_ = 1;
    }
    if constexpr (std::is_same_v<M, spins::IsingLattice>) {
      if (geometry_) return geometry_->dim() == 2 ? coordinates_cluster<2>(r, rng) : coordinates_cluster<3>(r, rng);
      return table_cluster(r, rng);
    }
    auto& s = r.spins;
    const auto seed = below(static_cast<std::uint32_t>(model_->size()), rng);
    const spins::Spin s0 = s[seed];
    members_.clear();
    stack_.clear();
    add(r, seed);
    while (!stack_.empty()) {
      const std::uint32_t i = stack_.back();
      stack_.pop_back();
      model_->for_each_neighbor(i, [&](std::size_t j, double J) {
        if (s[j] == s0 && word(rng) < threshold(J)) add(r, static_cast<std::uint32_t>(j));
      });
    }
    // Energy change from the bonds that cross the cluster boundary: -2 J_ij s_i(new) s_j.
    double dE = 0.0;
    for (std::uint32_t i : members_)
      model_->for_each_neighbor(i, [&](std::size_t j, double J) {
        if (mark_[j] != stamp_) dE -= 2.0 * J * s[i] * s[j];
      });
    r.energy += dE;
    r.magnetization += 2 * static_cast<std::int64_t>(members_.size()) * (-s0);
    return members_.size();
  }

  // Sweep-equivalents. Measuring after "enough clusters to flip N spins" would make the measurement times
  // depend on the state (biased towards states just after a large cluster), so a measuring sweep is a FIXED
  // number of clusters, ~ N / <cluster size>, learnt by thermalize_sweep() (whose samples are discarded).
  std::size_t thermalize_sweep(spins::Replica<M>& r, Stream& rng) {
    std::size_t flipped = 0;
    while (credit_ < static_cast<std::int64_t>(model_->size())) {
      const std::size_t c = cluster(r, rng);
      credit_ += static_cast<std::int64_t>(c);
      flipped += c;
      ++learn_clusters_;
    }
    credit_ -= static_cast<std::int64_t>(model_->size());
    learn_flipped_ += flipped;
    const double mean = static_cast<double>(learn_flipped_) / static_cast<double>(learn_clusters_);
    clusters_per_sweep_ = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(model_->size() / mean)));
    return flipped;
  }
  // A measuring sweep: clusters_per_sweep() clusters. Returns the number of flipped spins.
  std::size_t sweep(spins::Replica<M>& r, Stream& rng) {
    std::size_t flipped = 0;
    for (std::size_t k = 0; k < clusters_per_sweep_; ++k) flipped += cluster(r, rng);
    return flipped;
  }
  std::size_t clusters_per_sweep() const { return clusters_per_sweep_; }
  // Spins a measuring sweep would flip if every cluster were one spin: the acceptance denominator.
  std::uint64_t attempts() const { return static_cast<std::uint64_t>(clusters_per_sweep_) * model_->size(); }
  void set_clusters_per_sweep(std::size_t k) { clusters_per_sweep_ = std::max<std::size_t>(1, k); }

  // What it learnt, the cluster stamp and the block of random words not yet used. Marks older than the stamp
  // never match it, so cleared marks grow the same clusters as the old ones did.
  template <class Archive>
  void fields(Archive& ar) {
    ar(credit_, learn_clusters_, learn_flipped_, clusters_per_sweep_, stamp_, words_, used_);
    if constexpr (Archive::reading) std::fill(mark_.begin(), mark_.end(), 0U);
  }

 private:
  void add(spins::Replica<M>& r, std::uint32_t i) {
    model_->flip(r.spins, r.cache, i);
    mark_[i] = stamp_;
    stack_.push_back(i);
    members_.push_back(i);
  }
  static bool coordinates_apply(const spins::IsingLattice& m) {
    return m.boundary() == spins::Boundary::periodic && m.L() >= 3;
  }

  // The lattice cluster without unpredictable branches: a neighbour joins by conditional moves onto a flat stack
  // (depth first, for locality) and the member list, and a word is used only for an aligned neighbour.
  std::size_t table_cluster(spins::Replica<M>& r, Stream& rng) {
    spins::Spin* sp = r.spins.data();
    members_.resize(model_->size());
    stack_.resize(model_->size());
    std::uint32_t* members = members_.data();
    std::uint32_t* stack = stack_.data();
    const std::uint32_t seed = below(static_cast<std::uint32_t>(model_->size()), rng);
    const spins::Spin s0 = sp[seed], flipped = static_cast<spins::Spin>(-s0);
    const std::uint64_t accept = threshold(model_->J());
    const std::uint32_t stamp = stamp_;
    std::size_t top = 0, count = 0;
    stack[top++] = seed;
    members[count++] = seed;
    sp[seed] = flipped;
    mark_[seed] = stamp;
    while (top > 0) {
      const std::uint32_t i = stack[--top];
      if (used_ + kMaxDegree > kWords) refill(rng);
      model_->for_each_neighbor(i, [&](std::size_t j, double) {
        const bool aligned = sp[j] == s0;
        const bool join = aligned & (words_[used_] < accept);
        used_ += aligned;
        stack[top] = members[count] = static_cast<std::uint32_t>(j);
        top += join;
        count += join;
        sp[j] = join ? flipped : sp[j];
        mark_[j] = join ? stamp : mark_[j];
      });
    }
    const std::uint32_t* queue = members;
    const std::size_t members_count = count;
    // Energy change from the bonds that cross the cluster boundary: 2 J s0 s_j for each.
    std::int64_t boundary = 0;
    for (std::size_t k = 0; k < members_count; ++k)
      model_->for_each_neighbor(queue[k], [&](std::size_t j, double) { boundary += mark_[j] != stamp ? sp[j] : 0; });
    r.energy += 2.0 * model_->J() * s0 * static_cast<double>(boundary);
    r.magnetization += 2 * static_cast<std::int64_t>(members_count) * flipped;
    return members_count;
  }

  // The same cluster as table_cluster, word for word, on a periodic lattice with L >= 3 (distinct neighbours).
  // Neighbours come from coordinates, and the aligned test of all 2 Dim neighbours goes first, so their words are
  // read at once (the k-th aligned neighbour takes the k-th unused word). While the cluster grows its members carry
  // the spin value 2 s' (joined) or 3 s' (joined and its bonds examined; s' the flipped spin) instead of s', which
  // marks them without a second array and counts the bonds inside the cluster on the way: a bond is internal iff,
  // when the later of its two ends is examined, the other end is already examined. The boundary then needs no
  // second pass: of its 2 Dim |C| - 2 (internal) bonds, those to anti-aligned spins were seen directly.
  template <int Dim>
  std::size_t coordinates_cluster(spins::Replica<M>& r, Stream& rng) {
    constexpr int K = 2 * Dim;
    static_assert(K <= static_cast<int>(kMaxDegree));
    // Locals, not members: a store through the int8 spin pointer may alias any member, which would then be
    // reloaded after every store.
    const PeriodicLatticeGeometry geo = *geometry_;
    const std::uint32_t* words = words_.data();
    spins::Spin* sp = r.spins.data();
    members_.resize(model_->size());
    sites_.resize(model_->size());
    std::uint32_t* members = members_.data();
    std::uint64_t* stack = sites_.data();
    const std::uint32_t seed = below(static_cast<std::uint32_t>(model_->size()), rng);
    const spins::Spin s0 = sp[seed], flipped = static_cast<spins::Spin>(-s0);
    const spins::Spin joined = static_cast<spins::Spin>(2 * flipped), examined = static_cast<spins::Spin>(3 * flipped);
    const std::uint64_t accept = threshold(model_->J());
    std::size_t used = used_;  // after the seed's draw
    std::size_t top = 0, count = 0;
    std::uint64_t internal = 0, anti = 0;  // bonds inside the cluster, bonds to anti-aligned outside spins
    std::uint64_t site = geo.site(seed);
    for (;;) {
      if (used + kMaxDegree > kWords) {
        refill(rng);
        used = 0;
      }
      const std::uint32_t i = PeriodicLatticeGeometry::index(site);
      members[count++] = i;
      sp[i] = examined;
      // The next site is the last neighbour that joins, else the stack top: read it now, not after the pushes.
      std::uint64_t next = top > 0 ? stack[top - 1] : 0;
      std::uint64_t j[K];
      geo.neighbors<Dim>(site, j);
      spins::Spin v[K];
      unsigned aligned = 0;
      for (int k = 0; k < K; ++k) {
        v[k] = sp[PeriodicLatticeGeometry::index(j[k])];
        aligned |= static_cast<unsigned>(v[k] == s0) << k;
        internal += v[k] == examined;
        anti += v[k] == flipped;
      }
      const std::uint32_t* w = words + used;
      used += static_cast<std::size_t>(std::popcount(aligned));
      for (int k = 0; k < K; ++k) {
        const unsigned before = static_cast<unsigned>(std::popcount(aligned & ((1U << k) - 1U)));
        const bool join = (((aligned >> k) & 1U) != 0) & (w[before] < accept);  // no branch on either
        stack[top] = j[k];
        top += join;
        next = join ? j[k] : next;
        sp[PeriodicLatticeGeometry::index(j[k])] = join ? joined : v[k];
      }
      if (top == 0) break;
      --top;
      site = next;
    }
    used_ = used;
    for (std::size_t m = 0; m < count; ++m) sp[members[m]] = flipped;
    // Energy change from the bonds that cross the cluster boundary: 2 J s0 s_j for each.
    const std::int64_t aligned_out = static_cast<std::int64_t>(K * count - 2 * internal - anti);
    const std::int64_t boundary = s0 * (aligned_out - static_cast<std::int64_t>(anti));
    r.energy += 2.0 * model_->J() * s0 * static_cast<double>(boundary);
    r.magnetization += 2 * static_cast<std::int64_t>(count) * flipped;
    return count;
  }

  // The stream's words, drawn a block at a time (bulk Philox is several times cheaper per word than one block
  // at a time); the block is part of the move's value, so a copied move resumes bit for bit.
  std::uint32_t word(Stream& rng) {
    if (used_ == kWords) refill(rng);
    return words_[used_++];
  }
  void refill(Stream& rng) {  // the few words left are dropped unused
    rng.fill_u32(std::span<std::uint32_t>(words_));
    used_ = 0;
  }
  // Unbiased integer in [0, n) from the buffered words (Lemire's method).
  std::uint32_t below(std::uint32_t n, Stream& rng) {
    std::uint64_t m = static_cast<std::uint64_t>(word(rng)) * n;
    if (static_cast<std::uint32_t>(m) < n) {
      const std::uint32_t floor = static_cast<std::uint32_t>(-n) % n;
      while (static_cast<std::uint32_t>(m) < floor) m = static_cast<std::uint64_t>(word(rng)) * n;
    }
    return static_cast<std::uint32_t>(m >> 32);
  }
  // Bond acceptance as a 32-bit threshold: accept iff u32 < threshold; the last J is cached (lattices).
  std::uint64_t threshold(double J) {
    if (J != cached_J_) {
      cached_J_ = J;
      cached_threshold_ = static_cast<std::uint64_t>(std::ldexp(-std::expm1(-2.0 * beta_ * J), 32));
    }
    return cached_threshold_;
  }

  const M* model_;
  double beta_ = 1.0;
  double cached_J_ = NAN;
  std::uint64_t cached_threshold_ = 0;
  std::int64_t credit_ = 0;
  std::uint64_t learn_clusters_ = 0, learn_flipped_ = 0;
  std::size_t clusters_per_sweep_ = 1;
  std::uint32_t stamp_ = 0;
  static constexpr std::size_t kWords = 256, kMaxDegree = 8;
  std::array<std::uint32_t, kWords> words_{};
  std::size_t used_ = kWords;
  std::vector<std::uint32_t> mark_, stack_, members_;
  std::optional<PeriodicLatticeGeometry> geometry_;  // set while the coordinates kernel is in use
  std::vector<std::uint64_t> sites_;                 // its stack of packed sites
};

// Factory entry (moves.hpp): name = "wolff", for models with listable ferromagnetic bonds and no field.
struct WolffMoves {
  template <class M>
  static constexpr bool fits = WolffModel<M>;
  template <class M>
  using Move = Wolff<M>;
  static bool selects(const MoveSpec& spec, const ModelFacts& model) {
    if (spec.name != "wolff") return false;
    if (!spec.tempering.empty())
      throw MoveError(MoveError::Part::tempering, "parallel tempering uses metropolis or heatbath moves");
    if (!model.bonds) throw MoveError(MoveError::Part::name, "wolff needs a model with a bond list (ising, sk, edges)");
    if (model.field || model.ferromagnetic == false)
      throw MoveError(MoveError::Part::name, "wolff needs h = 0 and J >= 0");
    return true;
  }
  template <class M>
  static Move<M> make(const MoveSpec&, const M& model, double T) {
    return Move<M>(model, T);
  }
};

}  // namespace spindiff::mc
