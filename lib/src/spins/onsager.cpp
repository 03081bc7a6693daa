#include "spindiff/spins/onsager.hpp"

#include <boost/math/special_functions/ellint_1.hpp>
#include <boost/math/special_functions/ellint_2.hpp>
#include <limits>
#include <numbers>

namespace spindiff::spins::onsager {
namespace {

struct Moduli {
  double b, k, kp;
};
Moduli moduli(double T) {
  const double b = 1.0 / T;
  const double c2 = std::cosh(2 * b), t2 = std::tanh(2 * b);
  double k = 2.0 * std::sinh(2 * b) / (c2 * c2);
  if (k > 1.0) k = 1.0;  // rounding just at T_c
  return {b, k, 2.0 * t2 * t2 - 1.0};
}

}  // namespace

double energy(double T) {
  const auto [b, k, kp] = moduli(T);
  const double coth = 1.0 / std::tanh(2 * b);
  if (k >= 1.0) return -coth;  // k' = 0 at T_c: the K term drops out (u = -sqrt 2)
  return -coth * (1.0 + 2.0 / std::numbers::pi * kp * boost::math::ellint_1(k));
}

double specific_heat(double T) {
  const auto [b, k, kp] = moduli(T);
  if (k >= 1.0) return std::numeric_limits<double>::infinity();
  const double K = boost::math::ellint_1(k), E = boost::math::ellint_2(k);
  const double bc = b / std::tanh(2 * b);
  return 2.0 / std::numbers::pi * bc * bc * (2 * K - 2 * E - (1 - kp) * (std::numbers::pi / 2 + kp * K));
}

double magnetization(double T) {
  if (T >= critical_temperature) return 0.0;
  const double s = std::sinh(2.0 / T);
  return std::pow(1.0 - 1.0 / (s * s * s * s), 0.125);
}

}  // namespace spindiff::spins::onsager
