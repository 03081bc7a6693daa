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

namespace {

// Runs `relax_state(state)` on the network's evaluation path (dense or pattern form) from the cue.
template <class Relax>
Recall recall_on(const std::optional<DenseModel>& model, const std::optional<PackedRows>& rows,
                 const Patterns& patterns, std::span<const std::int8_t> cue, Relax relax_state) {
  auto run = [&](auto& state) {
    Recall r;
    r.trajectory = relax_state(state);
    r.state.assign(state.spins().begin(), state.spins().end());
    return r;
  };
  if (model) {
    DenseState state(*model, cue, &patterns);
    return run(state);
  }
  return with_hebb_pattern_state(*rows, cue, run);
}

}  // namespace

Recall Network::recall(std::span<const std::int8_t> cue, const DynamicsOptions& options, Stream& rng) const {
  return recall_on(model_, rows_, patterns_, cue, [&](auto& state) { return relax(state, options, rng); });
}

Recall Network::recall_at_temperature(std::span<const std::int8_t> cue, const ThermalOptions& options,
                                      Stream& rng) const {
  if (!(options.T > 0) || !std::isfinite(options.T))
    throw std::invalid_argument("recall_at_temperature: T must be positive and finite");
  return recall_on(model_, rows_, patterns_, cue,
                   [&](auto& state) { return relax_at_temperature(state, options, rng); });
}

std::size_t best_match(std::span<const double> overlaps) {
  if (overlaps.empty()) throw std::invalid_argument("best_match: no overlaps");
  return static_cast<std::size_t>(std::max_element(overlaps.begin(), overlaps.end()) - overlaps.begin());
}

}  // namespace spindiff::hopfield
