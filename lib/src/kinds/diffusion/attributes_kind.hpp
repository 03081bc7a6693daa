#pragma once
// diffusion.attributes: generates one combination of attributes with a learned conditional score (joint conditioning
// or composition of the single-attribute conditions, optional corrector) and measures the samples with attribute
// classifiers: per-attribute and joint accuracy, and the distance to the nearest training image.
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

Kind diffusion_attributes_kind();

}  // namespace spindiff::runner
