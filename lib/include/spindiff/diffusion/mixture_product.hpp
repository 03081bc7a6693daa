#pragma once
// The normalised product of two Gaussian mixtures, again a mixture in closed form:
//   N(x; a, A) N(x; b, B) = N(a; b, A + B) N(x; c, C),  C = (A^-1 + B^-1)^-1,  c = C (A^-1 a + B^-1 b),
// so p_A p_B / Z has one component per pair (i, j) with weight ~ w_i v_j N(a_i; b_j, A_i + B_j). The exact
// reference for sampling a composition of two scores.
#include "spindiff/diffusion/gaussian_mixture.hpp"

namespace spindiff::diffusion {

// Throws std::invalid_argument when the dimensions differ.
GaussianMixture mixture_product(const GaussianMixture& a, const GaussianMixture& b);

}  // namespace spindiff::diffusion
