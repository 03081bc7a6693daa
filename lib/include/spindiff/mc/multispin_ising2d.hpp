#pragma once
// Multi-spin coded checkerboard Metropolis / heat-bath for the 2-D periodic square-lattice Ising model with h = 0:
// one bit per spin.
//
// Layout. Each sublattice has L rows of n = L/2 sites. The rows are cut into B horizontal strips of Ry = L/B rows
// (B <= 64 divides n, Ry even): bit b of word (r, k) is the site in row y = b Ry + r, column k. A site's four
// neighbours (all in the other sublattice) are then the words (r, k), (r, k -+ 1), (r -+ 1, k) at the same bit,
// except across a strip edge, where the word of the neighbouring strip is rotated by one bit. Eight words (512
// sites) are updated at once; with AVX-512 they are one register.
//
// Energy classes. The number a of anti-aligned neighbours (0..4) is summed with bit-sliced adders; dE = 2 J (4 - 2a).
//
// Exact acceptance. A move with probability p is accepted iff U < P = p 2^64 for a 64-bit uniform U of its own.
// U is never formed: its bits are compared lazily with P's binary expansion, most significant first; a site is
// settled at the first bit where they differ (after 2 bits on average), and only the sites still undecided draw
// another bit. Random bits are dealt out by bytes: at each bit level a site takes the next unused random byte of
// the stream if its byte of the word holds an undecided site (AVX-512: vpexpandb), so every random bit is used
// for at most one decision and no decision reuses another's bits. The result is exact to 2^-64.
//
// Implementations: "avx512" (AVX-512 F/BW/VBMI2/VPOPCNTDQ) and "portable" (plain 64-bit words, compiled for the
// build's target, BMI2/AVX2 with the default x86-64-v3). They consume the random stream identically, so they give
// bit-identical spins; the best one the CPU runs is chosen at construction unless one is named.
#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/mc/move_spec.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/model.hpp"

namespace spindiff::mc {

// 64-byte aligned storage, so the kernel's word groups are whole cache lines (and copies stay aligned).
template <class T>
struct CacheAligned {
  using value_type = T;
  CacheAligned() = default;
  template <class U>
  CacheAligned(const CacheAligned<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{64})); }
  void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{64}); }
  friend bool operator==(const CacheAligned&, const CacheAligned&) { return true; }
};

class MultiSpinIsing2D {
 public:
  // The implementations this build has, best first, and whether this CPU runs one.
  static const std::vector<std::string>& implementations();
  static bool supported(const std::string& implementation);
  static std::string best_implementation();

  // L even (>= 2); E = -J sum_<ij> s_i s_j. The sweeps draw from rng.split(). `implementation` empty: the best.
  MultiSpinIsing2D(int L, double J, double T, Rule rule, Stream& rng, const std::string& implementation = "");

  void set_temperature(double T);
  int L() const { return L_; }
  std::size_t size() const { return static_cast<std::size_t>(L_) * L_; }
  const std::string& implementation() const { return impl_name_; }

  // Natural layout: index x + L y.
  void set_spins(std::span<const spins::Spin> natural);
  spins::Config spins() const;

  // One sweep (sublattice 0 then 1); returns the number of accepted flips.
  std::uint64_t sweep();
  // One sublattice (0: x + y even); returns the number of accepted flips.
  std::uint64_t half_sweep(int sublattice);

  double energy() const;
  std::int64_t magnetization() const;

  // Random bytes drawn from the stream so far (the kernel's random-bit budget; a few bytes per buffer refill
  // are discarded unused).
  std::uint64_t random_bytes_drawn() const { return bytes_drawn_; }

  // A class of sites: a anti-aligned neighbours. `lazy`: decided by comparing random bits with P;
  // otherwise always accepted (`always`) or never.
  struct ClassRule {
    bool lazy = false, always = false;
    std::uint64_t P = 0;  // p 2^64 (lazy classes)
  };
  const ClassRule& class_rule(int anti_aligned) const { return classes_[anti_aligned]; }

