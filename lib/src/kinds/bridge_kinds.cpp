#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

void register_bridge_kinds(std::vector<Kind>& /*kinds*/) {}

}  // namespace spindiff::runner
