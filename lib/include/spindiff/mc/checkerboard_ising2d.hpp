#pragma once
// Fast checkerboard Metropolis / heat-bath for the 2-D periodic square-lattice Ising model.
//
// The two sublattices are stored apart (L rows of L/2 int8 spins each), so updating one sublattice row is
// a branch-free loop over contiguous arrays: the four neighbours are the same, the previous and next row of
// the other sublattice, and the same row shifted by one. Random words come in bulk from a Stream.
//
// Acceptance is exact to 2^-64: a move with probability p is accepted iff U < P = p 2^64 for a 64-bit
// uniform U, and U is drawn only as far as needed. Metropolis with h = 0 (the fast path) draws one random
// byte per site, its top 8 bits: it alone decides unless it equals P's top byte (probability 1/256), and only
// then 56 more bits are drawn. The general path does the same with a 32-bit word first.
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/mc/move_spec.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/model.hpp"

namespace spindiff::mc {

class CheckerboardIsing2D {
 public:
  // L even (>= 2); E = -J sum_<ij> s_i s_j - h sum_i s_i. The moves draw from rng.split(), a stream of
  // their own named by one draw of `rng`.
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
  // Acceptance probability p as P = p 2^64 (`always` for p >= 1).
  struct Threshold {
    std::uint64_t bits = 0;
    bool always = false;
  };
  struct Row;  // pointers to one row and its neighbours
  Row row(int c, int y);
  std::uint64_t update_row_fast(const Row& r);
  std::uint64_t update_row_general(const Row& r);
  void build_tables();

  int L_, H_;
  double J_, h_, beta_ = 1.0;
  Rule rule_;
  bool fast_ = false;  // Metropolis with h = 0 and J > 0: downhill and neutral moves always accepted
  std::vector<spins::Spin> sub_[2];
  Stream rng_;
  std::vector<std::uint32_t> words_;  // the row's random words
  std::vector<spins::Spin> side_;     // the other sublattice's row y, with a wrapped copy at each end
  std::vector<std::uint32_t> ties_;   // fast path: sites whose random byte equals the threshold's top byte
  Threshold table_[10];               // [5 * (s > 0) + (nb + 4) / 2]
  // Fast path: s = +1 with nb = 2 (dE = 4J) and nb = 4 (dE = 8J), p < 1 there; by symmetry the same for s = -1.
  std::uint64_t p2_bits() const { return table_[8].bits; }
  std::uint64_t p4_bits() const { return table_[9].bits; }
};

// The kernel as a move. Its state is the kernel itself (the packed spins and the stream it split off the
// chain's at the start), so the chain's own stream is not drawn from after the start.
class CheckerboardSweep {
 public:
  using State = CheckerboardIsing2D;
  CheckerboardSweep(int L, double J, double h, double T, Rule rule) : L_(L), J_(J), h_(h), T_(T), rule_(rule) {}

  template <class Streams>
  Start<State> start(spins::Config init, Streams&& streams) const {
    Stream rng = streams(Purpose::dynamics, 0);
    State kernel(L_, J_, h_, T_, rule_, rng);
    kernel.set_spins(init);
    return {std::move(kernel), rng};
  }
  std::uint64_t sweep(State& kernel, Stream&) const { return kernel.sweep(); }
  std::uint64_t attempts() const { return static_cast<std::uint64_t>(L_) * static_cast<std::uint64_t>(L_); }

 private:
  int L_;
  double J_, h_, T_;
  Rule rule_;
};

// Factory entry (moves.hpp): single-spin moves in checkerboard order on a 2-D periodic lattice with even L,
// tried after the multi-spin kernel (which needs h = 0) and before the generic single-spin moves.
struct CheckerboardKernelMoves {
  template <class M>
  static constexpr bool fits = std::is_same_v<M, spins::IsingLattice>;
  template <class M>
  using Move = CheckerboardSweep;
  static bool selects(const MoveSpec& spec, const ModelFacts& model) {
    const bool wanted = spec.kernel == "bytes";
    if (!wanted && spec.kernel != "auto") return false;
    const bool fits = model.square_periodic && spec.order == Order::checkerboard && spec.tempering.empty() &&
                      (spec.name == "metropolis" || spec.name == "heatbath");
    if (wanted && !fits)
      throw MoveError(MoveError::Part::kernel,
                      "the bytes kernel runs metropolis or heatbath in checkerboard order, without tempering, on a 2-D "
                      "periodic Ising lattice with even L");
    return fits;
  }
  static CheckerboardSweep make(const MoveSpec& spec, const spins::IsingLattice& lattice, double T) {
    return CheckerboardSweep(lattice.L(), lattice.J(), lattice.h(), T, parse_rule(spec.name));
  }
};

}  // namespace spindiff::mc
