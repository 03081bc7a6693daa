#include "spindiff/diffusion/schedule.hpp"

#include <cmath>
#include <stdexcept>

namespace spindiff::diffusion {

std::vector<double> geometric(double first, double last, int n) {
  if (n < 1 || first <= 0 || last <= 0) throw std::invalid_argument("geometric: need n >= 1 and positive ends");
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = n == 1 ? first : first * std::pow(last / first, double(i) / (n - 1));
  if (n > 1) v.back() = last;
  return v;
}

std::vector<double> linspace(double first, double last, int n) {
  if (n < 1) throw std::invalid_argument("linspace: need n >= 1");
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = n == 1 ? first : first + (last - first) * double(i) / (n - 1);
  if (n > 1) v.back() = last;
  return v;
}

std::vector<double> edm_sigmas(int n, double sigma_min, double sigma_max, double rho, bool append_zero) {
  if (n < 2) throw std::invalid_argument("edm_sigmas: need n >= 2");
  std::vector<double> v;
  const double a = std::pow(sigma_max, 1.0 / rho), b = std::pow(sigma_min, 1.0 / rho);
  for (int i = 0; i < n; ++i) v.push_back(std::pow(a + double(i) / (n - 1) * (b - a), rho));
  if (append_zero) v.push_back(0.0);
  return v;
}

std::vector<double> ddpm_betas(int steps, double beta_first, double beta_last) {
  return linspace(beta_first, beta_last, steps);
}

std::vector<double> alpha_bars(const std::vector<double>& betas) {
  std::vector<double> out(betas.size());
  double log_abar = 0.0;
  for (std::size_t i = 0; i < betas.size(); ++i) {
    log_abar += std::log1p(-betas[i]);
    out[i] = std::exp(log_abar);
  }
  return out;
}

}  // namespace spindiff::diffusion
