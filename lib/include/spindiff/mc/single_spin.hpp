#pragma once
// Single-spin-flip Monte Carlo (Metropolis and heat-bath/Glauber) for any SpinModel, visiting sites in
// random, sequential or checkerboard order. One sweep = N update attempts.
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "spindiff/core/rng.hpp"
#include "spindiff/spins/model.hpp"

namespace spindiff::mc {

enum class Rule { metropolis, heatbath };
enum class Order { random, sequential, checkerboard };
Rule parse_rule(const std::string& name);
Order parse_order(const std::string& name);

template <spins::SpinModel M>
class SingleSpinUpdater {
 public:
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

}  // namespace spindiff::mc
