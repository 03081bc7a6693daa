#include "registry.hpp"

#include "spindiff/kinds/all_kinds.hpp"

namespace spindiff::runner {

namespace {
std::vector<Kind>& registry() {
  static std::vector<Kind> kinds = [] {
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
}  // namespace

const std::vector<Kind>& all_kinds() { return registry(); }

void register_kind(Kind kind) {
  for (Kind& k : registry())
    if (k.name == kind.name) {
      k = std::move(kind);
      return;
    }
  registry().push_back(std::move(kind));
}

const Kind* find_kind(const std::string& name) {
  for (const Kind& k : all_kinds())
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace spindiff::runner
