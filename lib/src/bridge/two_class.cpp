#include "spindiff/bridge/two_class.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace spindiff::bridge {

TwoClassScore::TwoClassScore(Eigen::VectorXd mu, double component_sigma) : mu_(std::move(mu)), sigma_(component_sigma) {
  if (mu_.size() == 0) throw std::invalid_argument("two-class score: empty mean");
  if (!(component_sigma >= 0)) throw std::invalid_argument("two-class score: negative component sigma");
}

void TwoClassScore::score(const Points& x, const NoiseLevel& level, Points& out) const {
  const double a = level.scale, delta = level.sigma * level.sigma;
  const double gamma = delta + sigma_ * sigma_ * a * a;
  if (!(gamma > 0)) throw std::invalid_argument("two-class score: zero variance");
  const Eigen::VectorXd mu_t = a * mu_;
  const Eigen::VectorXd proj = x * mu_t;  // mu_t . x per row
  out.resize(x.rows(), x.cols());
  const double inv = 1.0 / gamma;
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    out.row(i) = inv * (std::tanh(proj[i] * inv) * mu_t.transpose() - x.row(i));
}

diffusion::GaussianMixture two_class_mixture(const Eigen::VectorXd& mu, double component_sigma) {
  Points means(2, mu.size());
  means.row(0) = mu.transpose();
  means.row(1) = -mu.transpose();
  return diffusion::isotropic_mixture({0.5, 0.5}, means, {component_sigma, component_sigma});
}

double ou_scale(double t) { return std::exp(-t); }
double ou_delta(double t) { return -std::expm1(-2.0 * t); }

namespace {
// Standard normal CDF.
double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

// int over y of p(y) [P(y)^2 + (1 - P(y))^2] for the mixture (N(m, g) + N(-m, g))/2, Simpson on
// |y| <= m + 12 sqrt(g); `side` gives P(y), the probability that a continuation from y ends on the + side.
template <class Side>
double agreement_integral(double m, double gamma, int intervals, Side&& side) {
  if (intervals % 2) ++intervals;
  const double half_width = m + 12.0 * std::sqrt(gamma), h = 2.0 * half_width / intervals;
  const double norm = 1.0 / std::sqrt(2.0 * std::numbers::pi * gamma);
  auto integrand = [&](double y) {
    const double gp = std::exp(-(y - m) * (y - m) / (2 * gamma)), gm = std::exp(-(y + m) * (y + m) / (2 * gamma));
    const double p = side(y);
    return 0.5 * norm * (gp + gm) * (p * p + (1 - p) * (1 - p));
  };
  double sum = integrand(-half_width) + integrand(half_width);
  for (int k = 1; k < intervals; ++k) sum += (k % 2 ? 4.0 : 2.0) * integrand(-half_width + k * h);
  return sum * h / 3.0;
}
}  // namespace

double clone_agreement_theory(double t, double mu_norm, double component_sigma, int intervals) {
  const double a = ou_scale(t), m = mu_norm * a, delta = ou_delta(t), s2 = component_sigma * component_sigma;
  const double gamma = delta + s2 * a * a;
  if (!(gamma > 0)) throw std::invalid_argument("clone agreement: zero variance");
  const double v = std::sqrt(s2 * delta / gamma);  // spread of x_0 along mu given y and the class
  return agreement_integral(m, gamma, intervals, [&](double y) {
    const double p_plus = 1.0 / (1.0 + std::exp(-2.0 * m * y / gamma));  // class posterior
    if (!(v > 0)) return p_plus;                                         // s = 0: the side is the class
    const double centre = s2 * a * y / gamma, shift = mu_norm * delta / gamma;
    return p_plus * normal_cdf((centre + shift) / v) + (1 - p_plus) * normal_cdf((centre - shift) / v);
  });
}

double class_agreement(double snr, int intervals) {
  return agreement_integral(snr, 1.0, intervals, [&](double y) { return 1.0 / (1.0 + std::exp(-2.0 * snr * y)); });
}

double speciation_agreement_level() { return class_agreement(1.0); }

double data_covariance_top_eigenvalue(double mu_norm, double component_sigma) {
  return mu_norm * mu_norm + component_sigma * component_sigma;
}

double speciation_time(double mu_norm, double component_sigma) {
  return std::log(data_covariance_top_eigenvalue(mu_norm, component_sigma)) / 2.0;
}

double collapse_time(double P, int d, double component_sigma) {
  const double excess = std::expm1(2.0 * std::log(P) / d);  // P^{2/d} - 1
  if (!(excess > 0)) throw std::invalid_argument("collapse time: need P > 1");
  return 0.5 * std::log1p(component_sigma * component_sigma / excess);
}

double excess_entropy(double t, double P, int d, double component_sigma) {
  const double delta = ou_delta(t), a2 = std::exp(-2.0 * t);
  return std::log(P) / d + 0.5 * std::log(delta / (delta + component_sigma * component_sigma * a2));
}

}  // namespace spindiff::bridge
