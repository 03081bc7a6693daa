#include "bridge/bridge_kinds.hpp"

#include "registry.hpp"
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

void register_bridge_kinds(std::vector<Kind>& kinds) {
  kinds.push_back(bridge_kinds::recall_kind());
  kinds.push_back(bridge_kinds::speciation_kind());
  kinds.push_back(bridge_kinds::collapse_kind());
  kinds.push_back(bridge_kinds::landscape_kind());
  kinds.push_back(bridge_kinds::memorization_kind());
  kinds.push_back(bridge_kinds::generalization_kind());
}

}  // namespace spindiff::runner
