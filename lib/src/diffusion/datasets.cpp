#include "spindiff/diffusion/datasets.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace spindiff::diffusion {

Points swiss_roll(Eigen::Index n, double noise, Stream& stream) {
  Points x(n, 2);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double t = 1.5 * std::numbers::pi * (1.0 + 2.0 * stream.uniform());
    const double e0 = stream.normal(), e1 = stream.normal();
    x(i, 0) = t * std::cos(t) / 5.0 + noise * e0;
    x(i, 1) = t * std::sin(t) / 5.0 + noise * e1;
  }
  return x;
}

Points two_moons(Eigen::Index n, double noise, Stream& stream) {
  Points x(n, 2);
  for (Eigen::Index i = 0; i < n; ++i) {
    const bool inner = stream.uniform() < 0.5;
    const double th = std::numbers::pi * stream.uniform();
    const double e0 = stream.normal(), e1 = stream.normal();
    x(i, 0) = (inner ? 1.0 - std::cos(th) : std::cos(th)) + noise * e0;
    x(i, 1) = (inner ? 0.5 - std::sin(th) : std::sin(th)) + noise * e1;
  }
  return x;
}

Points rings(Eigen::Index n, const std::vector<double>& radii, double noise, Stream& stream) {
  if (radii.empty()) throw std::invalid_argument("rings: no radii");
  Points x(n, 2);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double r = radii[stream.below(static_cast<std::uint32_t>(radii.size()))] + noise * stream.normal();
    const double th = 2.0 * std::numbers::pi * stream.uniform();
    x(i, 0) = r * std::cos(th);
    x(i, 1) = r * std::sin(th);
  }
  return x;
}

}  // namespace spindiff::diffusion
