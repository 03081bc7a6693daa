#pragma once
// diffusion.compose: sample the product of two Gaussian mixtures by summing their exact scores, with an MCMC
// corrector per noise level, against exact samples of the product (docs/theory/guidance.md).
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

Kind diffusion_compose_kind();

}  // namespace spindiff::runner
