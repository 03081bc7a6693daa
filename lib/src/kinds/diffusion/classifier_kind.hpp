#pragma once
// diffusion.classifier: trains a noise-conditional classifier p_t(c | x) of one attribute of a labelled data set
// (cross-entropy on noised data) and reports its accuracy on fresh clean points; weights as diffusion.train's.
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

Kind diffusion_classifier_kind();

}  // namespace spindiff::runner
