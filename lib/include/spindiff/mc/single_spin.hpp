#pragma once
// Single-spin-flip Monte Carlo (Metropolis and heat-bath/Glauber) for any SpinModel, visiting sites in
// random, sequential or checkerboard order. One sweep = N update attempts.
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "spindiff/core/rng.hpp"
#include "spindiff/mc/move_spec.hpp"
#include "spindiff/spins/model.hpp"

namespace spindiff::mc {

template <spins::SpinModel M>
class SingleSpinUpdater {
 public:
  using State = spins::Replica<M>;

  SingleSpinUpdater(const M& model, double T, Rule rule, Order order) : model_(&model), rule_(rule), order_(order) {
    set_temperature(T);
    if (order == Order::checkerboard) {
      if constexpr (spins::HasSublattices<M>) {
        if (!model.bipartite()) throw std::invalid_argument("checkerboard order needs a bipartite lattice (even L)");
      } else {
        throw std::invalid_argument("checkerboard order needs a lattice model");
      }
    }
  }
  void set_temperature(double T) {
    if (!(T > 0)) throw std::invalid_argument("temperature must be positive");
    beta_ = 1.0 / T;
  }
  double temperature() const { return 1.0 / beta_; }
  std::uint64_t attempts() const { return model_->size(); }
  // Nothing learnt while running: the parameters rebuild it.
  template <class Archive>
  void fields(Archive&) {}

  // The chain draws from the dynamics stream.
  template <class Streams>
  Start<State> start(spins::Config init, Streams&& streams) const {
    return {State(*model_, std::move(init)), streams(Purpose::dynamics, 0)};
  }

  // One sweep; returns the number of accepted flips.
  std::uint64_t sweep(spins::Replica<M>& r, Stream& rng) const {
    const std::size_t n = model_->size();
    std::uint64_t accepted = 0;
    switch (order_) {
      case Order::random:
        for (std::size_t k = 0; k < n; ++k) accepted += update(r, rng.below(static_cast<std::uint32_t>(n)), rng);
        break;
      case Order::sequential:
        for (std::size_t i = 0; i < n; ++i) accepted += update(r, i, rng);
        break;
      case Order::checkerboard:
        if constexpr (spins::HasSublattices<M>)
          for (int c = 0; c < 2; ++c)
            for (std::uint32_t i : model_->sublattice(c)) accepted += update(r, i, rng);
        break;
    }
    return accepted;
  }

  // One update attempt of spin i; returns 1 if it flipped.
  unsigned update(spins::Replica<M>& r, std::size_t i, Stream& rng) const {
    const double dE = model_->delta_energy(r.spins, r.cache, i);
    bool flip;
    if (rule_ == Rule::metropolis)
      flip = dE <= 0.0 || rng.uniform() < std::exp(-beta_ * dE);
    else
      flip = rng.uniform() * (1.0 + std::exp(beta_ * dE)) < 1.0;  // P(flip) = 1/(1 + e^{b dE})
    if (flip) r.flip(*model_, i, dE);
    return flip ? 1u : 0u;
  }

 private:
  const M* model_;
  Rule rule_;
  Order order_;
  double beta_ = 1.0;
};

// Checkerboard order needs a bipartite lattice; shared by every move built from single-spin updates.
inline void check_site_order(const MoveSpec& spec, const ModelFacts& model) {
  if (spec.order != Order::checkerboard) return;
  if (!model.lattice)
    throw MoveError(MoveError::Part::order, "checkerboard order needs a lattice model (use random or sequential)");
  if (!model.bipartite)
    throw MoveError(MoveError::Part::order, "checkerboard order on a periodic lattice needs even L");
}

// Factory entry (moves.hpp): Metropolis or heat-bath single-spin flips, the fallback for every model.
struct SingleSpinMoves {
  template <class M>
  static constexpr bool fits = spins::SpinModel<M>;
  template <class M>
  using Move = SingleSpinUpdater<M>;
  static bool selects(const MoveSpec& spec, const ModelFacts& model) {
    if (spec.name != "metropolis" && spec.name != "heatbath")
      throw MoveError(MoveError::Part::name, "unknown Monte Carlo move '" + spec.name + "'");
    check_site_order(spec, model);
    return true;
  }
  template <class M>
  static Move<M> make(const MoveSpec& spec, const M& model, double T) {
    return Move<M>(model, T, parse_rule(spec.name), spec.order);
  }
};

}  // namespace spindiff::mc
