#pragma once
// Each area adds its kinds to the table in one function (lib/src/kinds/<area>_kinds.cpp); registry.cpp calls
// them in `spindiff list` order. A new area is one declaration here and one line in registry.cpp.
#include <vector>

#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

void register_hopfield_kinds(std::vector<Kind>& kinds);
void register_spins_kinds(std::vector<Kind>& kinds);
void register_langevin_kinds(std::vector<Kind>& kinds);
void register_diffusion_kinds(std::vector<Kind>& kinds);
void register_bridge_kinds(std::vector<Kind>& kinds);

}  // namespace spindiff::runner
