#pragma once
// langevin.* experiment kinds (runner glue only; the physics is in spindiff/langevin).
#include <memory>
#include <vector>

#include "spindiff/diffusion/score.hpp"
#include "spindiff/langevin/potentials.hpp"
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner::langevin_kinds {

Kind boltzmann_kind();
Kind escape_kind();

// The potential parameters shared by the kinds: potential, dim, k, a, b, mb_scale, mixture.*, weights, score_sigma.
std::vector<ParamSpec> potential_params();
// The named potential; learned_score is refused (it needs configured_potential).
spindiff::langevin::Potential potential_from(const Params& p);

// A potential together with the score network it points to (learned_score: U = -T log p_sigma, force = T s).
struct ConfiguredPotential {
  std::shared_ptr<const spindiff::diffusion::ScoreModel> score;  // null unless potential = learned_score
  spindiff::langevin::Potential potential;
};
// Any potential, learned_score included (loads the weights file; throws ConfigError).
ConfiguredPotential configured_potential(const Params& p);

}  // namespace spindiff::runner::langevin_kinds
