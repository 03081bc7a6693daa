#pragma once
// Shared by the spins kinds: parameters, the Monte Carlo move they select, and pattern drawing.
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "spindiff/mc/moves.hpp"
#include "spindiff/runner/kind.hpp"
#include "spindiff/spins/couplings.hpp"

namespace spindiff::runner::spins_kinds {

// The `model` choice and the parameters of every model of the table (model_table.hpp), each name once.
std::vector<ParamSpec> model_params();
// Monte Carlo parameters common to the thermo kinds.
std::vector<ParamSpec> mc_params(const std::string& default_order);

// Whether the task asks for parallel tempering (only spins.thermo has the parameter).
inline bool parallel_tempering(const Params& p) { return p.has("parallel_tempering") && p.flag("parallel_tempering"); }

// The Monte Carlo move the parameters ask for (algorithm, order, and the ladder when parallel_tempering is on).
mc::MoveSpec move_spec(const Params& p);
// The model the parameters describe, as the moves see it, before it is built.
mc::ModelFacts model_facts(const Params& p);
// The ConfigError of a move that does not fit, naming its parameter.
[[noreturn]] void throw_config_error(const mc::MoveError& e);
// Configuration check: throws ConfigError when the move does not fit the model.
inline void check_move(const Params& p) {
  try {
    mc::check_move(move_spec(p), model_facts(p));
  } catch (const mc::MoveError& e) {
    throw_config_error(e);
  }
}
// The move for a built model.
template <spins::SpinModel M>
mc::AnyMove<M> make_move(const Params& p, const M& model) {
  try {
    return mc::make_move(move_spec(p), model, p.real("T"));
  } catch (const mc::MoveError& e) {
    throw_config_error(e);
  }
}

// P patterns of N spins drawn as P random configurations one after another, one stream word per spin: the
// layout the spin kinds have always drawn (hopfield::random_patterns packs 32 spins per word).
spins::Patterns draw_patterns(std::size_t N, std::size_t P, Stream& rng);

// Onsager curves for the ladder of temperatures of the tasks (dim = 2 tasks only).
void onsager_theory(std::span<const Params> tasks, TaskOutput& theory);

// ising.exact: the exact finite-torus 2-D Ising solution as a kind.
Kind ising_exact_kind();

}  // namespace spindiff::runner::spins_kinds
