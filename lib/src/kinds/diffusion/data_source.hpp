#pragma once
// The data-set parameters shared by the diffusion kinds, and drawing data from them.
#include <optional>
#include <string>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/conditional_score.hpp"
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
// The label attributes of the data set (mixture: component; letters: letter, style, stroke; digits: digit; none
// for the planar toys).
std::vector<spindiff::diffusion::Attribute> data_attributes(const Params& p);
// The attributes named by the string list `key` (e.g. labels = ["letter", "style"]), in that order, as indices into
// data_attributes(p). Throws ConfigError naming the key and the attributes the data set has.
std::vector<std::size_t> select_attributes(const Params& p, const std::string& key);
// The condition `text` (values joined by ':' in the order of the selected attributes, see parse_condition) on the
// selected attributes, widened to all the data set's attributes. Throws ConfigError on `key` for unknown values.
spindiff::diffusion::Condition parse_selected_condition(const Params& p, const std::vector<std::size_t>& selected,
                                                        const std::string& key, const std::string& text);
// n labelled points of the data set, labels on all its attributes, leaving out those that satisfy `skip` (a
// held-out combination on all attributes; empty: none). Letters keep every other combination balanced; the other
// data sets drop the held-out points from n draws.
spindiff::diffusion::LabelledPoints draw_labelled_data(const Params& p, Eigen::Index n, Stream& stream,
                                                       const spindiff::diffusion::Condition& skip = {});
// The labels' columns of the selected attributes.
spindiff::diffusion::Labels select_labels(const spindiff::diffusion::Labels& labels,
                                          const std::vector<std::size_t>& selected);
// The points as one row-major vector, for TaskOutput::array with shape {rows, cols}.
inline std::vector<double> flatten(const spindiff::diffusion::Points& x) {
  return std::vector<double>(x.data(), x.data() + x.size());
}

}  // namespace spindiff::runner::diffusion_kinds
