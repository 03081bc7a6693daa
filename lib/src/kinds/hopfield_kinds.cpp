#include "hopfield/hopfield_kinds.hpp"

#include "registry.hpp"

namespace spindiff::runner {

void register_hopfield_kinds(std::vector<Kind>& kinds) {
  kinds.push_back(hopfield_kinds::letters_kind());
  kinds.push_back(hopfield_kinds::capacity_kind());
  kinds.push_back(hopfield_kinds::digits_kind());
}

}  // namespace spindiff::runner
