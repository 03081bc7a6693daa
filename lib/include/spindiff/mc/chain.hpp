#pragma once
// The Monte Carlo driver: one loop that thermalises and measures any move on any spin model.
//
// A move is a value type with
//   using State = ...;                               what it updates (a Replica, a lattice kernel, a ladder)
//   std::uint64_t sweep(State&, Stream&);            one sweep; returns the accepted (or flipped) spins
//   std::uint64_t attempts() const;                  update attempts per sweep (the acceptance denominator)
// and optionally
//   thermalize_sweep(State&, Stream&)                a different sweep while thermalising (Wolff learns its size)
//   const X& observed(const State&) const            what is measured (default: the state itself)
//
// The chain's whole state is plain values: the move (with what it learnt), the state, the stream, the
// caller's measurement object and the Cursor. The driver calls `hook(cursor)` after every sweep; returning
// false stops the chain there, and calling run_chain again with the same values and that cursor resumes it
// exactly (a checkpoint saves those values between two sweeps).
#include <concepts>
#include <cstdint>
#include <type_traits>

#include "spindiff/core/rng.hpp"
#include "spindiff/spins/model.hpp"

namespace spindiff::mc {

template <class Mv>
concept Move = requires(Mv& move, const Mv& cmove, typename Mv::State& state, Stream& rng) {
  { move.sweep(state, rng) } -> std::convertible_to<std::uint64_t>;
  { cmove.attempts() } -> std::convertible_to<std::uint64_t>;
};

struct Schedule {
  std::int64_t thermalize = 0;  // discarded sweeps
  std::int64_t sweeps = 0;      // measured sweeps
  // Running energies are recomputed from scratch after every `resync_every` measured sweeps (drift of the
  // floating-point sums); 0 never.
  std::int64_t resync_every = 4096;
  std::int64_t total() const { return thermalize + sweeps; }
};

// Where a chain stands between two sweeps.
struct Cursor {
  std::int64_t sweep = 0;      // sweeps done, thermalisation included
  std::uint64_t accepted = 0;  // over the measured sweeps
  std::uint64_t attempts = 0;  // over the measured sweeps
  double acceptance() const {
    return attempts ? static_cast<double>(accepted) / static_cast<double>(attempts)
                    : std::numeric_limits<double>::quiet_NaN();
  }
};

// What a move exposes to measurement.
template <class Mv>
decltype(auto) observed(const Mv& move, const typename Mv::State& state) {
  if constexpr (requires { move.observed(state); })
    return move.observed(state);
  else
    return (state);
}

// Energy and magnetisation of what is measured: a Replica keeps them as running sums, a kernel computes them.
template <class M>
double energy(const spins::Replica<M>& r) {
  return r.energy;
}
template <class M>
std::int64_t magnetization(const spins::Replica<M>& r) {
  return r.magnetization;
}
template <class K>
requires requires(const K& k) { k.energy(); }
double energy(const K& k) { return k.energy(); }
template <class K>
requires requires(const K& k) { k.magnetization(); }
std::int64_t magnetization(const K& k) { return k.magnetization(); }

// Recomputes the running sums of a state that keeps them.
template <class Model, class State>
void resync(const Model& model, State& state) {
  if constexpr (requires { state.resync(model); }) state.resync(model);
}

// Runs the chain from `cursor` to the end of the schedule (or until `hook` returns false). After every sweep
// `measure(observed, sweep_index)` sees the observed state (thermalisation sweeps included: sweep_index <
// schedule.thermalize), then `hook(cursor)` runs. Returns the cursor where the chain stopped.
template <class Model, Move Mv, class Measure, class Hook>
Cursor run_chain(const Model& model, Mv& move, const Schedule& schedule, typename Mv::State& state, Stream& stream,
                 Measure&& measure, Hook&& hook, Cursor cursor = {}) {
  while (cursor.sweep < schedule.total()) {
    const std::int64_t t = cursor.sweep;
    if (t < schedule.thermalize) {
      if constexpr (requires { move.thermalize_sweep(state, stream); })
        move.thermalize_sweep(state, stream);
      else
        move.sweep(state, stream);
      measure(observed(move, state), t);
    } else {
      cursor.accepted += move.sweep(state, stream);
      cursor.attempts += move.attempts();
      measure(observed(move, state), t);
      const std::int64_t measured = t - schedule.thermalize + 1;
      if (schedule.resync_every > 0 && measured % schedule.resync_every == 0) resync(model, state);
    }
    ++cursor.sweep;
    if constexpr (std::is_void_v<decltype(hook(cursor))>)
      hook(cursor);
    else if (!hook(cursor))
      break;
  }
  return cursor;
}

}  // namespace spindiff::mc
