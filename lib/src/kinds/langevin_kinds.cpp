#include "langevin/langevin_kinds.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "diffusion/learned_weights.hpp"
#include "registry.hpp"

namespace spindiff::runner {

namespace langevin_kinds {

std::vector<ParamSpec> potential_params() {
  return {
      choice_param("potential", "double_well", {"harmonic", "double_well", "muller_brown", "mixture", "learned_score"},
                   "U(x): harmonic k|x|^2/2, double_well sum a x^4 - b x^2, muller_brown (2-D), mixture -T log p, "
                   "learned_score -T log p_sigma of a trained score network (langevin.boltzmann only)"),
      integer_param("dim", 1, 1.0, 64.0, "number of coordinates (muller_brown: 2)"),
      real_param("k", 1.0, 1e-9, 1e9, "harmonic stiffness"),
      real_param("a", 0.25, 1e-9, 1e9, "double well quartic coefficient"),
      real_param("b", 0.5, 1e-9, 1e9, "double well quadratic coefficient (minima at +-sqrt(b/2a), barrier b^2/4a)"),
      real_param("mb_scale", 1.0, 1e-9, 1e9, "Mueller-Brown energy scale factor"),
      real_list_param("mixture.weights", {0.5, 0.5}, 0.0, std::nullopt, "mixture weights (normalised)"),
      real_list_param("mixture.means", {-1.0, 1.0}, std::nullopt, std::nullopt,
                      "mixture means, components x dim numbers row by row"),
      real_list_param("mixture.sigmas", {0.5}, 1e-9, std::nullopt, "mixture standard deviations (one or one each)"),
      optional_file_param("weights",
                          "learned_score: HDF5 weights of a score network (a diffusion.train result or a "
                          "weights file); its dimension must equal dim"),
      real_param("score_sigma", 0.05, 1e-9, 1e9,
                 "learned_score: noise level sigma of the score s(x, sigma): the particles sample p_sigma"),
  };
}

spindiff::langevin::Potential potential_from(const Params& p) {
  if (p.string("potential") == "learned_score")
    throw ConfigError("", "potential", "learned_score has no energy U: only langevin.boltzmann samples it");
  spindiff::langevin::PotentialSpec s;
  s.name = p.string("potential");
  s.dim = static_cast<int>(p.integer("dim"));
  s.T = p.real("T");
  s.k = p.real("k");
  s.a = p.real("a");
  s.b = p.real("b");
  s.mb_scale = p.real("mb_scale");
  s.weights = p.reals("mixture.weights");
  s.means = p.reals("mixture.means");
  s.sigmas = p.reals("mixture.sigmas");
  try {
    return spindiff::langevin::make_potential(s);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("", "potential", e.what());
  }
}

ConfiguredPotential configured_potential(const Params& p) {
  if (p.string("potential") != "learned_score") return {nullptr, potential_from(p)};
  const std::string& file = p.string("weights");
  if (file.empty()) throw ConfigError("", "weights", "potential = \"learned_score\" needs a weights file");
  std::shared_ptr<const spindiff::diffusion::ScoreModel> score = diffusion_kinds::load_learned_score(file);
  const int dim = score->dim();
  if (dim != p.integer("dim"))
    throw ConfigError("", "dim", fmt::format("the score network in {} has dimension {}; set dim = {}", file, dim, dim));
  // diffusion.train learns the unit-scale (variance-exploding) score, so the level is (t, a, sigma) = (sigma, 1,
  // sigma). A score model may be called from many threads at once (ScoreModel's rule), so particle blocks share it.
  const double sigma = p.real("score_sigma");
  spindiff::langevin::ScorePotential pot{score.get(), {sigma, 1.0, sigma}, p.real("T"), dim};
  return {std::move(score), pot};
}

}  // namespace langevin_kinds

void register_langevin_kinds(std::vector<Kind>& kinds) {
  kinds.push_back(langevin_kinds::boltzmann_kind());
  kinds.push_back(langevin_kinds::escape_kind());
}

}  // namespace spindiff::runner
