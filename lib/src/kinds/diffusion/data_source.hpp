#pragma once
// The data-set parameters shared by the diffusion kinds, and drawing data from them.
#include <optional>
#include <string>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/runner/params.hpp"

namespace spindiff::runner::diffusion_kinds {

// data, mixture.*, data_noise, rings.radii, letters.*.
std::vector<ParamSpec> data_params();
// Cross-parameter checks of the data parameters (throws ConfigError).
void validate_data(const Params& p);
// Dimension of one data point (mixture.dim, R^2 for letters, 2 for the planar toys).
double data_dimension(const Params& p);
// The isotropic mixture of `<prefix>.weights`, `<prefix>.means` (K x dim values, row by row) and `<prefix>.stds`
// (one per component): the one reading of mixture parameters for every diffusion kind. ConfigError names the key.
spindiff::diffusion::GaussianMixture isotropic_mixture_param(const Params& p, const std::string& prefix,
                                                             Eigen::Index dim);
// The mixture of the `mixture` data set; nullopt for the other data sets.
std::optional<spindiff::diffusion::GaussianMixture> mixture_of(const Params& p);
// n fresh points of the data set.
spindiff::diffusion::Points draw_data(const Params& p, Eigen::Index n, Stream& stream);
// The points as one row-major vector, for TaskOutput::array with shape {rows, cols}.
inline std::vector<double> flatten(const spindiff::diffusion::Points& x) {
  return std::vector<double>(x.data(), x.data() + x.size());
}

}  // namespace spindiff::runner::diffusion_kinds
