#pragma once
// The Hopfield experiment kinds (registered by register_hopfield_kinds).
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner::hopfield_kinds {

Kind letters_kind();   // hopfield.letters
Kind capacity_kind();  // hopfield.capacity

// Mean and standard error of the mean.
struct MeanErr {
  double mean = 0, err = 0;
};
MeanErr mean_err(const std::vector<double>& x);

}  // namespace spindiff::runner::hopfield_kinds
