#pragma once
// The `diffusion.train` kind: trains the MLP score by denoising score matching (docs/theory/learned-score.md).
#include <vector>

#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

void register_diffusion_train_kind(std::vector<Kind>& kinds);

}  // namespace spindiff::runner
