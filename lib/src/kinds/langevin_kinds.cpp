#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

void register_langevin_kinds(std::vector<Kind>& /*kinds*/) {}

}  // namespace spindiff::runner
