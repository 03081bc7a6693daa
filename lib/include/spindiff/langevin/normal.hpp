#pragma once
// Fast exact standard normals for the integrators: a 256-layer ziggurat (Marsaglia & Tsang 2000) fed by
// 64-bit words of a Philox stream. Each word gives the layer (8 bits), the sign (1 bit) and a 52-bit
// uniform, so the three are independent (the flaw Doornik 2005 found in the 32-bit original does not
// arise). About 99% of draws take the fast path: one table compare and one multiply.
#include <cstddef>
#include <span>

#include "spindiff/core/rng.hpp"

namespace spindiff::langevin {

// out[i] ~ N(0, 1), independent. Consumes the stream deterministically (same stream state => same output).
// The fast path runs as a branch-free loop over a chunk of draws; the ~1% rejected ones are redrawn after.
void fill_standard_normal(Stream& stream, std::span<double> out);

// The ziggurat's right edge r (where the base layer's tail starts) for 256 layers.
double ziggurat_tail_start();

}  // namespace spindiff::langevin
