#include "spindiff/diffusion/forward_process.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "spindiff/diffusion/block_noise.hpp"
#include "spindiff/diffusion/schedule.hpp"

namespace spindiff::diffusion {

void ForwardProcess::sample_prior(Points& x, const Stream& stream) const {
  BlockNoise noise(stream);
  noise.fill(x);
  x *= sigma(t_end());
}

bool ForwardProcess::variance_preserving() const {
  for (double t : {t_start(), 0.5 * (t_start() + t_end()), t_end()}) {
    const double a = scale(t), s = sigma(t);
    if (std::abs(a * a + s * s - 1.0) > 1e-9) return false;
  }
  return true;
}

namespace {
void check_steps(int n_steps) {
  if (n_steps < 1) throw std::invalid_argument("default_times: need n_steps >= 1");
}
}  // namespace

std::vector<double> ForwardProcess::default_times(int n_steps) const {
  check_steps(n_steps);
  return linspace(t_end(), t_start(), n_steps + 1);
}

// ---- VE
VarianceExploding::VarianceExploding(double sigma_min, double sigma_max)
    : sigma_min_(sigma_min), sigma_max_(sigma_max), log_ratio_(std::log(sigma_max / sigma_min)) {
  if (!(sigma_min > 0 && sigma_max > sigma_min)) throw std::invalid_argument("VE: need 0 < sigma_min < sigma_max");
}
double VarianceExploding::sigma(double t) const { return sigma_min_ * std::exp(t * log_ratio_); }
// d sigma^2 / dt = 2 log(ratio) sigma^2.
double VarianceExploding::diffusion(double t) const { return sigma(t) * std::sqrt(2.0 * log_ratio_); }

// ---- VP
VariancePreserving::VariancePreserving(double beta_min, double beta_max) : beta_min_(beta_min), beta_max_(beta_max) {
  if (!(beta_min > 0 && beta_max >= beta_min)) throw std::invalid_argument("VP: need 0 < beta_min <= beta_max");
}
// a = exp(-B/2) with B = int_0^t beta.
double VariancePreserving::scale(double t) const {
  return std::exp(-0.5 * (beta_min_ * t + 0.5 * (beta_max_ - beta_min_) * t * t));
}
double VariancePreserving::sigma(double t) const {
  return std::sqrt(-std::expm1(-(beta_min_ * t + 0.5 * (beta_max_ - beta_min_) * t * t)));
}
double VariancePreserving::diffusion(double t) const { return std::sqrt(beta(t)); }

// ---- DDPM
DiscreteDdpm::DiscreteDdpm(int steps, double beta_first, double beta_last)
    : steps_(steps), betas_(ddpm_betas(steps, beta_first, beta_last)), log_abar_(steps + 1, 0.0) {
  if (steps < 1 || !(beta_first > 0 && beta_last < 1)) throw std::invalid_argument("DDPM: need T >= 1, 0 < beta < 1");
  for (int i = 1; i <= steps; ++i) log_abar_[i] = log_abar_[i - 1] + std::log1p(-betas_[i - 1]);
}
int DiscreteDdpm::segment(double t) const {
  return std::clamp(static_cast<int>(std::ceil(t * steps_ - 1e-9)), 1, steps_);
}
double DiscreteDdpm::log_alpha_bar(double t) const {
  const int i = segment(t);
  const double u = t * steps_ - (i - 1);  // position inside step i, in [0, 1]
  return log_abar_[i - 1] + u * (log_abar_[i] - log_abar_[i - 1]);
}
double DiscreteDdpm::scale(double t) const { return std::exp(0.5 * log_alpha_bar(t)); }
double DiscreteDdpm::sigma(double t) const { return std::sqrt(-std::expm1(log_alpha_bar(t))); }
// a = exp(L/2) with dL/dt = T log(1 - beta_i) on step i; for a VP process g^2 = -2 f.
double DiscreteDdpm::drift_rate(double t) const { return 0.5 * steps_ * std::log1p(-betas_[segment(t) - 1]); }
double DiscreteDdpm::diffusion(double t) const { return std::sqrt(-2.0 * drift_rate(t)); }
std::vector<double> DiscreteDdpm::default_times(int n_steps) const {
  check_steps(n_steps);
  if (steps_ % n_steps == 0) return linspace(1.0, 0.0, n_steps + 1);
  return ForwardProcess::default_times(n_steps);
}

// ---- OU
OrnsteinUhlenbeck::OrnsteinUhlenbeck(double t_end, double t_start) : t_end_(t_end), t_start_(t_start) {
  if (!(t_start > 0 && t_end > t_start)) throw std::invalid_argument("OU: need 0 < t_start < t_end");
}
double OrnsteinUhlenbeck::scale(double t) const { return std::exp(-t); }
double OrnsteinUhlenbeck::sigma(double t) const { return std::sqrt(-std::expm1(-2.0 * t)); }
double OrnsteinUhlenbeck::diffusion(double) const { return std::sqrt(2.0); }

// ---- EDM
Edm::Edm(double sigma_min, double sigma_max, double rho) : sigma_min_(sigma_min), sigma_max_(sigma_max), rho_(rho) {
  if (!(sigma_min > 0 && sigma_max > sigma_min && rho > 0)) throw std::invalid_argument("EDM: bad sigma range or rho");
}
double Edm::diffusion(double t) const { return std::sqrt(2.0 * t); }
std::vector<double> Edm::default_times(int n_steps) const {
  check_steps(n_steps);
  if (n_steps < 2) return {t_end(), 0.0};
  return edm_sigmas(n_steps, t_start(), t_end(), rho_, true);
}

std::unique_ptr<ForwardProcess> make_process(const std::string& name) {
  if (name == "ve") return std::make_unique<VarianceExploding>();
  if (name == "vp") return std::make_unique<VariancePreserving>();
  if (name == "ddpm") return std::make_unique<DiscreteDdpm>();
  if (name == "ou") return std::make_unique<OrnsteinUhlenbeck>();
  if (name == "edm") return std::make_unique<Edm>();
  throw std::invalid_argument("unknown forward process '" + name + "' (ve, vp, ddpm, ou, edm)");
}

}  // namespace spindiff::diffusion
