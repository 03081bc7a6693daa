#pragma once
// langevin.* experiment kinds (runner glue only; the physics is in spindiff/langevin).
#include <vector>

#include "spindiff/langevin/potentials.hpp"
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner::langevin_kinds {

Kind boltzmann_kind();
Kind escape_kind();

// The potential parameters shared by the kinds: potential, dim, k, a, b, mb_scale, mixture.*.
std::vector<ParamSpec> potential_params();
spindiff::langevin::Potential potential_from(const Params& p);

}  // namespace spindiff::runner::langevin_kinds
