#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

void register_hopfield_kinds(std::vector<Kind>& /*kinds*/) {}

}  // namespace spindiff::runner
