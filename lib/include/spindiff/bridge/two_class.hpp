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

// Clone agreement phi(t): the probability that two independent backward continuations from the same x_t end on
// the same side of the plane mu . x = 0 (the class an end point is given). Along mu the noised data are
// (G+ + G-)/2, G_+- = N(+-|mu| e^{-t}, Gamma_t), Gamma_t = Delta_t + s^2 e^{-2t}; given y = mu^ . x_t a
// continuation ends with y_0 > 0 with probability P(y) = sum_c P(c | y) Phi(m_c(y) / v), where x_0 | (y, c) is
// N(m_c, v^2), m_c = (s^2 e^{-t} y + c |mu| Delta_t) / Gamma_t, v^2 = s^2 Delta_t / Gamma_t, and
// phi = int p_t(y) [P^2 + (1 - P)^2] dy. For |mu| >> s the side is the class and
// phi = 1/2 int (G+^2 + G-^2) / (G+ + G-) dy. Composite Simpson on |y| <= |mu| e^{-t} + 12 sqrt(Gamma_t).
double clone_agreement_theory(double t, double mu_norm, double component_sigma, int intervals = 4000);

// The clone agreement of two classes N(+-r, 1) decided by their posterior: at r = 1 (signal-to-noise 1 along mu,
// where the centre of the noised mixture loses stability) it is 0.7752, whatever d, |mu| and s.
double class_agreement(double snr, int intervals = 4000);
// The level phi* = class_agreement(1) whose crossing defines the measured speciation time.
double speciation_agreement_level();

// Largest eigenvalue of the data covariance mu mu^T + s^2 I: Lambda = |mu|^2 + s^2.
double data_covariance_top_eigenvalue(double mu_norm, double component_sigma);

// Speciation time of Biroli et al. (2024), t_S = (1/2) ln Lambda (leading order in large Lambda; the exact
// crossing of phi* for these two classes, where |mu|^2 e^{-2t} = Gamma_t, is (1/2) ln(|mu|^2 + 1 - s^2) for
// |mu| >> s, within (s^2 - 1/2) / |mu|^2 of it).
double speciation_time(double mu_norm, double component_sigma);

// Collapse time t_C = (1/2) ln(1 + s^2 / (P^{2/d} - 1)).
double collapse_time(double P, int d, double component_sigma);

// Excess entropy density f^e(t) = ln P / d + (1/2) ln(Delta_t / (Delta_t + s^2 e^{-2t})); zero at t_C.
double excess_entropy(double t, double P, int d, double component_sigma);

}  // namespace spindiff::bridge
