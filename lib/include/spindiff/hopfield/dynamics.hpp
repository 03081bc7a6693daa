#pragma once
// Zero-temperature dynamics s_i ← sign(h_i), templated on the state (DenseState, HebbPatternState).
// Ties (h_i = 0) keep the current spin, so a fixed point is a state no update changes.
#include <cstdint>
#include <numeric>
#include <span>
#include <utility>
#include <vector>

#include "spindiff/core/rng.hpp"

namespace spindiff::hopfield {

enum class Update { async, sync };

struct DynamicsOptions {
  Update update = Update::async;
  std::size_t max_sweeps = 100;
  bool record_overlaps = true;  // m_μ after every sweep (needs patterns)
};

struct Trajectory {
  std::vector<double> energies;  // [0] = initial, [t] = after sweep t
  std::vector<double> overlaps;  // (sweeps + 1) × P, row-major; empty unless recorded
  std::size_t num_patterns = 0;
  std::size_t sweeps = 0;  // sweeps run; when converged the last one changed nothing
  bool converged = false;  // reached a fixed point within max_sweeps
  // Synchronous only: the last sweep flipped exactly the spins the one before flipped, so it restored the state
  // of two sweeps ago and the deterministic dynamics alternates between two states forever; the run stops there.
  bool two_cycle = false;
  std::uint64_t flips = 0;
};

// The T = 0 rule: a spin flips when its field points the other way; a tie keeps it.
inline bool flips_at_zero_temperature(std::int8_t spin, double field) { return spin > 0 ? field < 0.0 : field > 0.0; }

template <class State>
bool wants_flip(const State& state, std::size_t i) {
  return flips_at_zero_temperature(state.spin(i), state.field(i));
}

// A fresh random visiting order of n sites, written into `order`.
inline void shuffled_order(std::vector<std::uint32_t>& order, std::size_t n, Stream& rng) {
  order.resize(n);
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  rng.shuffle(std::span<std::uint32_t>(order));
}

// Appends the state's energy (and, when the trajectory records them, its overlaps) to the trajectory.
template <class State>
void record_point(Trajectory& t, State& state) {
  t.energies.push_back(state.energy());
  if (t.num_patterns > 0) {
    t.overlaps.resize(t.overlaps.size() + t.num_patterns);
    state.overlaps(std::span<double>(t.overlaps).last(t.num_patterns));
  }
}

// A trajectory that starts at the state as it is (overlaps recorded only when asked and the state has them).
template <class State>
Trajectory start_trajectory(State& state, bool record_overlaps) {
  Trajectory t;
  t.num_patterns = record_overlaps && state.has_overlaps() ? state.num_patterns() : 0;
  record_point(t, state);
  return t;
}

// One asynchronous sweep over a fresh random permutation (written into `order`). Returns the flips.
// A state may run the sweep itself (HebbPatternState pipelines it); it must equal the loop below.
template <class State>
std::size_t async_sweep(State& state, std::vector<std::uint32_t>& order, Stream& rng) {
  shuffled_order(order, state.size(), rng);
  if constexpr (requires { state.sweep(std::span<const std::uint32_t>(order)); }) {
    return state.sweep(std::span<const std::uint32_t>(order));
  } else {
    std::size_t flips = 0;
    for (const std::uint32_t i : order) {
      if (wants_flip(state, i)) {
        state.flip(i);
        ++flips;
      }
    }
    return flips;
  }
}

// One synchronous sweep: every field from the old state, then all flips at once.
template <class State>
std::size_t sync_sweep(State& state, std::vector<std::uint32_t>& to_flip) {
  to_flip.clear();
  for (std::size_t i = 0; i < state.size(); ++i)
    if (wants_flip(state, i)) to_flip.push_back(static_cast<std::uint32_t>(i));
  for (const std::uint32_t i : to_flip) state.flip(i);
  return to_flip.size();
}

// Runs until a sweep changes nothing, synchronous dynamics enters a two-cycle, or max_sweeps is reached.
// `rng` orders the asynchronous sweeps.
template <class State>
Trajectory relax(State& state, const DynamicsOptions& options, Stream& rng) {
  Trajectory t = start_trajectory(state, options.record_overlaps);
  std::vector<std::uint32_t> scratch, previous_flips;
  while (t.sweeps < options.max_sweeps) {
    const std::size_t flips =
        options.update == Update::async ? async_sweep(state, scratch, rng) : sync_sweep(state, scratch);
    ++t.sweeps;
    t.flips += flips;
    record_point(t, state);
    if (flips == 0) {
      t.converged = true;
      break;
    }
    if (options.update == Update::sync) {
      // Flipping the same set twice returns to the earlier state (sync_sweep lists the flips in site order).
      if (scratch == previous_flips) {
        t.two_cycle = true;
        break;
      }
      std::swap(scratch, previous_flips);
    }
  }
  return t;
}

}  // namespace spindiff::hopfield
