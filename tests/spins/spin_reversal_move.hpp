#pragma once
// An example Monte Carlo move, written as a new move is: this header plus one line in a move table.
// A Metropolis sweep followed by the reversal of every spin. Without a field the reversal leaves E unchanged,
// so it is always accepted and keeps detailed balance; it carries a low-temperature chain from +m to -m at once.
#include "spindiff/mc/move_spec.hpp"
#include "spindiff/mc/single_spin.hpp"

namespace spindiff::test {

template <spins::SpinModel M>
class SpinReversal {
 public:
  using State = spins::Replica<M>;
  SpinReversal(const M& model, double T)
      : model_(&model), metropolis_(model, T, mc::Rule::metropolis, mc::Order::random) {}

  template <class Streams>
  mc::Start<State> start(spins::Config init, Streams&& streams) const {
    return {State(*model_, std::move(init)), streams(Purpose::dynamics, 0)};
  }
  std::uint64_t sweep(State& r, Stream& rng) const {
    const std::uint64_t flips = metropolis_.sweep(r, rng);
    for (std::size_t i = 0; i < model_->size(); ++i) r.flip(*model_, i, model_->delta_energy(r.spins, r.cache, i));
    return flips;
  }
  std::uint64_t attempts() const { return model_->size(); }

 private:
  const M* model_;
  mc::SingleSpinUpdater<M> metropolis_;
};

// The move's table entry.
struct SpinReversalMoves {
  template <class M>
  static constexpr bool fits = spins::SpinModel<M>;
  template <class M>
  using Move = SpinReversal<M>;
  static bool selects(const mc::MoveSpec& spec, const mc::ModelFacts& model) {
    if (spec.name != "reversal") return false;
    if (model.field) throw mc::MoveError(mc::MoveError::Part::name, "reversal needs zero field");
    return true;
  }
  template <class M>
  static Move<M> make(const mc::MoveSpec&, const M& model, double T) {
    return Move<M>(model, T);
  }
};

}  // namespace spindiff::test
