#pragma once
// diffusion.sample: generate with a chosen score model, forward process and sampler; score the samples.
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

Kind diffusion_sample_kind();

}  // namespace spindiff::runner
