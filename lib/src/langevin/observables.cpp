#include "spindiff/langevin/observables.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace spindiff::langevin {

std::vector<double> linspace_edges(double lo, double hi, int bins) {
  if (bins < 1 || !(hi > lo)) throw std::invalid_argument("histogram: need bins >= 1 and hi > lo");
  std::vector<double> e(static_cast<std::size_t>(bins) + 1);
  for (int i = 0; i <= bins; ++i) e[i] = lo + (hi - lo) * i / bins;
  return e;
}

double total_variation(std::span<const double> p_hat, std::span<const double> p, double p_hat_out, double p_out) {
  if (p_hat.size() != p.size()) throw std::invalid_argument("total_variation: size mismatch");
  double s = std::abs(p_hat_out - p_out);
  for (std::size_t i = 0; i < p.size(); ++i) s += std::abs(p_hat[i] - p[i]);
  return 0.5 * s;
}

double kl_divergence(std::span<const double> p_hat, std::span<const double> p, double p_hat_out, double p_out) {
  if (p_hat.size() != p.size()) throw std::invalid_argument("kl_divergence: size mismatch");
  auto term = [](double q, double r) { return q > 0.0 ? q * std::log(q / r) : 0.0; };
  double s = term(p_hat_out, p_out);
  for (std::size_t i = 0; i < p.size(); ++i) s += term(p_hat[i], p[i]);
  return s;
}

Moments moments_from_sums(double n, double s1, double s2, double s3, double s4) {
  Moments m;
  m.mean = s1 / n;
  const double mu = m.mean;
  const double c2 = s2 / n - mu * mu;
  const double c3 = s3 / n - 3 * mu * s2 / n + 2 * mu * mu * mu;
  const double c4 = s4 / n - 4 * mu * s3 / n + 6 * mu * mu * s2 / n - 3 * mu * mu * mu * mu;
  m.variance = c2;
  m.skewness = c3 / std::pow(c2, 1.5);
  m.excess_kurtosis = c4 / (c2 * c2) - 3.0;
  return m;
}

}  // namespace spindiff::langevin
