#pragma once
// The two-class model of Biroli, Bonnaire, de Bortoli and Mezard (2024): data p_0 = (N(mu, s^2 I) + N(-mu, s^2 I))/2
// noised by the Ornstein-Uhlenbeck process x_t = e^{-t} x_0 + sqrt(Delta_t) z, Delta_t = 1 - e^{-2t}, and the
// closed forms of its two time scales (speciation and collapse).
#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::bridge {

using diffusion::NoiseLevel;
using diffusion::Points;

// The exact score of the noised two-class mixture at a level (a, Delta) = (scale, sigma^2):
//   s(x) = [tanh(mu_t . x / Gamma) mu_t - x] / Gamma,  mu_t = a mu,  Gamma = Delta + s^2 a^2.
class TwoClassScore final : public diffusion::ScoreModel {
 public:
  TwoClassScore(Eigen::VectorXd mu, double component_sigma);
  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  int dim() const override { return static_cast<int>(mu_.size()); }
  const Eigen::VectorXd& mu() const { return mu_; }
  double component_sigma() const { return sigma_; }

 private:
  Eigen::VectorXd mu_;
  double sigma_;
};

// The same mixture as a diffusion::GaussianMixture (for sampling data and cross-checks).
diffusion::GaussianMixture two_class_mixture(const Eigen::VectorXd& mu, double component_sigma);

// OU quantities.
double ou_scale(double t);  // e^{-t}
double ou_delta(double t);  // 1 - e^{-2t}

// Clone agreement phi(t) = 1/2 int (G+^2 + G-^2) / (G+ + G-) dy, G_+- = N(+-|mu| e^{-t}, Gamma_t): the probability
// that two independent backward continuations from the same x_t end in the same class. Composite Simpson on
// |y| <= |mu| e^{-t} + 12 sqrt(Gamma_t).
double clone_agreement_theory(double t, double mu_norm, double component_sigma, int intervals = 4000);

// Speciation time t_S = (1/2) ln Lambda with Lambda = |mu|^2 (d for mu = (1, ..., 1)).
double speciation_time(double mu_norm);

// Collapse time t_C = (1/2) ln(1 + s^2 / (P^{2/d} - 1)).
double collapse_time(double P, int d, double component_sigma);

// Excess entropy density f^e(t) = ln P / d + (1/2) ln(Delta_t / (Delta_t + s^2 e^{-2t})); zero at t_C.
double excess_entropy(double t, double P, int d, double component_sigma);

}  // namespace spindiff::bridge
