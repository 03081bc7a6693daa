#pragma once
// diffusion.guidance: classifier-free and classifier guidance on a labelled Gaussian mixture with exact scores,
// against the tilted law p(x | c)^{1+w} p(x)^{-w} (docs/theory/guidance.md).
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

Kind diffusion_guidance_kind();

}  // namespace spindiff::runner
