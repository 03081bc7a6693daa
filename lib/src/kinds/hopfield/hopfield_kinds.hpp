#pragma once
// The Hopfield experiment kinds (registered by register_hopfield_kinds).
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner::hopfield_kinds {

Kind letters_kind();   // hopfield.letters
Kind capacity_kind();  // hopfield.capacity
Kind digits_kind();    // hopfield.digits

}  // namespace spindiff::runner::hopfield_kinds
