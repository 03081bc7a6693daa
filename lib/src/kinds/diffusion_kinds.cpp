#include "diffusion/attributes_kind.hpp"
#include "diffusion/classifier_kind.hpp"
#include "diffusion/compose_kind.hpp"
#include "diffusion/guidance_kind.hpp"
#include "diffusion/sample_kind.hpp"
#include "diffusion/train_kind.hpp"
#include "registry.hpp"
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

void register_diffusion_kinds(std::vector<Kind>& kinds) {
  register_diffusion_train_kind(kinds);
  kinds.push_back(diffusion_sample_kind());
  kinds.push_back(diffusion_guidance_kind());
  kinds.push_back(diffusion_compose_kind());
  kinds.push_back(diffusion_classifier_kind());
  kinds.push_back(diffusion_attributes_kind());
}

}  // namespace spindiff::runner
