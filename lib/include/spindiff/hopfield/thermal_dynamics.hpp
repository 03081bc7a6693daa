#pragma once
// Finite-temperature recall: Glauber (heat-bath) dynamics, templated on the state like the T = 0 rule.
// Each visited spin is set to +1 with probability 1 / (1 + exp(-2 h_i / T)), in a fresh random order every
// sweep. At T > 0 there is no fixed point, so a fixed number of sweeps runs; the trajectory records the
// energy (and the overlaps) after each of them.
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/hopfield/dynamics.hpp"

namespace spindiff::hopfield {

struct ThermalOptions {
  double T = 0.5;  // temperature (k_B = 1), positive
  std::size_t sweeps = 100;
  bool record_overlaps = true;
};

template <class State>
std::size_t glauber_sweep(State& state, double T, std::vector<std::uint32_t>& order, Stream& rng) {
  shuffled_order(order, state.size(), rng);
  std::size_t flips = 0;
  for (const std::uint32_t i : order) {
    const double up = 1.0 / (1.0 + std::exp(-2.0 * state.local_field(i) / T));
    const std::int8_t wanted = rng.uniform() < up ? 1 : -1;
    if (wanted != state.spin(i)) {
      state.flip(i);
      ++flips;
    }
  }
  return flips;
}

template <class State>
Trajectory relax_at_temperature(State& state, const ThermalOptions& options, Stream& rng) {
  Trajectory t = start_trajectory(state, options.record_overlaps);
  std::vector<std::uint32_t> order;
  for (; t.sweeps < options.sweeps; ++t.sweeps) {
    t.flips += glauber_sweep(state, options.T, order, rng);
    record_point(t, state);
  }
  return t;
}

}  // namespace spindiff::hopfield
