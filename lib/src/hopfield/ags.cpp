#include "spindiff/hopfield/ags.hpp"

#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace spindiff::hopfield::ags {

double alpha_of_y(double y) {
  const double g = (std::erf(y) - 2.0 * y / std::sqrt(std::numbers::pi) * std::exp(-y * y)) / y;
  return 0.5 * g * g;
}

Critical critical() {
  static const Critical c = [] {
    // α(y) is unimodal on (0, ∞): it rises from 0 and decays like 1/(2y²).
    const auto best = boost::math::tools::brent_find_minima([](double y) { return -alpha_of_y(y); }, 0.5, 3.0,
                                                            std::numeric_limits<double>::digits / 2);
    return Critical{-best.second, best.first, std::erf(best.first)};
  }();
  return c;
}

double retrieval_overlap(double alpha) {
  if (alpha < 0.0) throw std::invalid_argument("retrieval_overlap: alpha must be >= 0");
  if (alpha == 0.0) return 1.0;
  const Critical c = critical();
  if (alpha >= c.alpha) return 0.0;
  // α(y) decreases monotonically beyond y_c: bracket the root there.
  double hi = 2.0 * c.y;
  while (alpha_of_y(hi) > alpha) hi *= 2.0;
  std::uintmax_t iterations = 200;
  const auto root = boost::math::tools::toms748_solve([alpha](double y) { return alpha_of_y(y) - alpha; }, c.y, hi,
                                                      boost::math::tools::eps_tolerance<double>(50), iterations);
  return std::erf(0.5 * (root.first + root.second));
}

}  // namespace spindiff::hopfield::ags