  // The lazy classes' thresholds as the implementations use them (set with the temperature). The bit masks are
  // per lane: all ones here (one temperature); in the replica kernel (multispin_ising2d_replicas.hpp) lane b is
  // replica b, with its own temperature.
  struct Rules {
    bool always[5] = {};
    int n_lazy = 0;
    int lazy_class[5] = {};
    int last_level[5] = {};         // the level of P's lowest set bit: still equal after it means U >= P
    bool finite = false;            // some lazy P ends before its last bit
    std::uint64_t bit[64][5] = {};  // the lanes where bit 63 - level of lazy class j's P is set
    // Replica kernel only: the lanes where class c always flips, where lazy class j is decided lazily, and where
    // lazy class j's P has no set bit from `level` on (still equal there means U >= P: rejected).
    std::uint64_t always_lanes[5] = {}, lazy_lanes[5] = {};
    bool stops[64] = {};
    std::uint64_t stop[64][5] = {};
  };
  // The random bytes not yet dealt out (whole stream words; a partial buffer is dropped on refill).
  struct RandomBytes {
    static constexpr std::size_t kBytes = 16384;
    std::vector<std::uint32_t> words = std::vector<std::uint32_t>(kBytes / 4 + 16);
    std::size_t pos = kBytes, end = kBytes;  // empty
  };

  // The packed spins (ghost words included), the stream and the random bytes not yet dealt out; the rest
  // follows from the parameters.
  template <class Archive>
  void fields(Archive& ar) {
    ar(sub_[0], sub_[1], rng_, bytes_.words, bytes_.pos, bytes_.end, bytes_drawn_);
  }

 private:
  using Words = std::vector<std::uint64_t, CacheAligned<std::uint64_t>>;
  void refresh_ghosts(int sublattice);
  std::size_t word_index(int r, int k) const { return static_cast<std::size_t>(r) * S_ + kLead + k; }

  static constexpr int kLead = 8;  // words before a row's first site: its left ghost is word kLead - 1

  int L_, n_, B_, Ry_;
  std::size_t S_;  // words per stored row
  double J_, beta_ = 1.0;
  Rule rule_;
  Words sub_[2];
  Stream rng_;
  RandomBytes bytes_;
  std::uint64_t bytes_drawn_ = 0;
  ClassRule classes_[5];
  Rules rules_;
  int impl_ = 0;
  std::string impl_name_;
};

// The kernel as a move; its state is the kernel (the packed spins and the stream it split off the chain's).
class MultiSpinSweep {
 public:
  using State = MultiSpinIsing2D;
  MultiSpinSweep(int L, double J, double T, Rule rule) : L_(L), J_(J), T_(T), rule_(rule) {}

  template <class Streams>
  Start<State> start(spins::Config init, Streams&& streams) const {
    Stream rng = streams(Purpose::dynamics, 0);
    State kernel(L_, J_, T_, rule_, rng);
    kernel.set_spins(init);
    return {std::move(kernel), rng};
  }
  std::uint64_t sweep(State& kernel, Stream&) const { return kernel.sweep(); }
  std::uint64_t attempts() const { return static_cast<std::uint64_t>(L_) * static_cast<std::uint64_t>(L_); }
  template <class Archive>
  void fields(Archive&) {}

 private:
  int L_;
  double J_, T_;
  Rule rule_;
};

// Factory entry (moves.hpp): checkerboard Metropolis / heat bath on a 2-D periodic lattice with even L and h = 0,
// tried before the byte kernel; `kernel = "multispin"` insists on it, "bytes" and "generic" skip it.
struct MultiSpinMoves {
  template <class M>
  static constexpr bool fits = std::is_same_v<M, spins::IsingLattice>;
  template <class M>
  using Move = MultiSpinSweep;
  static bool selects(const MoveSpec& spec, const ModelFacts& model) {
    // multispin_replicas: the thermo kinds run the repeats together (MultiSpinIsing2DReplicas); same conditions.
    const bool wanted = spec.kernel == "multispin" || spec.kernel == "multispin_replicas";
    if (!wanted && spec.kernel != "auto") return false;
    const bool single = spec.name == "metropolis" || spec.name == "heatbath";
    if (wanted) {
      if (!single || !spec.tempering.empty())
        throw MoveError(MoveError::Part::kernel, "the multispin kernel runs metropolis or heatbath without tempering");
      if (spec.order != Order::checkerboard)
        throw MoveError(MoveError::Part::kernel, "the multispin kernel needs order = \"checkerboard\"");
      if (!model.square_periodic || model.field)
        throw MoveError(MoveError::Part::kernel,
                        "the multispin kernel needs a 2-D periodic Ising lattice with even L and h = 0");
    }
    return single && spec.tempering.empty() && spec.order == Order::checkerboard && model.square_periodic &&
           !model.field;
  }
  static MultiSpinSweep make(const MoveSpec& spec, const spins::IsingLattice& lattice, double T) {
    return MultiSpinSweep(lattice.L(), lattice.J(), T, parse_rule(spec.name));
  }
};

}  // namespace spindiff::mc
