#pragma once
// Forward (noising) processes dx = f(t) x dt + g(t) dW with Gaussian marginals x_t = a(t) x_0 + sigma(t) z.
// Every process is linear in x, so the drift is a rate times x. Virtual calls happen once per time step.
#include <memory>
#include <string>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::diffusion {

class ForwardProcess {
 public:
  virtual ~ForwardProcess() = default;
  virtual std::string name() const = 0;
  virtual double scale(double t) const = 0;       // a(t), the marginal mean scale
  virtual double sigma(double t) const = 0;       // sigma(t), the marginal noise standard deviation
  virtual double drift_rate(double t) const = 0;  // f(x, t) = drift_rate(t) * x
  virtual double diffusion(double t) const = 0;   // g(t)
  virtual double t_end() const = 0;               // T, where sampling starts from the prior
  virtual double t_start() const = 0;             // smallest time samplers integrate down to (sigma > 0)
  // The default time grid for n_steps steps (n_steps + 1 decreasing times): uniform from t_end to t_start unless
  // the process knows better. Throws std::invalid_argument when n_steps < 1.
  virtual std::vector<double> default_times(int n_steps) const;

  NoiseLevel level(double t) const { return {t, scale(t), sigma(t)}; }
  void drift(const Points& x, double t, Points& out) const { out = drift_rate(t) * x; }
  // Prior N(0, sigma(T)^2 I): the marginal at T once a(T) x_0 is negligible against sigma(T).
  void sample_prior(Points& x, const Stream& stream) const;
  // True when a^2 + sigma^2 = 1 (VP, DDPM, OU): the processes DDPM ancestral sampling applies to.
  bool variance_preserving() const;
};

// Variance exploding: sigma(t) = sigma_min (sigma_max / sigma_min)^t, t in [0, 1], a = 1.
class VarianceExploding final : public ForwardProcess {
 public:
  VarianceExploding(double sigma_min = 0.01, double sigma_max = 50.0);
  std::string name() const override { return "ve"; }
  double scale(double) const override { return 1.0; }
  double sigma(double t) const override;
  double drift_rate(double) const override { return 0.0; }
  double diffusion(double t) const override;
  double t_end() const override { return 1.0; }
  double t_start() const override { return 1e-5; }

 private:
  double sigma_min_, sigma_max_, log_ratio_;
};

// Variance preserving: beta(t) linear from beta_min to beta_max on [0, 1]; f = -beta/2, g = sqrt(beta).
class VariancePreserving final : public ForwardProcess {
 public:
  VariancePreserving(double beta_min = 0.1, double beta_max = 20.0);
  std::string name() const override { return "vp"; }
  double scale(double t) const override;
  double sigma(double t) const override;
  double drift_rate(double t) const override { return -0.5 * beta(t); }
  double diffusion(double t) const override;
  double t_end() const override { return 1.0; }
  double t_start() const override { return 1e-3; }
  double beta(double t) const { return beta_min_ + t * (beta_max_ - beta_min_); }

 private:
  double beta_min_, beta_max_;
};

// DDPM's discrete chain (Ho et al. 2020): beta_i linear from beta_1 to beta_T, i = 1..T, alpha_bar_i = prod(1 -
// beta_j). Time t = i / T in [0, 1]; between grid points log alpha_bar is linear in t, which makes the process an exact
// piecewise-constant-rate VP SDE whose grid marginals are the chain's.
class DiscreteDdpm final : public ForwardProcess {
 public:
  DiscreteDdpm(int steps = 1000, double beta_first = 1e-4, double beta_last = 0.02);
  std::string name() const override { return "ddpm"; }
  double scale(double t) const override;
  double sigma(double t) const override;
  double drift_rate(double t) const override;
  double diffusion(double t) const override;
  double t_end() const override { return 1.0; }
  double t_start() const override { return 1.0 / steps_; }
  // The chain's own grid i/T down to 0 when n_steps divides T; uniform from t_end to t_start otherwise.
  std::vector<double> default_times(int n_steps) const override;
  int steps() const { return steps_; }
  const std::vector<double>& betas() const { return betas_; }              // beta_1 .. beta_T
  const std::vector<double>& log_alpha_bars() const { return log_abar_; }  // index i = 0..T

 private:
  double log_alpha_bar(double t) const;
  int segment(double t) const;  // the step i in 1..T whose interval ((i-1)/T, i/T] holds t
  int steps_;
  std::vector<double> betas_, log_abar_;
};

// Ornstein-Uhlenbeck: dx = -x dt + sqrt(2) dW, x_t = x_0 e^{-t} + sqrt(1 - e^{-2t}) z.
class OrnsteinUhlenbeck final : public ForwardProcess {
 public:
  explicit OrnsteinUhlenbeck(double t_end = 5.0, double t_start = 1e-3);
  std::string name() const override { return "ou"; }
  double scale(double t) const override;
  double sigma(double t) const override;
  double drift_rate(double) const override { return -1.0; }
  double diffusion(double) const override;
  double t_end() const override { return t_end_; }
  double t_start() const override { return t_start_; }

 private:
  double t_end_, t_start_;
};

// EDM (Karras et al. 2022): sigma(t) = t, a = 1, f = 0, g = sqrt(2t); t from sigma_max down to sigma_min.
class Edm final : public ForwardProcess {
 public:
  Edm(double sigma_min = 0.002, double sigma_max = 80.0, double rho = 7.0);
  std::string name() const override { return "edm"; }
  double scale(double) const override { return 1.0; }
  double sigma(double t) const override { return t; }
  double drift_rate(double) const override { return 0.0; }
  double diffusion(double t) const override;
  double t_end() const override { return sigma_max_; }
  double t_start() const override { return sigma_min_; }
  // EDM's rho schedule with a final 0.
  std::vector<double> default_times(int n_steps) const override;
  double rho() const { return rho_; }

 private:
  double sigma_min_, sigma_max_, rho_;
};

// "ve", "vp", "ddpm", "ou", "edm" with their default parameters.
std::unique_ptr<ForwardProcess> make_process(const std::string& name);

}  // namespace spindiff::diffusion
