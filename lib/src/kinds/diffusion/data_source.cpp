#include "data_source.hpp"

#include <algorithm>
#include <cmath>

#include "../digits_source.hpp"
#include "../letter_distortion.hpp"
#include "spindiff/diffusion/conditional_mixture.hpp"
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

std::vector<dd::Attribute> data_attributes(const Params& p) {
  const auto& data = p.string("data");
  if (data == "mixture") return {{"component", dd::label_by_component(build_mixture(p)).names}};
  if (data == "letters") return dd::letter_attributes(p.string("letters.alphabet"));
  if (data == "digits") return {{"digit", {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}}};
  return {};
}

std::vector<std::size_t> select_attributes(const Params& p, const std::string& key) {
  const std::vector<dd::Attribute> all = data_attributes(p);
  std::string known;
  for (const dd::Attribute& a : all) known += (known.empty() ? "" : ", ") + a.name;
  std::vector<std::size_t> selected;
  for (const std::string& name : p.strings(key)) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const dd::Attribute& a) { return a.name == name; });
    if (it == all.end())
      throw ConfigError("", key,
                        "data = \"" + p.string("data") + "\" has no attribute '" + name +
                            "' (it has: " + (known.empty() ? std::string("none") : known) + ")");
    const auto index = static_cast<std::size_t>(it - all.begin());
    if (std::find(selected.begin(), selected.end(), index) != selected.end())
      throw ConfigError("", key, "attribute '" + name + "' named twice");
    selected.push_back(index);
  }
  return selected;
}

dd::Condition parse_selected_condition(const Params& p, const std::vector<std::size_t>& selected,
                                       const std::string& key, const std::string& text) {
  const std::vector<dd::Attribute> all = data_attributes(p);
  std::vector<dd::Attribute> chosen;
  for (std::size_t a : selected) chosen.push_back(all[a]);
  dd::Condition on_chosen;
  try {
    on_chosen = dd::parse_condition(chosen, text);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("", key, e.what());
  }
  dd::Condition wide = dd::Condition::unconditional(all.size());
  for (std::size_t k = 0; k < selected.size(); ++k) wide.values[selected[k]] = on_chosen.values[k];
  return wide;
}

dd::LabelledPoints draw_labelled_data(const Params& p, Eigen::Index n, Stream& stream, const dd::Condition& skip) {
  const auto& data = p.string("data");
  dd::LabelledPoints drawn;
  if (data == "letters")
    return dd::labelled_letters(n, p.string("letters.alphabet"), static_cast<int>(p.integer("letters.resolution")),
                                read_distortion(p, "letters."), dd::LetterStyles{}, stream, skip);
  if (data == "mixture") {
    drawn = dd::sample_labelled(dd::label_by_component(build_mixture(p)), n, stream);
  } else if (data == "digits") {
    const LabelledDigits digits = digit_points(p, static_cast<std::size_t>(n), stream);
    drawn.x = digits.x;
    drawn.labels.resize(static_cast<Eigen::Index>(digits.digit.size()), 1);
    for (std::size_t i = 0; i < digits.digit.size(); ++i)
      drawn.labels(static_cast<Eigen::Index>(i), 0) = static_cast<int>(digits.digit[i]);
  } else {
    throw ConfigError("", "data", "data set '" + data + "' has no labels");
  }
  if (skip.values.empty() || skip.is_unconditional()) return drawn;
  std::vector<Eigen::Index> kept;
  for (Eigen::Index i = 0; i < drawn.x.rows(); ++i)
    if (!dd::satisfies(drawn.labels, i, skip)) kept.push_back(i);
  dd::LabelledPoints out{dd::Points(static_cast<Eigen::Index>(kept.size()), drawn.x.cols()),
                         dd::Labels(static_cast<Eigen::Index>(kept.size()), drawn.labels.cols())};
  for (std::size_t k = 0; k < kept.size(); ++k) {
    out.x.row(static_cast<Eigen::Index>(k)) = drawn.x.row(kept[k]);
    out.labels.row(static_cast<Eigen::Index>(k)) = drawn.labels.row(kept[k]);
  }
  return out;
}

dd::Labels select_labels(const dd::Labels& labels, const std::vector<std::size_t>& selected) {
  dd::Labels out(labels.rows(), static_cast<Eigen::Index>(selected.size()));
  for (std::size_t k = 0; k < selected.size(); ++k)
    out.col(static_cast<Eigen::Index>(k)) = labels.col(static_cast<Eigen::Index>(selected[k]));
  return out;
}

}  // namespace spindiff::runner::diffusion_kinds
