#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

const std::vector<Kind>& all_kinds() {
  static const std::vector<Kind> kinds = [] {
    std::vector<Kind> k;
    register_hopfield_kinds(k);
    register_spins_kinds(k);
    register_langevin_kinds(k);
    register_diffusion_kinds(k);
    register_bridge_kinds(k);
    return k;
  }();
  return kinds;
}

const Kind* find_kind(const std::string& name) {
  for (const Kind& k : all_kinds())
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace spindiff::runner
