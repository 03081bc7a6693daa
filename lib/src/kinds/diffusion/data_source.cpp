#include "data_source.hpp"

#include <cmath>

#include "../digits_source.hpp"
#include "../letter_distortion.hpp"
#include "spindiff/diffusion/datasets.hpp"

namespace spindiff::runner::diffusion_kinds {

namespace dd = spindiff::diffusion;

std::vector<ParamSpec> data_params() {
  std::vector<ParamSpec> params = {
      choice_param("data", "mixture", {"mixture", "swiss_roll", "two_moons", "rings", "letters", "digits"},
                   "data set (letters: the Hopfield letter bitmaps in [-1, 1]^(R^2), see letters.*; digits: the UCI "
                   "handwritten digits, grey levels in [-1, 1]^64, training part of the split, see digits_path)"),
      integer_param("mixture.dim", 2, 1, 4096, "dimension of the Gaussian-mixture data"),
      real_list_param("mixture.weights", {0.2, 0.8}, 0.0, std::nullopt, "component weights (normalised)"),
      real_list_param("mixture.means", {-5, -5, 5, 5}, std::nullopt, std::nullopt,
                      "component means, K x dim values row by row"),
      real_list_param("mixture.stds", {1.0, 1.0}, 1e-6, std::nullopt,
                      "isotropic standard deviation of each component (used when mixture.covariances is empty)"),
      // Default [0], not []: the HDF5 writer cannot store an empty attribute yet.
      real_list_param("mixture.covariances", {0.0}, std::nullopt, std::nullopt,
                      "full covariances, K x dim x dim values row by row ([0] or []: use mixture.stds)"),
      real_param("data_noise", 0.05, 0.0, 10.0, "Gaussian noise of swiss_roll, two_moons and rings"),
      real_list_param("rings.radii", {1.0, 2.0, 3.0}, 0.0, std::nullopt, "radii of the concentric rings"),
      string_param("letters.alphabet", "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   "letters drawn (capitals A-Z), in turn: point i is letter i mod K"),
      integer_param("letters.resolution", 16, 16, 128, "bitmap size R: points in [-1, 1]^(R^2)"),
      real_param("letters.stroke_width", 0.12, 0.02, 0.5, "undistorted stroke width, fraction of R"),
  };
  for (ParamSpec& spec : distortion_params("letters.", {1.0, 0.3, 8.0, 0.15, 0.08}, "handwriting distortion"))
    params.push_back(std::move(spec));
  params.push_back(real_param("letters.noise", 0.0, 0.0, 1.0, "fraction of pixels flipped after drawing"));
  for (ParamSpec& spec : digits_params("", false)) params.push_back(std::move(spec));
  return params;
}

namespace {
// K x dim means from `<prefix>.means`, K the number of weights.
dd::Points means_param(const Params& p, const std::string& prefix, Eigen::Index dim) {
  const auto k = static_cast<Eigen::Index>(p.reals(prefix + ".weights").size());
  const auto& means = p.reals(prefix + ".means");
  if (k == 0) throw ConfigError("", prefix + ".weights", "needs at least one component");
  if (static_cast<Eigen::Index>(means.size()) != k * dim)
    throw ConfigError("", prefix + ".means", "needs K x dim = " + std::to_string(k * dim) + " values");
  dd::Points m(k, dim);
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < dim; ++j) m(i, j) = means[static_cast<std::size_t>(i * dim + j)];
  return m;
}

dd::GaussianMixture build_mixture(const Params& p) {
  const auto d = p.integer("mixture.dim");
  const auto& cov = p.reals("mixture.covariances");
  if (cov.empty() || (cov.size() == 1 && cov[0] == 0.0)) return isotropic_mixture_param(p, "mixture", d);
  const dd::Points m = means_param(p, "mixture", d);
  const Eigen::Index k = m.rows();
  try {
    if (static_cast<Eigen::Index>(cov.size()) != k * d * d)
      throw ConfigError("", "mixture.covariances", "needs K x dim x dim = " + std::to_string(k * d * d) + " values");
    dd::GaussianMixture g = dd::isotropic_mixture(p.reals("mixture.weights"), m, std::vector<double>(k, 1.0));
    for (Eigen::Index c = 0; c < k; ++c)
      for (Eigen::Index i = 0; i < d; ++i)
        for (Eigen::Index j = 0; j < d; ++j) g.covariances[c](i, j) = cov[(c * d + i) * d + j];
    g.validate();
    return g;
  } catch (const std::invalid_argument& e) {
    throw ConfigError("", "mixture", e.what());
  }
}

}  // namespace

void validate_data(const Params& p) {
  const auto& data = p.string("data");
  if (data == "letters") {
    const auto& alphabet = p.string("letters.alphabet");
    if (alphabet.empty()) throw ConfigError("", "letters.alphabet", "needs at least one letter");
    for (char c : alphabet)
      if (c < 'A' || c > 'Z') throw ConfigError("", "letters.alphabet", "only capital letters A-Z are drawn");
  }
  if (data == "mixture") build_mixture(p);
  if (data == "digits") {
    validate_digits(p);
    const std::size_t available = digits_training_size(p);
    if (p.has("n_train") && static_cast<std::size_t>(p.integer("n_train")) > available)
      throw ConfigError("", "n_train",
                        "data = \"digits\": at most the " + std::to_string(available) +
                            " digits of the training part (test_fraction = " + std::to_string(p.real("test_fraction")) +
                            ")");
  }
  if (data == "rings" && p.reals("rings.radii").empty()) throw ConfigError("", "rings.radii", "needs a radius");
}

double data_dimension(const Params& p) {
  const auto& data = p.string("data");
  if (data == "mixture") return static_cast<double>(p.integer("mixture.dim"));
  if (data == "letters") return std::pow(static_cast<double>(p.integer("letters.resolution")), 2);
  if (data == "digits") return 64.0;  // 8 x 8 pixels
  return 2.0;
}

dd::GaussianMixture isotropic_mixture_param(const Params& p, const std::string& prefix, Eigen::Index dim) {
  const dd::Points m = means_param(p, prefix, dim);
  const auto& stds = p.reals(prefix + ".stds");
  if (static_cast<Eigen::Index>(stds.size()) != m.rows())
    throw ConfigError("", prefix + ".stds", "needs one value per component (" + std::to_string(m.rows()) + ")");
  try {
    return dd::isotropic_mixture(p.reals(prefix + ".weights"), m, stds);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("", prefix, e.what());
  }
}

std::optional<dd::GaussianMixture> mixture_of(const Params& p) {
  if (p.string("data") != "mixture") return std::nullopt;
  return build_mixture(p);
}

dd::Points draw_data(const Params& p, Eigen::Index n, Stream& stream) {
  const auto& data = p.string("data");
  if (data == "mixture") return dd::sample_mixture(build_mixture(p), n, stream);
  if (data == "swiss_roll") return dd::swiss_roll(n, p.real("data_noise"), stream);
  if (data == "two_moons") return dd::two_moons(n, p.real("data_noise"), stream);
  if (data == "rings") return dd::rings(n, p.reals("rings.radii"), p.real("data_noise"), stream);
  if (data == "letters")
    return dd::letters(n, p.string("letters.alphabet"), static_cast<int>(p.integer("letters.resolution")),
                       read_distortion(p, "letters."), stream);
  if (data == "digits") return digit_points(p, static_cast<std::size_t>(n), stream).x;
  throw ConfigError("", "data", "data set '" + data + "' is not available");
}

}  // namespace spindiff::runner::diffusion_kinds
