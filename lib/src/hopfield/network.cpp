#include "spindiff/hopfield/network.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "spindiff/hopfield/states.hpp"
#include "spindiff/hopfield/thermal_dynamics.hpp"

namespace spindiff::hopfield {

Network::Network(Patterns patterns, Rule rule, Evaluation evaluation) : patterns_(std::move(patterns)), rule_(rule) {
  if (evaluation == Evaluation::pattern_form && rule != Rule::hebb)
    throw std::invalid_argument("Network: the pattern form exists only for the Hebb rule");
  const bool pattern_form =
      evaluation == Evaluation::pattern_form || (evaluation == Evaluation::automatic && rule == Rule::hebb);
  if (pattern_form)
    rows_.emplace(patterns_);
  else
    model_ = learn(rule, patterns_);
}

Recall Network::recall(std::span<const std::int8_t> cue, const DynamicsOptions& options, Stream& rng) const {
  auto run = [&](auto& state) {
    Recall r;
    r.trajectory = relax(state, options, rng);
    r.state.assign(state.spins().begin(), state.spins().end());
    return r;
  };
  if (model_) {
    DenseState state(*model_, cue, &patterns_);
    return run(state);
  }
  return with_hebb_pattern_state(*rows_, cue, run);
}

Recall Network::recall_at_temperature(std::span<const std::int8_t> cue, const ThermalOptions& options,
                                      Stream& rng) const {
  if (!(options.T > 0) || !std::isfinite(options.T))
    throw std::invalid_argument("recall_at_temperature: T must be positive and finite");
  auto run = [&](auto& state) {
    Recall r;
    r.trajectory = relax_at_temperature(state, options, rng);
    r.state.assign(state.spins().begin(), state.spins().end());
    return r;
  };
  if (model_) {
    DenseState state(*model_, cue, &patterns_);
    return run(state);
  }
  return with_hebb_pattern_state(*rows_, cue, run);
}

std::size_t best_match(std::span<const double> overlaps) {
  if (overlaps.empty()) throw std::invalid_argument("best_match: no overlaps");
  return static_cast<std::size_t>(std::max_element(overlaps.begin(), overlaps.end()) - overlaps.begin());
}

}  // namespace spindiff::hopfield
