#pragma once
// The bridge area's experiment kinds, one file each.
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner::bridge_kinds {

Kind recall_kind();
Kind speciation_kind();
Kind collapse_kind();
Kind landscape_kind();
Kind memorization_kind();
Kind generalization_kind();

}  // namespace spindiff::runner::bridge_kinds
