#pragma once
// The move factory: make_move(spec, model, T) returns the first move of the table below that the spec selects,
// as a std::variant over the moves that fit the model type (the chain then runs without a virtual call).
//
// Each table entry (declared beside its move) says
//   template <class M> static constexpr bool fits;        whether the move compiles for model type M
//   template <class M> using Move = ...;                  the move type for M
//   static bool selects(const MoveSpec&, const ModelFacts&);   asked for? throws MoveError if asked but unfit
//   static Move<M> make(const MoveSpec&, const M&, double T);
// A new move is its header plus one line in MoveTable (a test may pass a table of its own).
#include <cstddef>
#include <variant>

#include "spindiff/mc/checkerboard_ising2d.hpp"
#include "spindiff/mc/move_spec.hpp"
#include "spindiff/mc/multispin_ising2d.hpp"
#include "spindiff/mc/parallel_tempering.hpp"
#include "spindiff/mc/single_spin.hpp"
#include "spindiff/mc/wolff.hpp"

namespace spindiff::mc {

template <class... Entries>
struct MoveTableOf {};

// Tried in order; the single-spin moves select everything the others leave.
using MoveTable = MoveTableOf<MultiSpinMoves, CheckerboardKernelMoves, WolffMoves, TemperingMoves, SingleSpinMoves>;

namespace detail {

template <bool Fits, class M, class Variant, class Entry>
struct AppendMove {
  using type = Variant;
};
template <class M, class... Moves, class Entry>
struct AppendMove<true, M, std::variant<Moves...>, Entry> {
  using type = std::variant<Moves..., typename Entry::template Move<M>>;
};

template <class M, class Variant, class Table>
struct FittingMoves {
  using type = Variant;
};
template <class M, class Variant, class Entry, class... Rest>
struct FittingMoves<M, Variant, MoveTableOf<Entry, Rest...>> {
  using type = typename FittingMoves<M, typename AppendMove<Entry::template fits<M>, M, Variant, Entry>::type,
                                     MoveTableOf<Rest...>>::type;
};

template <class... Entries>
std::size_t select(const MoveSpec& spec, const ModelFacts& model, MoveTableOf<Entries...>) {
  std::size_t index = 0, chosen = sizeof...(Entries);
  // Short-circuits at the first entry that selects, so later entries' checks do not run.
  (void)((Entries::selects(spec, model) ? (chosen = index, true) : (++index, false)) || ...);
  if (chosen == sizeof...(Entries))
    throw MoveError(MoveError::Part::name, "no Monte Carlo move '" + spec.name + "' for this model");
  return chosen;
}

template <class M, class Result, std::size_t I, class Entry, class... Rest>
Result make_at(std::size_t chosen, const MoveSpec& spec, const M& model, double T) {
  if constexpr (Entry::template fits<M>) {
    if (chosen == I) return Result(Entry::make(spec, model, T));
  }
  if constexpr (sizeof...(Rest) > 0) {
    return make_at<M, Result, I + 1, Rest...>(chosen, spec, model, T);
  } else {
    throw MoveError(MoveError::Part::name, "move '" + spec.name + "' does not fit this model");
  }
}

template <class M, class Result, class... Entries>
Result make(std::size_t chosen, const MoveSpec& spec, const M& model, double T, MoveTableOf<Entries...>) {
  return make_at<M, Result, 0, Entries...>(chosen, spec, model, T);
}

}  // namespace detail

// The moves of a table that fit model type M.
template <class M, class Table = MoveTable>
using AnyMove = typename detail::FittingMoves<M, std::variant<>, Table>::type;

// Throws MoveError when the spec asks for a move the model does not allow; usable before the model exists.
template <class Table = MoveTable>
void check_move(const MoveSpec& spec, const ModelFacts& model) {
  detail::select(spec, model, Table{});
}

template <class Table = MoveTable, spins::SpinModel M>
AnyMove<M, Table> make_move(const MoveSpec& spec, const M& model, double T) {
  const std::size_t chosen = detail::select(spec, facts_of(model), Table{});
  return detail::make<M, AnyMove<M, Table>>(chosen, spec, model, T, Table{});
}

}  // namespace spindiff::mc
