#include "langevin/langevin_kinds.hpp"

#include <stdexcept>

namespace spindiff::runner {

namespace langevin_kinds {

std::vector<ParamSpec> potential_params() {
  return {
      choice_param("potential", "double_well", {"harmonic", "double_well", "muller_brown", "mixture"},
                   "U(x): harmonic k|x|^2/2, double_well sum a x^4 - b x^2, muller_brown (2-D), mixture -T log p"),
      integer_param("dim", 1, 1.0, 64.0, "number of coordinates (muller_brown: 2)"),
      real_param("k", 1.0, 1e-9, 1e9, "harmonic stiffness"),
      real_param("a", 0.25, 1e-9, 1e9, "double well quartic coefficient"),
      real_param("b", 0.5, 1e-9, 1e9, "double well quadratic coefficient (minima at +-sqrt(b/2a), barrier b^2/4a)"),
      real_param("mb_scale", 1.0, 1e-9, 1e9, "Mueller-Brown energy scale factor"),
      real_list_param("mixture.weights", {0.5, 0.5}, 0.0, std::nullopt, "mixture weights (normalised)"),
      real_list_param("mixture.means", {-1.0, 1.0}, std::nullopt, std::nullopt,
                      "mixture means, components x dim numbers row by row"),
      real_list_param("mixture.sigmas", {0.5}, 1e-9, std::nullopt, "mixture standard deviations (one or one each)"),
  };
}

spindiff::langevin::Potential potential_from(const Params& p) {
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

}  // namespace langevin_kinds

void register_langevin_kinds(std::vector<Kind>& kinds) {
  kinds.push_back(langevin_kinds::boltzmann_kind());
  kinds.push_back(langevin_kinds::escape_kind());
}

}  // namespace spindiff::runner
